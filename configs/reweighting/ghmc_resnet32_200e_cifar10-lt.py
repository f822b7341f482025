# GHM-C (bins 10, momentum 0.75) on CIFAR-10-LT (ratio 100). ResNet-32 and the
# LDAM-DRW schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.ghmc_loss))
