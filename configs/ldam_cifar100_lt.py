# Entry point kept where users expect it:
# ldam_drw/ldam-drw_resnet32_200e_cifar100-lt.py
_base_ = ['./ldam_drw/ldam-drw_resnet32_200e_cifar100-lt.py']
