# OLTR's plain model on Places-LT, its stage 1
# (zhmiao/OpenLongTailRecognition-OLTR, config/Places_LT/stage_1.py): an
# ImageNet-pretrained ResNet-152 with a 512-unit linear layer and ReLU after
# the pooling (use_fc), a linear classifier, instance sampling; SGD with
# momentum 0.9 and weight decay 5e-4, lr 0.001 for the feature model
# (backbone and linear layer) and 0.1 for the classifier, batch 128, 30
# epochs, lr x 0.1 every 10; OLTR's colour jitter. The official start is
# Caffe's ResNet-152 weights; mmlt's is mmpretrain's ImageNet ResNet-152.
# Built and checked, not trained here (no Places-365).
#   mim train mmpretrain configs/oltr/oltr-plain_resnet152_30e_places-lt.py \
#       --launcher pytorch --gpus 4
_base_ = [
    '../_base_/models/resnet152_lt.py',
    '../_base_/datasets/places_lt_colorjitter.py',
    '../_base_/default_runtime.py',
]

model = dict(
    backbone=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.openmmlab.com/mmclassification/v0/'
            'resnet/resnet152_8xb32_in1k_20210901-4d7582fa.pth',
            prefix='backbone',
        )
    ),
    neck=dict(
        _delete_=True,
        type='LinearNeck',
        in_channels=2048,
        out_channels=512,
        gap_dim=2,
        norm_cfg=None,
        act_cfg=dict(type='ReLU'),
    ),
    head=dict(num_classes=365, in_channels=512),
)
train_dataloader = dict(batch_size=32)
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4),
    paramwise_cfg=dict(
        custom_keys={
            'backbone': dict(lr_mult=0.01),
            'neck': dict(lr_mult=0.01),
        }
    ),
)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[10, 20], gamma=0.1)
]
train_cfg = dict(by_epoch=True, max_epochs=30, val_interval=10)
val_cfg = dict()
test_cfg = dict()
# batch 32 on each of 4 GPUs, the official 128
auto_scale_lr = dict(base_batch_size=128)
