# Cross-entropy baseline on MNIST-LT (ratio 100), the LDAM-DRW recipe's
# network and schedule with a linear classifier.
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/mnist_lt.py',
    '../_base_/schedules/mnist_lt_100e.py',
    '../_base_/default_runtime.py',
]

default_hooks = dict(logger=dict(interval=10))
