# Input mixup (alpha = 1) with cross-entropy on CIFAR-10-LT (ratio 100):
# mmpretrain's Mixup batch augment, the LDAM-DRW schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py']

model = dict(train_cfg=dict(augments=dict(type='Mixup', alpha=1.0)))
