# CIFAR-10-LT as the LDAM-DRW reference builds it (exp profile, ratio 100).
dataset_type = 'CIFAR10LT'
data_root = 'data/cifar10'
imb_type = 'exp'
imb_factor = 0.01

# The reference's per-channel mean and std, on the 0-255 scale.
data_preprocessor = dict(
    num_classes=10,
    mean=[125.307, 122.961, 113.8575],
    std=[51.5865, 50.847, 51.255],
    to_rgb=False,
)

train_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='PackInputs')]

# The test split records the training profile too (for the shot groups),
# so it takes the same imb_type and imb_factor.
train_dataloader = dict(
    batch_size=128,
    num_workers=4,
    # Workers started afresh each epoch and seeded from (seed, epoch):
    # every epoch draws new augmentations and --resume repeats them exactly.
    persistent_workers=False,
    worker_init_fn=dict(type='seed_worker_by_epoch'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        imb_type=imb_type,
        imb_factor=imb_factor,
        pipeline=train_pipeline,
    ),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=100,
    num_workers=4,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        imb_type=imb_type,
        imb_factor=imb_factor,
        pipeline=test_pipeline,
    ),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='LongTailAccuracy')
test_dataloader = val_dataloader
test_evaluator = val_evaluator
