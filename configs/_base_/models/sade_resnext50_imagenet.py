# SADE's three skill-diverse experts (Vanint/SADE-AgnosticLT,
# fb_resnets/Expert_ResNeXt.py) on RIDE's multi-expert ResNeXt-50 (the same
# network: ride_resnext50_imagenet.py); SADELoss with tau 2, the official
# ImageNet-LT value.
_base_ = ['./ride_resnext50_imagenet.py']

model = dict(head=dict(loss=dict(_delete_=True, type='SADELoss', tau=2.0)))
