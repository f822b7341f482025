# OLTR stage 2 on ImageNet-LT with ResNet-10, the official recipe
# (config/ImageNet_LT/stage_2_meta_embedding.py): after
# ce/ce_resnet10_30e_imagenet-lt.py (trained first into its default work
# dir), the modulated attention on the 512 x 7 x 7 map, a 512-unit linear
# layer, the meta-embedding head, batch 128 on one GPU (the official code's
# memory and centroid loss run on one).
_base_ = [
    '../_base_/models/resnet10_lt.py',
    '../_base_/datasets/imagenet_lt_colorjitter.py',
    './_base_oltr.py',
]

model = dict(
    neck=dict(
        _base_.oltr_neck, in_channels=512, out_channels=512, feat_size=7
    ),
    head=dict(**_base_.oltr_head, num_classes=1000, in_channels=512),
)
train_dataloader = dict(batch_size=128, sampler=_base_.oltr_sampler)
auto_scale_lr = dict(base_batch_size=128)
load_from = 'work_dirs/ce_resnet10_30e_imagenet-lt/epoch_30.pth'
# the training list with the test pipeline (the official train_plain)
custom_hooks = [
    dict(
        type='ClassCentroidsHook',
        train_eval_dataloader=dict(
            dataset=dict(
                type='ImageListLT',
                data_root=_base_.data_root,
                ann_file='ImageNet_LT_train.txt',
                num_classes=1000,
                pipeline=_base_.test_pipeline,
            ),
            batch_size=128,
            num_workers=8,
        ),
    )
]
