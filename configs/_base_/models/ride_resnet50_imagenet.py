# RIDE's multi-expert ResNet-50 (fb_resnets/RIDEResNet.py): as
# ride_resnext50_imagenet.py with plain bottlenecks; the official
# iNaturalist 2018 backbone.
_base_ = ['./ride_resnext50_imagenet.py']

model = dict(backbone=dict(type='MultiExpertResNet'))
