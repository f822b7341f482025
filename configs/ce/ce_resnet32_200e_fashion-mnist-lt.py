# Cross-entropy baseline on Fashion-MNIST-LT (ratio 100) with exactly the
# CIFAR-10-LT recipe (configs/ce_cifar10_lt.py): ResNet-32, batch 128,
# 200 epochs. Sized for a GPU; the images have one channel.
_base_ = [
    '../_base_/models/resnet32_cifar.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/cifar_lt_200e.py',
    '../_base_/default_runtime.py',
]

model = dict(backbone=dict(in_channels=1))
