# iNaturalist 2018: 8,142 species, 437,513 training images; the validation
# split is the test split, as in the Decoupling paper. The list files
# (relative/path label) are the ones the Decoupling code
# (facebookresearch/classifier-balancing) distributes; put them in data_root
# beside the images. Batch 64 per GPU: 8 GPUs make the recipes' 512.
dataset_type = 'ImageListLT'
data_root = 'data/inaturalist2018'
num_classes = 8142

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
        ann_file='iNaturalist18_train.txt',
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
        ann_file='iNaturalist18_val.txt',
        train_ann_file='iNaturalist18_train.txt',
        num_classes=num_classes,
        pipeline=test_pipeline,
    ),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='LongTailAccuracy')
test_dataloader = val_dataloader
test_evaluator = val_evaluator
