# RIDE (3 experts) distilled from its 6-expert teacher
# (ride-6experts_resnet8_15e_fashion-mnist-lt.py, trained first into
# work_dirs/ride-6experts_resnet8_15e_fashion-mnist-lt/) on the Fashion-MNIST-
# LT CPU recipe of ride_resnet8_15e_fashion-mnist-lt.py: RIDEDistillLoss at
# the official temperature 1.5. The recipe's own warm-up is kept (the official
# 20 epochs are a tenth of 200).
_base_ = ['./ride_resnet8_15e_fashion-mnist-lt.py']

model = dict(
    type='DistillationClassifier',
    teacher=dict(
        config='configs/ride/ride-6experts_resnet8_15e_fashion-mnist-lt.py',
        checkpoint='work_dirs/ride-6experts_resnet8_15e_fashion-mnist-lt/'
        'epoch_15.pth',
    ),
    head=dict(loss=dict(type='RIDEDistillLoss', distill_temperature=1.5)),
)
