# ResNet-8 (6n+2, n = 1) on 1-channel 28x28 digits, linear classifier, CE.
_base_ = ['./resnet32_cifar.py']

model = dict(backbone=dict(depth=8, in_channels=1))
