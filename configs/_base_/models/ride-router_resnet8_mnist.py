# RIDE's router (ride-router_resnet32_cifar.py) on the ResNet-8 experts for
# 1-channel 28x28 images (MNIST-LT, Fashion-MNIST-LT).
_base_ = ['./ride-router_resnet32_cifar.py']

model = dict(backbone=dict(depth=8, in_channels=1))
