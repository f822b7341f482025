# Sigmoid focal loss (gamma 1) with deferred re-weighting from epoch 80 on
# MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.sigmoid_focal_loss))
custom_hooks = [dict(type='DRWHook', drw_epoch=80, beta=0.9999)]
