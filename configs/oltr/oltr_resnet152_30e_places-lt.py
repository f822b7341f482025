# OLTR stage 2 on Places-LT, the official recipe
# (config/Places_LT/stage_2_meta_embedding.py): after
# ./oltr-plain_resnet152_30e_places-lt.py (trained first into its default
# work dir), the ResNet-152 frozen but the modulated attention on its
# 2048 x 7 x 7 map and the stage-1 linear layer, which learn at lr 1e-4; the
# meta-embedding classifier and the centroids at 0.01; 30 epochs, lr x 0.1
# every 10; batch 128 on one GPU (the official memory and centroid loss run
# on one). The official freezing sets requires_grad only, so the frozen
# batch norms keep updating their statistics (update_norm_statistics).
_base_ = [
    '../_base_/models/resnet152_lt.py',
    '../_base_/datasets/places_lt_colorjitter.py',
    './_base_oltr.py',
]

model = dict(
    neck=dict(
        _base_.oltr_neck, in_channels=2048, out_channels=512, feat_size=7
    ),
    head=dict(**_base_.oltr_head, num_classes=365, in_channels=512),
)
optim_wrapper = dict(
    optimizer=dict(lr=0.01),
    paramwise_cfg=dict(
        custom_keys={
            'backbone': dict(lr_mult=0.01),
            'neck': dict(lr_mult=0.01),
            'head.centroids': dict(lr_mult=1.0),
        }
    ),
)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[10, 20], gamma=0.1)
]
train_cfg = dict(max_epochs=30, val_interval=10)
train_dataloader = dict(batch_size=128, sampler=_base_.oltr_sampler)
auto_scale_lr = dict(base_batch_size=128)
load_from = 'work_dirs/oltr-plain_resnet152_30e_places-lt/epoch_30.pth'
# the stage-1 linear layer (neck.fc) loads; the attention is new
custom_hooks = [
    dict(
        type='ClassifierRetrainingHook',
        trainable=['neck', 'head'],
        reinit=False,
        update_norm_statistics=True,
    ),
    # the training list with the test pipeline (the official train_plain)
    dict(
        type='ClassCentroidsHook',
        train_eval_dataloader=dict(
            dataset=dict(
                type='ImageListLT',
                data_root=_base_.data_root,
                ann_file='Places_LT_train.txt',
                num_classes=365,
                pipeline=_base_.test_pipeline,
            ),
            batch_size=128,
            num_workers=8,
        ),
    ),
]
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True
)
