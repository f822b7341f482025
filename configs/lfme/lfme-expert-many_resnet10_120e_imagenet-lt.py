# LFME's many-shot expert on ImageNet-LT, the official recipe (xiangly55/LFME,
# config/ImageNet_LT/many_shot.py): ResNet-10 with its 512-unit linear layer
# and ReLU after the pooling (use_fc), cross-entropy on the many-shot classes
# only (ShotSubset, numbered from 0: 391 classes), SGD lr 0.1, momentum 0.9,
# weight decay 5e-4, cosine over 120 epochs, batch 128 on one GPU. The
# official groups count 100 and 20 themselves in (many >= 100, few <= 20),
# which mmlt's strict thresholds give as 99 and 21.
_base_ = [
    '../_base_/models/resnet10_fc_lt.py',
    '../_base_/datasets/imagenet_lt_colorjitter.py',
    '../_base_/default_runtime.py',
]

subset = dict(type='ShotSubset', shot='many', many_thr=99, few_thr=21)
model = dict(head=dict(num_classes=391))
data_preprocessor = dict(num_classes=391)
train_dataloader = dict(
    batch_size=128,
    dataset=dict(
        _delete_=True, dataset=_base_.train_dataloader.dataset, **subset
    ),
)
val_dataloader = dict(
    dataset=dict(
        _delete_=True, dataset=_base_.val_dataloader.dataset, **subset
    )
)
test_dataloader = val_dataloader
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)
)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=120, begin=0, end=120)
]
train_cfg = dict(by_epoch=True, max_epochs=120, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
