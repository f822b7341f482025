# LDAM without deferred re-weighting on CIFAR-10-LT (ratio 100): LDAM-DRW
# (./ldam-drw_resnet32_200e_cifar10-lt.py) with uniform class weights
# throughout. LDAM-DRW paper: 26.65 top-1 error.
_base_ = ['./ldam-drw_resnet32_200e_cifar10-lt.py']

custom_hooks = []
