# Input mixup (alpha = 1) with cross-entropy on Fashion-MNIST-LT (ratio 100),
# the CPU recipe: mmpretrain's Mixup batch augment.
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py']

model = dict(train_cfg=dict(augments=dict(type='Mixup', alpha=1.0)))
