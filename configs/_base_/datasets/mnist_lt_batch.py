# MNIST-LT on the batch-level data path: each split held as one uint8 tensor
# (TensorBatchDataset), a batch gathered at once, and the training augmentation
# of mnist_lt.py (a 28x28 crop of the image padded by 2, no flip) run on the
# whole batch in the data preprocessor: the same distribution, drawn from
# torch's generator. Options for the data set go on train_dataloader.dataset as
# on the per-sample path. mnist_lt.py's own batch_path = True gives the same
# under mmlt's Runner; this piece is that path written out, for a config on
# another Runner.
_base_ = ['./mnist_lt.py']

data_preprocessor = dict(
    type='CropFlipClsDataPreprocessor',
    crop_size=28,
    padding=2,
    flip_prob=0.0,
)
# a batch is one gather: no worker processes
train_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    collate_fn=dict(type='tensor_batch_collate'),
    dataset=dict(
        _delete_=True,
        type='TensorBatchDataset',
        dataset={{_base_.train_dataloader.dataset}},
    ),
)
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    collate_fn=dict(type='tensor_batch_collate'),
    dataset=dict(
        _delete_=True,
        type='TensorBatchDataset',
        dataset={{_base_.val_dataloader.dataset}},
    ),
)
test_dataloader = val_dataloader
