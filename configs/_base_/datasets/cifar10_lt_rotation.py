# CIFAR-10-LT with RIDE's and SADE's training augmentation: random crop
# (padding 4), horizontal flip, then a rotation drawn uniformly in
# [-15, 15] degrees (torchvision's RandomRotation(15): nearest, zero fill).
_base_ = ['./cifar10_lt.py']

train_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(
        type='Rotate',
        magnitude_range=(0, 15),
        magnitude_level=10,
        magnitude_std='inf',
        prob=1.0,
        random_negative_prob=0.5,
        pad_val=0,
        interpolation='nearest',
    ),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
