# LDAM-DRW on CIFAR-10-LT (ratio 100), kept here as the model card's entry
# point: the recipe is ldam_drw/ldam-drw_resnet32_200e_cifar10-lt.py
# (ldam_drw/README.md).
_base_ = ['./ldam_drw/ldam-drw_resnet32_200e_cifar10-lt.py']
