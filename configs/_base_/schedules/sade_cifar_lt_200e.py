# SADE's CIFAR-LT schedule (config_cifar100_ir100_sade.json): as RIDE's,
# but the lr drops x 0.1 at epochs 160 and 180.
_base_ = ['./ride_cifar_lt_200e.py']

param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5),
    dict(type='MultiStepLR', by_epoch=True, milestones=[160, 180], gamma=0.1),
]
