# Decoupling LWS on ImageNet-LT: cRT's recipe for 5 epochs (the release's
# ImageNet-LT LWS config), learning only a scale per class of the stage-1
# classifier. Paper, not reproduced here: top-1 49.9 (many 60.2, medium
# 47.2, few 30.3).
_base_ = ['./crt_resnext50_10e_imagenet-lt.py', './_base_lws.py']

model = dict(head=_base_.lws_head)
custom_hooks = _base_.lws_hooks
param_scheduler = _base_.lws_5e_param_scheduler
train_cfg = _base_.lws_5e_train_cfg
