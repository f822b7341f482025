# Balanced Softmax (logit adjustment with tau = 1 in the loss) on CIFAR-100-LT
# (ratio 100). ResNet-32 and the LDAM-DRW schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar100-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.balanced_softmax_loss))
