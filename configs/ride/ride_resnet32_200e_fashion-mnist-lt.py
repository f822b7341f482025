# RIDE (3 experts) on Fashion-MNIST-LT (ratio 100) with the official CIFAR
# schedule (200 epochs, Nesterov, weight decay 5e-4, DRW from epoch 160) and
# the Fashion-MNIST-LT pipeline of mmlt's other 200-epoch rows (crop and
# flip, no rotation). Sized for a GPU; the images have one channel.
_base_ = [
    '../_base_/models/ride_resnet32_cifar.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/ride_cifar_lt_200e.py',
    '../_base_/default_runtime.py',
]

model = dict(backbone=dict(in_channels=1))
custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
