# ResNeXt-50 (32x4d) with a linear classifier: the Decoupling paper's
# ImageNet-LT backbone.
_base_ = ['./resnet50_lt.py']

model = dict(backbone=dict(type='ResNeXt', groups=32, width_per_group=4))
