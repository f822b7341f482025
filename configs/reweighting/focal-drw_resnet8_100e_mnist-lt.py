# Softmax focal loss with deferred re-weighting from epoch 80 on MNIST-LT.
_base_ = ['./focal_resnet8_100e_mnist-lt.py']

custom_hooks = [dict(type='DRWHook', drw_epoch=80, beta=0.9999)]
