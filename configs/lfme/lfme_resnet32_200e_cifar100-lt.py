# LFME on CIFAR-100-LT (ratio 100): a student of the data set's recipe
# (ResNet-32, 200 epochs) distilled from the three lfme-expert-* models of
# that recipe (trained first, into their default work dirs). LFMEHook
# measures the expert weights on the 'val' split: 100 images of each class
# that the long-tailed selection left out (class 0 has none left; never the
# test split).
_base_ = ['../ce/ce_resnet32_200e_cifar100-lt.py', './_base_lfme.py']

R = 'lfme-expert-{}_resnet32_200e_cifar100-lt'
model = dict(
    type='LFMEClassifier',
    many_thr=100,
    few_thr=20,
    experts=[
        dict(
            shot=shot,
            config=f'configs/lfme/{R.format(shot)}.py',
            checkpoint=f'work_dirs/{R.format(shot)}/epoch_200.pth',
        )
        for shot in ('many', 'medium', 'few')
    ],
    head=dict(loss=_base_.lfme_loss),
)
train_dataloader = dict(sampler=_base_.lfme_sampler)
custom_hooks = [
    dict(
        type='LFMEHook',
        val_dataloader=dict(
            dataset=dict(
                type='CIFAR100LT',
                data_root=_base_.data_root,
                split='val',
                **_base_.lfme_eval_set,
            ),
            **_base_.lfme_eval_loader,
        ),
        train_eval_dataloader=dict(
            dataset=dict(
                type='CIFAR100LT',
                data_root=_base_.data_root,
                split='train',
                **_base_.lfme_eval_set,
            ),
            **_base_.lfme_eval_loader,
        ),
    )
]
