# Fashion-MNIST-LT: Fashion-MNIST's 60,000 training images long-tailed as
# CIFAR-10-LT (exp profile, ratio 100): 14,886 images, 6,000 ... 60 a class;
# the 10,000 test images whole. The files come from Debian's package
# dataset-fashion-mnist (/usr/share/datasets/fashion-mnist, the default) or
# data/fashion-mnist; set data_root on both datasets to read them elsewhere.
dataset_type = 'FashionMNISTLT'
imb_type = 'exp'
imb_factor = 0.01

# Mean and std of the balanced 60,000 training images, on the 0-255 scale
# (the reference normalises CIFAR-10-LT with the balanced set's too).
data_preprocessor = dict(
    num_classes=10, mean=[72.94], std=[90.02], to_rgb=False
)

# CIFAR-LT's augmentation on 28x28 single-channel images. The products are
# centred and scaled to fill the frame, so the shift is 2 pixels (as
# MNIST-LT's), not CIFAR's 4, which would crop sleeves and soles; clothes
# and shoes keep their class when mirrored, so the flip stays.
train_pipeline = [
    dict(type='RandomCrop', crop_size=28, padding=2),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='PackInputs')]

# The arrays are in memory and the pipeline is two numpy ops an image:
# worker processes would cost more than they save on a 2-core machine.
train_dataloader = dict(
    batch_size=128,
    num_workers=0,
    persistent_workers=False,
    pin_memory=False,
    dataset=dict(
        type=dataset_type,
        split='train',
        imb_type=imb_type,
        imb_factor=imb_factor,
        pipeline=train_pipeline,
    ),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
# The test split records the training profile too (for the shot groups),
# so it takes the same imb_type and imb_factor.
val_dataloader = dict(
    batch_size=500,
    num_workers=0,
    persistent_workers=False,
    pin_memory=False,
    dataset=dict(
        type=dataset_type,
        split='test',
        imb_type=imb_type,
        imb_factor=imb_factor,
        pipeline=test_pipeline,
    ),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
# Shot groups for 10 classes of 6000 ... 60 images (docs/fashion_mnist_lt.md):
# many > 1000 (classes 0-3), medium 200-1000 (4-6), few < 200 (7-9).
val_evaluator = dict(type='LongTailAccuracy', many_thr=1000, few_thr=200)
test_dataloader = val_dataloader
test_evaluator = val_evaluator
