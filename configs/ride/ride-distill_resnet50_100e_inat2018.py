# RIDE (3 experts) distilled from its 6-expert teacher
# (ride-6experts_resnet50_100e_inat2018.py, trained first) on iNaturalist
# 2018, the official recipe (config_iNaturalist_resnet50_distill_ride.json):
# temperature 1.5, the stage-1 schedule and its 5 epochs of warm-up.
_base_ = ['./ride_resnet50_100e_inat2018.py']

model = dict(
    type='DistillationClassifier',
    teacher=dict(
        config='configs/ride/ride-6experts_resnet50_100e_inat2018.py',
        checkpoint='work_dirs/ride-6experts_resnet50_100e_inat2018/'
        'epoch_100.pth',
    ),
    head=dict(loss=dict(type='RIDEDistillLoss', distill_temperature=1.5)),
)
