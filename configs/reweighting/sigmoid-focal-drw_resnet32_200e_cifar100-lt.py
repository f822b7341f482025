# Sigmoid focal loss (gamma 1) with deferred re-weighting from epoch 160 on
# CIFAR-100-LT (ratio 100). ResNet-32 and the LDAM-DRW schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar100-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.sigmoid_focal_loss))
custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
