# Balanced Softmax with deferred re-weighting from epoch 160 on CIFAR-10-LT
# (ratio 100). ResNet-32 and the LDAM-DRW schedule (200 epochs).
_base_ = ['./balanced-softmax_resnet32_200e_cifar10-lt.py']

custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
