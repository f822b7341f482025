# OLTR stage 2 on Fashion-MNIST-LT with an open set, the CPU recipe
# (./oltr_resnet8_6e_fashion-mnist-lt.py) on the 8 known classes (Coat and
# Sandal held out; configs/_base_/datasets/fashion_mnist_lt_open.py), after
# ce/ce_resnet8_15e_fashion-mnist-lt-open.py; tested on the known classes'
# images and on the held-out ones' (label -1, OpenSetFMeasure).
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/fashion_mnist_lt_open.py',
    './_base_oltr.py',
]

model = dict(
    neck=dict(**_base_.oltr_neck, feat_size=7),
    head=dict(**_base_.oltr_head, num_classes=8, in_channels=64),
)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[2, 4], gamma=0.1)
]
train_cfg = dict(max_epochs=6, val_interval=6)
train_dataloader = dict(sampler=_base_.oltr_sampler)
load_from = 'work_dirs/ce_resnet8_15e_fashion-mnist-lt-open/epoch_15.pth'
custom_hooks = [
    dict(
        type='ClassCentroidsHook',
        train_eval_dataloader=dict(
            dataset=dict(
                type='OpenSetSplit',
                open_classes=_base_.open_classes,
                dataset=dict(type='FashionMNISTLT', split='train'),
                **_base_.oltr_eval_set,
            ),
            **_base_.oltr_eval_loader,
        ),
    )
]

batch_path = True
