# SADE on Fashion-MNIST-LT (ratio 100) with the official CIFAR schedule
# (200 epochs, lr x 0.1 at 160 and 180) and the Fashion-MNIST-LT pipeline of
# mmlt's other 200-epoch rows (crop and flip, no rotation). Sized for a GPU.
_base_ = [
    '../_base_/models/sade_resnet32_cifar.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/sade_cifar_lt_200e.py',
    '../_base_/default_runtime.py',
]

model = dict(backbone=dict(in_channels=1))
