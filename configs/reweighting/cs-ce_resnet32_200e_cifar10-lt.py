# Cost-sensitive cross-entropy (w_j = n_min / n_j) on CIFAR-10-LT (ratio 100).
# ResNet-32 and the LDAM-DRW schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.cs_ce_loss))
