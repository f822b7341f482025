# RIDE (3 experts) distilled from its 6-expert teacher
# (ride-6experts_resnet32_200e_fashion-mnist-lt.py, trained first) on Fashion-
# MNIST-LT, the official CIFAR schedule, for a GPU.
_base_ = ['./ride_resnet32_200e_fashion-mnist-lt.py']

model = dict(
    type='DistillationClassifier',
    teacher=dict(
        config='configs/ride/ride-6experts_resnet32_200e_fashion-mnist-lt.py',
        checkpoint='work_dirs/ride-6experts_resnet32_200e_fashion-mnist-lt/'
        'epoch_200.pth',
    ),
    head=dict(loss=dict(type='RIDEDistillLoss', distill_temperature=1.5)),
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.05, by_epoch=True, begin=0, end=20),
    dict(type='MultiStepLR', by_epoch=True, milestones=[160, 180], gamma=0.01),
]
