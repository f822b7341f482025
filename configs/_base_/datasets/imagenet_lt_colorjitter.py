# ImageNet-LT with RIDE's and SADE's training augmentation (their official
# ImageNetLTDataLoader): random resized crop, flip and colour jitter
# (brightness, contrast and saturation 0.4, no hue).
_base_ = ['./imagenet_lt.py']

train_dataloader = dict(
    dataset=dict(pipeline=_base_.colorjitter_train_pipeline)
)
