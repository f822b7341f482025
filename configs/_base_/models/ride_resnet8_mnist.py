# RIDE's multi-expert network at ResNet-8 depth on 1-channel 28x28 images
# (MNIST-LT, Fashion-MNIST-LT): stem and first stage shared, 3 experts with
# reduced widths (24, 48), as ride_resnet32_cifar.py.
_base_ = ['./ride_resnet32_cifar.py']

model = dict(backbone=dict(depth=8, in_channels=1))
