# RIDE (3 experts, reduced widths) on MNIST-LT (ratio 100), ResNet-8 depth,
# the 100-epoch MNIST-LT schedule of LDAM-DRW's row, DRW from epoch 80.
_base_ = [
    '../_base_/models/ride_resnet8_mnist.py',
    '../_base_/datasets/mnist_lt.py',
    '../_base_/schedules/mnist_lt_100e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(logger=dict(interval=10))
custom_hooks = [dict(type='DRWHook', drw_epoch=80, beta=0.9999)]
