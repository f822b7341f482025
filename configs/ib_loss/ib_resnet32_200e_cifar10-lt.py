# Influence-balanced loss on CIFAR-10-LT (ratio 100): the official CIFAR recipe
# (./_base_ib.py) on the data set's cross-entropy recipe.
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py', './_base_ib.py']

model = dict(head=_base_.ib_head)
param_scheduler = _base_.ib_param_scheduler
