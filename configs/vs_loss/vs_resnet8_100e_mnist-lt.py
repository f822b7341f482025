# VS loss (vector scaling) on MNIST-LT (ratio 100), ResNet-8, 100 epochs: gamma
# 0.2, tau 1.2, the official README's CIFAR-10-LT example.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(
    head=dict(loss=dict(_delete_=True, type='VSLoss', gamma=0.2, tau=1.2))
)
