# LDAM without deferred re-weighting on CIFAR-100-LT (ratio 100): LDAM-DRW
# (./ldam-drw_resnet32_200e_cifar100-lt.py) with uniform class weights
# throughout. LDAM-DRW paper: 60.4 top-1 error.
_base_ = ['./ldam-drw_resnet32_200e_cifar100-lt.py']

custom_hooks = []
