# ImageNet-LT (Liu et al., CVPR 2019): 1,000 classes, 115.8 K training images
# (1,280 down to 5 a class). The list files (relative/path label) are the
# ones the Decoupling code (facebookresearch/classifier-balancing)
# distributes; put them in data_root beside the images. Batch 64 per GPU: 8
# GPUs make the recipes' 512.
dataset_type = 'ImageListLT'
data_root = 'data/imagenet'
num_classes = 1000

data_preprocessor = dict(
    num_classes=num_classes,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True,
)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
# the official ImageNet-LT loaders' training augmentation (RIDE's, SADE's
# and OLTR's): random resized crop, flip and colour jitter (brightness,
# contrast and saturation 0.4, no hue); imagenet_lt_colorjitter.py uses it
colorjitter_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.4),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]

train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='ImageNet_LT_train.txt',
        num_classes=num_classes,
        pipeline=train_pipeline,
    ),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
# the test split records the training list's counts (for the shot groups)
val_dataloader = dict(
    batch_size=64,
    num_workers=8,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='ImageNet_LT_test.txt',
        train_ann_file='ImageNet_LT_train.txt',
        num_classes=num_classes,
        pipeline=test_pipeline,
    ),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='LongTailAccuracy')
test_dataloader = val_dataloader
test_evaluator = val_evaluator
