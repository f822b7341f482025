# VS loss (vector scaling) on CIFAR-10-LT (ratio 100), ResNet-32, the LDAM-DRW
# schedule (200 epochs): gamma 0.2, tau 1.2, the official README's CIFAR-10-LT
# example.
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py']

model = dict(
    head=dict(loss=dict(_delete_=True, type='VSLoss', gamma=0.2, tau=1.2))
)
