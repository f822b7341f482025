# Influence-balanced loss (alpha 1000, inverse-frequency class weights) after
# plain cross-entropy until epoch 8; the official recipe drops the learning
# rate 100-fold at the switch, then at 80% and 90% of training (pseulki/IB-Loss
# cifar_train.py: 1e-2, 1e-4, 1e-6 of the base).
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py']

model = dict(
    head=dict(
        type='FeatureNormLinearClsHead',
        loss=dict(
            _delete_=True,
            type='InfluenceBalancedLoss',
            alpha=1000.0,
            start_epoch=8,
        ),
    )
)
# The CPU recipe's 15 epochs: the switch at 8 (100 of 200, rounded up), the
# later drops where the CPU schedule has them (12, 14).
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.2,
        by_epoch=True,
        begin=0,
        end=1,
        convert_to_iter_based=True,
    ),
    dict(
        type='MultiStepLR', by_epoch=True, milestones=[8, 12, 14], gamma=0.01
    ),
]
