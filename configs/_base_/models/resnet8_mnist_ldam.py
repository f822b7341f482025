# ResNet-8 (6n+2, n = 1) on 1-channel 28x28 digits, cosine classifier, LDAM.
_base_ = ['./resnet32_cifar_ldam.py']

model = dict(backbone=dict(depth=8, in_channels=1))
