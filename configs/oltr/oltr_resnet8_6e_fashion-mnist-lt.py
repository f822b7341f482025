# OLTR stage 2 on Fashion-MNIST-LT (ratio 100), the CPU recipe: the
# cross-entropy recipe (ce/ce_resnet8_15e_fashion-mnist-lt.py, trained first
# into its default work dir) as stage 1, then OLTR's stage 2 on ResNet-8's
# last 64 x 7 x 7 map. Its 60 epochs are scaled by a tenth, as the CPU
# recipe scales stage 1, keeping the lr steps at a third and two thirds:
# 6 epochs, x 0.1 after epochs 2 and 4.
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    './_base_oltr.py',
]

model = dict(
    neck=dict(**_base_.oltr_neck, feat_size=7),
    head=dict(**_base_.oltr_head, num_classes=10, in_channels=64),
)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[2, 4], gamma=0.1)
]
train_cfg = dict(max_epochs=6, val_interval=6)
train_dataloader = dict(sampler=_base_.oltr_sampler)
load_from = 'work_dirs/ce_resnet8_15e_fashion-mnist-lt/epoch_15.pth'
custom_hooks = [
    dict(
        type='ClassCentroidsHook',
        train_eval_dataloader=dict(
            dataset=dict(
                type='FashionMNISTLT', split='train', **_base_.oltr_eval_set
            ),
            **_base_.oltr_eval_loader,
        ),
    )
]

# The batch-level data path (mmlt.datasets.to_batch_path), as stage 1;
# --cfg-options batch_path=False runs the per-sample pipeline.
batch_path = True
