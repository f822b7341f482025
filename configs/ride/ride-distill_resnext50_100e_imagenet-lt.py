# RIDE (3 experts) distilled from its 6-expert teacher
# (ride-6experts_resnext50_100e_imagenet-lt.py, trained first) on ImageNet-LT,
# the official recipe (config_imagenet_lt_resnext50_distill_ride.json):
# temperature 1.5, the stage-1 schedule and its 5 epochs of warm-up.
_base_ = ['./ride_resnext50_100e_imagenet-lt.py']

model = dict(
    type='DistillationClassifier',
    teacher=dict(
        config='configs/ride/ride-6experts_resnext50_100e_imagenet-lt.py',
        checkpoint='work_dirs/ride-6experts_resnext50_100e_imagenet-lt/'
        'epoch_100.pth',
    ),
    head=dict(loss=dict(type='RIDEDistillLoss', distill_temperature=1.5)),
)
