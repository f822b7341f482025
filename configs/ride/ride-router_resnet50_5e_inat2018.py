# RIDE's router (its second stage, ./_base_router.py) on iNaturalist 2018,
# the official recipe (config_iNaturalist_resnet50_ride_ea.json: top 50
# logits, positives weighted 100, batch 512: 64 on each of 8 GPUs), after
# ride_resnet50_100e_inat2018.py (--cfg-options
# load_from=work_dirs/STAGE1/epoch_100.pth).
_base_ = [
    '../_base_/models/ride_resnet50_imagenet.py',
    '../_base_/datasets/inaturalist2018.py',
    './_base_router.py',
]

model = dict(
    head=dict(
        type='ExpertRouterClsHead',
        num_classes=8142,
        top_k=50,
        loss=dict(_delete_=True, type='ExpertRouterLoss', pos_weight=100),
    )
)
data_preprocessor = dict(
    mean=[118.83, 120.105, 96.9], std=[49.725, 49.47, 48.96]
)
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
val_evaluator = [_base_.val_evaluator, dict(type='ExpertUsageMetric')]
test_evaluator = val_evaluator
auto_scale_lr = dict(base_batch_size=512)
