# Input mixup with Balanced Softmax and deferred re-weighting from epoch
# 160 (a Bag of Tricks combination) on CIFAR-10-LT (ratio 100).
_base_ = ['../reweighting/balanced_softmax_drw_cifar10_lt.py']

model = dict(train_cfg=dict(augments=dict(type='Mixup', alpha=1.0)))
