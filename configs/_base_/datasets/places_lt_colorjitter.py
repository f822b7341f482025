# Places-LT with OLTR's training augmentation (its data/dataloader.py, one
# loader for both data sets): random resized crop, flip and colour jitter
# (brightness, contrast and saturation 0.4, no hue).
_base_ = ['./places_lt.py']

train_dataloader = dict(
    dataset=dict(pipeline=_base_.colorjitter_train_pipeline)
)
