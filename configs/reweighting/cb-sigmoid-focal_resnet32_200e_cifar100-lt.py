# Class-balanced sigmoid focal loss (Cui et al.: beta 0.9999, gamma 1) on
# CIFAR-100-LT (ratio 100), weighted from the first epoch. ResNet-32 and
# the LDAM-DRW schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar100-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.cb_sigmoid_focal_loss))
