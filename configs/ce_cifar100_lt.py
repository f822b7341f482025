# Cross-entropy baseline on CIFAR-100-LT (ratio 100), kept here as the model
# card's entry point: the recipe is ce/ce_resnet32_200e_cifar100-lt.py
# (ce/README.md).
_base_ = ['./ce/ce_resnet32_200e_cifar100-lt.py']
