# RIDE (3 experts) distilled from its 6-expert teacher
# (ride-6experts_resnet32_200e_cifar10-lt.py, trained first) on CIFAR-10-LT,
# the CIFAR-100-LT distilled recipe's settings (the official code has no
# CIFAR-10-LT config).
_base_ = ['./ride_resnet32_200e_cifar10-lt.py']

model = dict(
    type='DistillationClassifier',
    teacher=dict(
        config='configs/ride/ride-6experts_resnet32_200e_cifar10-lt.py',
        checkpoint='work_dirs/ride-6experts_resnet32_200e_cifar10-lt/'
        'epoch_200.pth',
    ),
    head=dict(loss=dict(type='RIDEDistillLoss', distill_temperature=1.5)),
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.05, by_epoch=True, begin=0, end=20),
    dict(type='MultiStepLR', by_epoch=True, milestones=[160, 180], gamma=0.01),
]
