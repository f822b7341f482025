# Input mixup with Balanced Softmax and deferred re-weighting from epoch
# 80 (a Bag of Tricks combination) on MNIST-LT.
_base_ = ['../reweighting/balanced-softmax-drw_resnet8_100e_mnist-lt.py']

model = dict(train_cfg=dict(augments=dict(type='Mixup', alpha=1.0)))
