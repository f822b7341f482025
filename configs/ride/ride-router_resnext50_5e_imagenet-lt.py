# RIDE's router (its second stage, ./_base_router.py) on ImageNet-LT, the
# official recipe (config_imagenet_lt_resnext50_ride_ea.json: top 50
# logits, positives weighted 100), after ride_resnext50_100e_imagenet-lt.py
# (--cfg-options load_from=work_dirs/STAGE1/epoch_100.pth). Batch 512: 64
# on each of 8 GPUs.
_base_ = [
    '../_base_/models/ride_resnext50_imagenet.py',
    '../_base_/datasets/imagenet_lt_colorjitter.py',
    './_base_router.py',
]

model = dict(
    head=dict(
        type='ExpertRouterClsHead',
        top_k=50,
        loss=dict(_delete_=True, type='ExpertRouterLoss', pos_weight=100),
    )
)
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
val_evaluator = [_base_.val_evaluator, dict(type='ExpertUsageMetric')]
test_evaluator = val_evaluator
auto_scale_lr = dict(base_batch_size=512)
