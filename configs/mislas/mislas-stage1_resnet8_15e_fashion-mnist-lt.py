# MiSLAS stage 1: input mixup (alpha 1) with cross-entropy, MiSLAS's step
# schedule (dvlab-research/MiSLAS train_stage1.py: warm-up over 5 epochs, lr x
# 0.1 at 80% and x 0.01 at 90% of training; the LDAM-DRW schedule that mixup/
# uses drops 100-fold instead).
_base_ = ['../mixup/mixup_resnet8_15e_fashion-mnist-lt.py']

param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.2,
        by_epoch=True,
        begin=0,
        end=1,
        convert_to_iter_based=True,
    ),
    dict(type='MultiStepLR', by_epoch=True, milestones=[12, 14], gamma=0.1),
]
