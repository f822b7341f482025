# MiSLAS stage 2 on CIFAR-100-LT (MiSLAS's
# config/cifar100/cifar100_imb001_stage2_mislas.yaml: smoothing 0.4 / 0.1,
# lr_factor 0.2, and the BatchNorm statistics shift on the stage-2 batches
# (shift_bn: True)): ./_base_stage2.py.
#   mim train mmpretrain \
#       configs/mislas/mislas-stage1_resnet32_200e_cifar100-lt.py \
#       --work-dir work_dirs/s1 &&
#   mim train mmpretrain \
#       configs/mislas/mislas-stage2_resnet32_10e_cifar100-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_200.pth
_base_ = [
    '../_base_/models/resnet32_cifar.py',
    '../_base_/datasets/cifar100_lt.py',
    './_base_stage2.py',
]

model = dict(
    head=dict(
        type='LWSLinearClsHead',
        num_classes=100,
        loss=dict(
            _delete_=True,
            type='LabelAwareSmoothingLoss',
            smooth_head=0.4,
            smooth_tail=0.1,
            shape='concave',
        ),
    )
)
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
custom_hooks = [
    dict(
        type='ClassifierRetrainingHook',
        trainable=['head'],
        reinit=False,
        update_norm_statistics=True,
    )
]
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'head.fc': dict(lr_mult=0.2)})
)
