# VS loss (vector scaling) on Fashion-MNIST-LT (ratio 100) with the CIFAR-10-LT
# recipe (ResNet-32, 200 epochs): gamma 0.2, tau 1.2, the official README's
# CIFAR-10-LT example.
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py']

model = dict(
    head=dict(loss=dict(_delete_=True, type='VSLoss', gamma=0.2, tau=1.2))
)
