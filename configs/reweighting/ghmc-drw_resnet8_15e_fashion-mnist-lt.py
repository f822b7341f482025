# GHM-C with deferred re-weighting from epoch 12 of 15 on Fashion-MNIST-LT
# (ratio 100), the CPU recipe (80% of training, as 80 of 100 on MNIST-LT and
# 160 of 200 on CIFAR).
_base_ = ['./ghmc_resnet8_15e_fashion-mnist-lt.py']

custom_hooks = [dict(type='DRWHook', drw_epoch=12, beta=0.9999)]
