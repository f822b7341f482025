# Decoupling LWS on ImageNet-LT: cRT's recipe, learning only a scale per
# class of the stage-1 classifier. Paper, not reproduced here: top-1 49.9
# (many 60.2, medium 47.2, few 30.3).
_base_ = ['./crt_resnext50_imagenet_lt.py']

model = dict(head=dict(type='LWSLinearClsHead'))
custom_hooks = [
    dict(type='SetClassCountsHook'),
    dict(
        type='ClassifierRetrainingHook',
        trainable=['head.scales'],
        reinit=False,
    ),
]
