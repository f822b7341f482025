# Cross-entropy weighted by square-root inverse frequency on CIFAR-10-LT (ratio
# 100). ResNet-32 and the LDAM-DRW schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.sqrt_inverse_ce_loss))
