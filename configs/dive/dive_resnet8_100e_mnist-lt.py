# DiVE on MNIST-LT (ratio 100), the MNIST-LT recipe of
# ce_resnet8_100e_mnist-lt.py: the student distilled from the Balanced
# Softmax model of that recipe (reweighting/balanced-softmax_resnet8_100e_
# mnist-lt.py, trained first, into its default work dir).
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_dive.py']

model = dict(
    type='DistillationClassifier',
    teacher=dict(
        config='configs/reweighting/balanced-softmax_resnet8_100e_mnist-lt.py',
        checkpoint='work_dirs/balanced-softmax_resnet8_100e_mnist-lt/'
        'epoch_100.pth',
    ),
    head=dict(loss=_base_.dive_loss),
)
