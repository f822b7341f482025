# VS loss (vector scaling) on Fashion-MNIST-LT (ratio 100), the CPU recipe
# (ResNet-8, 15 epochs): gamma 0.2, tau 1.2, the official README's CIFAR-10-LT
# example.
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py']

model = dict(
    head=dict(loss=dict(_delete_=True, type='VSLoss', gamma=0.2, tau=1.2))
)
