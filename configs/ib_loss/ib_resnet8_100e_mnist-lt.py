# Influence-balanced loss (alpha 1000, inverse-frequency class weights) after
# plain cross-entropy until epoch 50; the official recipe drops the learning
# rate 100-fold at the switch, then at 80% and 90% of training (pseulki/IB-Loss
# cifar_train.py: 1e-2, 1e-4, 1e-6 of the base).
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(
    head=dict(
        type='FeatureNormLinearClsHead',
        loss=dict(
            _delete_=True,
            type='InfluenceBalancedLoss',
            alpha=1000.0,
            start_epoch=50,
        ),
    )
)
# MNIST-LT's 100 epochs: the official epochs halved.
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5),
    dict(
        type='MultiStepLR', by_epoch=True, milestones=[50, 80, 90], gamma=0.01
    ),
]
