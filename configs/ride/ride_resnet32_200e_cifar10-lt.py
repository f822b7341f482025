# RIDE (3 experts, reduced widths) on CIFAR-10-LT (ratio 100). The official
# code has no CIFAR-10-LT config; this is its CIFAR-100-LT recipe
# (diversity factor -0.45, DRW from epoch 160) on the 10 classes.
_base_ = [
    '../_base_/models/ride_resnet32_cifar.py',
    '../_base_/datasets/cifar10_lt_rotation.py',
    '../_base_/schedules/ride_cifar_lt_200e.py',
    '../_base_/default_runtime.py',
]

custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
