# Entry point kept where users expect it: ce/ce_resnet32_200e_cifar10-lt.py
_base_ = ['./ce/ce_resnet32_200e_cifar10-lt.py']
