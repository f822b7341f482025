# Decoupling LWS on Places-LT: cRT's recipe for 5 epochs (the release's
# Places-LT LWS config), learning only a scale per class of the stage-1
# classifier. The paper's figures, not reproduced here: top-1 37.6 (many
# 40.6, medium 39.1, few 28.6).
_base_ = ['./crt_resnet152_10e_places-lt.py']

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
