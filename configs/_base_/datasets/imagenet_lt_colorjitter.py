# ImageNet-LT with RIDE's and SADE's training augmentation (their official
# ImageNetLTDataLoader): random resized crop, flip and colour jitter
# (brightness, contrast and saturation 0.4, no hue).
_base_ = ['./imagenet_lt.py']

train_dataloader = dict(
    dataset=dict(
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='RandomResizedCrop', scale=224),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(
                type='ColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.4,
            ),
            dict(type='PackInputs'),
        ]
    )
)
