# DiVE on Fashion-MNIST-LT (ratio 100), the CPU recipe of
# ce_resnet8_15e_fashion-mnist-lt.py: the student distilled from the
# Balanced Softmax model of that recipe (reweighting/balanced-softmax_
# resnet8_15e_fashion-mnist-lt.py, trained first, into its default work dir).
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py', './_base_dive.py']

model = dict(
    type='DistillationClassifier',
    teacher=dict(
        config='configs/reweighting/'
        'balanced-softmax_resnet8_15e_fashion-mnist-lt.py',
        checkpoint='work_dirs/balanced-softmax_resnet8_15e_fashion-mnist-lt/'
        'epoch_15.pth',
    ),
    head=dict(loss=_base_.dive_loss),
)
