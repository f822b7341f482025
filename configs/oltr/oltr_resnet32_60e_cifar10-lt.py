# OLTR stage 2 on CIFAR-10-LT (ratio 100): the cross-entropy recipe
# (ce/ce_resnet32_200e_cifar10-lt.py, trained first into its default work
# dir) as stage 1, then OLTR's 60 epochs with the modulated attention on
# ResNet-32's last 64 x 8 x 8 map, the meta-embedding head and the
# discriminative centroid loss.
_base_ = [
    '../_base_/models/resnet32_cifar.py',
    '../_base_/datasets/cifar10_lt.py',
    './_base_oltr.py',
]

model = dict(
    neck=dict(**_base_.oltr_neck, feat_size=8),
    head=dict(**_base_.oltr_head, num_classes=10, in_channels=64),
)
train_dataloader = dict(sampler=_base_.oltr_sampler)
load_from = 'work_dirs/ce_resnet32_200e_cifar10-lt/epoch_200.pth'
custom_hooks = [
    dict(
        type='ClassCentroidsHook',
        train_eval_dataloader=dict(
            dataset=dict(
                type='CIFAR10LT',
                data_root=_base_.data_root,
                split='train',
                **_base_.oltr_eval_set,
            ),
            **_base_.oltr_eval_loader,
        ),
    )
]
