# LDAM-DRW on MNIST-LT (ratio 100), kept here as the model card's entry point:
# the recipe is ldam_drw/ldam-drw_resnet8_100e_mnist-lt.py
# (ldam_drw/README.md).
_base_ = ['./ldam_drw/ldam-drw_resnet8_100e_mnist-lt.py']
