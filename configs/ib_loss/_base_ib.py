# The influence-balanced loss and the official CIFAR schedule (pseulki/IB-Loss
# cifar_train.py), defined once for the 200-epoch recipes:
#   _base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py', './_base_ib.py']
#   model = dict(head=_base_.ib_head)
#   param_scheduler = _base_.ib_param_scheduler
# alpha 1000, inverse-frequency class weights (the loss's default), plain
# cross-entropy until epoch 100; the head hands the loss ||h||_1.
ib_head = dict(
    type='FeatureNormLinearClsHead',
    loss=dict(
        _delete_=True,
        type='InfluenceBalancedLoss',
        alpha=1000.0,
        start_epoch=100,
    ),
)
# warm-up over 5 epochs, then the lr 100-fold down at the switch and again at
# 160 and 180: 1e-2, 1e-4, 1e-6 of the base
ib_param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5),
    dict(
        type='MultiStepLR',
        by_epoch=True,
        milestones=[100, 160, 180],
        gamma=0.01,
    ),
]
