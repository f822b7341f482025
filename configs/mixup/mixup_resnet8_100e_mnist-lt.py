# Input mixup (alpha = 1) with cross-entropy on MNIST-LT:
# mmpretrain's Mixup batch augment, 100 epochs.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(train_cfg=dict(augments=dict(type='Mixup', alpha=1.0)))
