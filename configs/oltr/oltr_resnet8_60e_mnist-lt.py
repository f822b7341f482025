# OLTR stage 2 on MNIST-LT (ratio 100): the cross-entropy recipe
# (ce/ce_resnet8_100e_mnist-lt.py, trained first into its default work dir)
# as stage 1, then OLTR's 60 epochs with the modulated attention on
# ResNet-8's last 64 x 7 x 7 map, the meta-embedding head and the
# discriminative centroid loss.
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/mnist_lt.py',
    './_base_oltr.py',
]

model = dict(
    neck=dict(**_base_.oltr_neck, feat_size=7),
    head=dict(**_base_.oltr_head, num_classes=10, in_channels=64),
)
train_dataloader = dict(sampler=_base_.oltr_sampler)
load_from = 'work_dirs/ce_resnet8_100e_mnist-lt/epoch_100.pth'
custom_hooks = [
    dict(
        type='ClassCentroidsHook',
        train_eval_dataloader=dict(
            dataset=dict(
                type='MNISTLT', split='train', **_base_.oltr_eval_set
            ),
            **_base_.oltr_eval_loader,
        ),
    )
]
default_hooks = dict(logger=dict(interval=10))
