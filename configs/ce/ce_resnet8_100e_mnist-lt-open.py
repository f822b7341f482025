# Cross-entropy on MNIST-LT with an open set: 8 known digits (4 and 5 held
# out, their test images labelled -1;
# configs/_base_/datasets/mnist_lt_open.py). OLTR's open-set stage 1 and the
# plain model's open-set row.
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/mnist_lt_open.py',
    '../_base_/schedules/mnist_lt_100e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=8))
default_hooks = dict(logger=dict(interval=10))
