# LDAM-DRW on Fashion-MNIST-LT (ratio 100) with exactly the CIFAR-10-LT
# recipe (configs/ldam_cifar10_lt.py): ResNet-32, batch 128, 200 epochs,
# DRW from epoch 160. Sized for a GPU; the images have one channel.
_base_ = [
    '../_base_/models/resnet32_cifar_ldam.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/cifar_lt_200e.py',
    '../_base_/default_runtime.py',
]

model = dict(backbone=dict(in_channels=1))
custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
