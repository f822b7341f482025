# Softmax focal loss (gamma 1, as in the LDAM-DRW reference) on CIFAR-10-LT
# (ratio 100). ResNet-32 and the LDAM-DRW schedule (200 epochs). LDAM-DRW
# paper: 29.62 top-1 error.
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.focal_loss))
