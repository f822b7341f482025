# GHM-C with deferred re-weighting from epoch 160 of 200 on Fashion-MNIST-LT
# (ratio 100), the CIFAR-10-LT recipe.
_base_ = ['./ghmc_resnet32_200e_fashion-mnist-lt.py']

custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
