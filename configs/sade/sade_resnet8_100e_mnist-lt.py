# SADE on MNIST-LT (ratio 100): 3 experts at ResNet-8 depth, tau 2, the
# 100-epoch MNIST-LT schedule, no DRW.
_base_ = [
    '../_base_/models/sade_resnet8_mnist.py',
    '../_base_/datasets/mnist_lt.py',
    '../_base_/schedules/mnist_lt_100e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(logger=dict(interval=10))
