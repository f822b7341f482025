# Class-balanced softmax focal loss (Cui et al.: beta 0.9999, gamma 1) on
# CIFAR-10-LT (ratio 100), weighted from the first epoch. ResNet-32 and the
# LDAM-DRW schedule (200 epochs). LDAM-DRW paper: 25.43 top-1 error.
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.cb_focal_loss))
