# Cross-entropy baseline on MNIST-LT (ratio 100), kept here as the model card's
# entry point: the recipe is ce/ce_resnet8_100e_mnist-lt.py (ce/README.md).
_base_ = ['./ce/ce_resnet8_100e_mnist-lt.py']
