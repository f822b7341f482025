# LFME on ImageNet-LT, the official recipe (xiangly55/LFME,
# config/ImageNet_LT/LFME.py): a ResNet-10 student (with the experts' linear
# layer and ReLU) distilled from the three lfme-expert-*_resnet10_120e
# models (trained first, into their default work dirs); SGD lr 0.1, momentum
# 0.9, weight decay 5e-4, batch 256, 90 epochs, lr x 0.1 at 50 and 80; the
# official groups (many >= 100, few <= 20: mmlt's 99 and 21). LFMEHook
# measures the expert weights on ImageNet-LT's validation list
# (ImageNet_LT_val.txt, 20 images a class; never the test list).
_base_ = [
    '../_base_/models/resnet10_fc_lt.py',
    '../_base_/datasets/imagenet_lt_colorjitter.py',
    '../_base_/default_runtime.py',
    './_base_lfme.py',
]

R = 'lfme-expert-{}_resnet10_120e_imagenet-lt'
model = dict(
    type='LFMEClassifier',
    many_thr=99,
    few_thr=21,
    experts=[
        dict(
            shot=shot,
            config=f'configs/lfme/{R.format(shot)}.py',
            checkpoint=f'work_dirs/{R.format(shot)}/epoch_120.pth',
        )
        for shot in ('many', 'medium', 'few')
    ],
    head=dict(loss=_base_.lfme_loss),
)
train_dataloader = dict(batch_size=256, sampler=_base_.lfme_sampler)
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)
)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[50, 80], gamma=0.1)
]
train_cfg = dict(by_epoch=True, max_epochs=90, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=256)
# both of LFMEHook's lists with the test pipeline, the training list's
# counts recorded
custom_hooks = [
    dict(
        type='LFMEHook',
        val_dataloader=dict(
            dataset=dict(
                type='ImageListLT',
                data_root=_base_.data_root,
                ann_file='ImageNet_LT_val.txt',
                train_ann_file='ImageNet_LT_train.txt',
                num_classes=1000,
                pipeline=_base_.test_pipeline,
            ),
            batch_size=256,
            num_workers=8,
        ),
        train_eval_dataloader=dict(
            dataset=dict(
                type='ImageListLT',
                data_root=_base_.data_root,
                ann_file='ImageNet_LT_train.txt',
                num_classes=1000,
                pipeline=_base_.test_pipeline,
            ),
            batch_size=256,
            num_workers=8,
        ),
    )
]
