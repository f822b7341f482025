# Decoupling LWS on ImageNet-LT: cRT's recipe for 5 epochs (the release's
# ImageNet-LT LWS config), learning only a scale per class of the stage-1
# classifier. Paper, not reproduced here: top-1 49.9 (many 60.2, medium
# 47.2, few 30.3).
_base_ = ['./crt_resnext50_10e_imagenet-lt.py']

model = dict(head=dict(type='LWSLinearClsHead'))
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=5, begin=0, end=5)
]
train_cfg = dict(max_epochs=5, val_interval=5)
custom_hooks = [
    dict(
        type='ClassifierRetrainingHook',
        trainable=['head.scales'],
        reinit=False,
    ),
]
