# SADE on CIFAR-10-LT (ratio 100). The official code has CIFAR-100-LT
# configs only; this is their recipe (tau 2, 200 epochs) on the 10 classes.
_base_ = [
    '../_base_/models/sade_resnet32_cifar.py',
    '../_base_/datasets/cifar10_lt_rotation.py',
    '../_base_/schedules/sade_cifar_lt_200e.py',
    '../_base_/default_runtime.py',
]
