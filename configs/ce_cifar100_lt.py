# Entry point kept where users expect it: ce/ce_resnet32_200e_cifar100-lt.py
_base_ = ['./ce/ce_resnet32_200e_cifar100-lt.py']
