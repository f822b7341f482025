# Class-balanced cross-entropy (Cui et al.: effective number, beta 0.9999)
# on CIFAR-10-LT (ratio 100), weighted from the first epoch. ResNet-32 and
# the LDAM-DRW schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.cb_ce_loss))
