# OLTR stage 2 on MNIST-LT with an open set: the MNIST-LT recipe
# (./oltr_resnet8_60e_mnist-lt.py) on the 8 known digits (4 and 5 held out;
# configs/_base_/datasets/mnist_lt_open.py), after
# ce/ce_resnet8_100e_mnist-lt-open.py; tested on the known digits' images and
# on the held-out ones' (label -1, OpenSetFMeasure).
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/mnist_lt_open.py',
    './_base_oltr.py',
]

model = dict(
    neck=dict(**_base_.oltr_neck, feat_size=7),
    head=dict(**_base_.oltr_head, num_classes=8, in_channels=64),
)
train_dataloader = dict(sampler=_base_.oltr_sampler)
load_from = 'work_dirs/ce_resnet8_100e_mnist-lt-open/epoch_100.pth'
custom_hooks = [
    dict(
        type='ClassCentroidsHook',
        train_eval_dataloader=dict(
            dataset=dict(
                type='OpenSetSplit',
                open_classes=_base_.open_classes,
                dataset=dict(type='MNISTLT', split='train'),
                **_base_.oltr_eval_set,
            ),
            **_base_.oltr_eval_loader,
        ),
    )
]
default_hooks = dict(logger=dict(interval=10))
