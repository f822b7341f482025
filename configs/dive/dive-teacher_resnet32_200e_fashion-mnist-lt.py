# DiVE's teacher on Fashion-MNIST-LT (ratio 100): Balanced Softmax,
# ResNet-32 with a linear classifier, the gallery's schedule (_base_dive.py).
# Train it first; dive_resnet32_200e_fashion-mnist-lt.py reads its
# epoch_200.pth.
_base_ = [
    '../ce/ce_resnet32_200e_fashion-mnist-lt.py',
    '../reweighting/_base_losses.py',
    './_base_dive.py',
]

model = dict(head=dict(loss=_base_.balanced_softmax_loss))
param_scheduler = _base_.gallery_param_scheduler
