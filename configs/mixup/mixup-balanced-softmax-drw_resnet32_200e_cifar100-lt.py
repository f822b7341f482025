# Input mixup with Balanced Softmax and deferred re-weighting from epoch
# 160 (a Bag of Tricks combination) on CIFAR-100-LT (ratio 100).
_base_ = ['../reweighting/balanced-softmax-drw_resnet32_200e_cifar100-lt.py']

model = dict(train_cfg=dict(augments=dict(type='Mixup', alpha=1.0)))
