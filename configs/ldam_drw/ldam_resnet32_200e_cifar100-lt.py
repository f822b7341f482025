# LDAM without deferred re-weighting on CIFAR-100-LT (ratio 100) (for
# comparison with LDAM-DRW, ../ldam_cifar100_lt.py). ResNet-32 and the LDAM-DRW
# schedule (200 epochs). LDAM-DRW paper: 60.4 top-1 error.
_base_ = ['./ldam-drw_resnet32_200e_cifar100-lt.py']

custom_hooks = []
