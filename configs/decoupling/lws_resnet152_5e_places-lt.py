# Decoupling LWS on Places-LT: cRT's recipe for 5 epochs (the release's
# Places-LT LWS config), learning only a scale per class of the stage-1
# classifier. The paper's figures, not reproduced here: top-1 37.6 (many
# 40.6, medium 39.1, few 28.6).
_base_ = ['./crt_resnet152_10e_places-lt.py', './_base_lws.py']

model = dict(head=_base_.lws_head)
custom_hooks = _base_.lws_hooks
param_scheduler = _base_.lws_5e_param_scheduler
train_cfg = _base_.lws_5e_train_cfg
