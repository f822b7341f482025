# LFME on Fashion-MNIST-LT (ratio 100), the CPU recipe: a student of the data
# set's recipe distilled from the three lfme-expert-* models of that recipe
# (trained first, into their default work dirs). LFMEHook measures the expert
# weights on the 'val' split: 100 images of each class that the long-tailed
# selection left out (class 0 has none left; never the test split).
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py', './_base_lfme.py']

R = 'lfme-expert-{}_resnet8_15e_fashion-mnist-lt'
model = dict(
    type='LFMEClassifier',
    many_thr=1000,
    few_thr=200,
    experts=[
        dict(
            shot=shot,
            config=f'configs/lfme/{R.format(shot)}.py',
            checkpoint=f'work_dirs/{R.format(shot)}/epoch_15.pth',
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
                type='FashionMNISTLT', split='val', **_base_.lfme_eval_set
            ),
            **_base_.lfme_eval_loader,
        ),
        train_eval_dataloader=dict(
            dataset=dict(
                type='FashionMNISTLT', split='train', **_base_.lfme_eval_set
            ),
            **_base_.lfme_eval_loader,
        ),
    )
]
