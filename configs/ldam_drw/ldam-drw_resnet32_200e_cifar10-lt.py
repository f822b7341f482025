# LDAM-DRW on CIFAR-10-LT (ratio 100), the LDAM-DRW paper's full recipe.
# Paper: 22.97 top-1 error (77.03% accuracy).
_base_ = [
    '../_base_/models/resnet32_cifar_ldam.py',
    '../_base_/datasets/cifar10_lt.py',
    '../_base_/schedules/cifar_lt_200e.py',
    '../_base_/default_runtime.py',
]

custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
