# SADE's 3-expert network at ResNet-8 depth on 1-channel 28x28 images.
_base_ = ['./sade_resnet32_cifar.py']

model = dict(backbone=dict(depth=8, in_channels=1))
