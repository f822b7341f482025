# LDAM without deferred re-weighting on CIFAR-10-LT (ratio 100), for
# comparison with LDAM-DRW (../ldam_cifar10_lt.py). ResNet-32 and the
# LDAM-DRW schedule (200 epochs). LDAM-DRW paper: 26.65 top-1 error.
_base_ = ['./ldam-drw_resnet32_200e_cifar10-lt.py']

custom_hooks = []
