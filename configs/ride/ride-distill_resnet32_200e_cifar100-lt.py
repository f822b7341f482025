# RIDE (3 experts) distilled from the 6-expert teacher on CIFAR-100-LT, the
# official recipe (config_imbalance_cifar100_distill_ride.json):
# RIDEDistillLoss at temperature 1.5, the teacher frozen
# (DistillationClassifier), 20 epochs of warm-up instead of 5; otherwise the
# 3-expert recipe. Train the teacher first:
#   T=ride-6experts_resnet32_200e_cifar100-lt
#   mim train mmpretrain configs/ride/$T.py --work-dir work_dirs/$T
# The router stage (ride-router_resnet32_5e_cifar100-lt.py) then loads this
# run's epoch_200.pth: the official zoo's 49.0 top-1 is with it.
_base_ = ['./ride_resnet32_200e_cifar100-lt.py']

model = dict(
    type='DistillationClassifier',
    teacher=dict(
        config='configs/ride/ride-6experts_resnet32_200e_cifar100-lt.py',
        checkpoint='work_dirs/ride-6experts_resnet32_200e_cifar100-lt/'
        'epoch_200.pth',
    ),
    head=dict(loss=dict(type='RIDEDistillLoss', distill_temperature=1.5)),
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.05, by_epoch=True, begin=0, end=20),
    dict(type='MultiStepLR', by_epoch=True, milestones=[160, 180], gamma=0.01),
]
