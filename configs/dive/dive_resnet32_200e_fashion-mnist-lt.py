# DiVE on Fashion-MNIST-LT (ratio 100), ResNet-32, the gallery's schedule:
# the student distilled from dive-teacher_resnet32_200e_fashion-mnist-lt.py
# (trained first, into its default work dir).
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py', './_base_dive.py']

model = dict(
    type='DistillationClassifier',
    teacher=dict(
        config='configs/dive/dive-teacher_resnet32_200e_fashion-mnist-lt.py',
        checkpoint='work_dirs/dive-teacher_resnet32_200e_fashion-mnist-lt/'
        'epoch_200.pth',
    ),
    head=dict(loss=_base_.dive_loss),
)
param_scheduler = _base_.gallery_param_scheduler
