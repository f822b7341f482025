# VS loss (vector scaling) on CIFAR-100-LT (ratio 100), ResNet-32, the LDAM-DRW
# schedule (200 epochs): gamma 0.3, tau 1.0, the official code's defaults.
_base_ = ['../ce/ce_resnet32_200e_cifar100-lt.py']

model = dict(
    head=dict(loss=dict(_delete_=True, type='VSLoss', gamma=0.3, tau=1.0))
)
