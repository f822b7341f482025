# GHM-C (bins 10, momentum 0.75) with deferred re-weighting from epoch 160 on
# CIFAR-100-LT (ratio 100). ResNet-32 and the LDAM-DRW schedule (200 epochs).
_base_ = ['./ghmc_resnet32_200e_cifar100-lt.py']

custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
