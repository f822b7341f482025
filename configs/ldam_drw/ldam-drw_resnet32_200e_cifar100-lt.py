# LDAM-DRW on CIFAR-100-LT (ratio 100), the LDAM-DRW paper's full recipe:
# ResNet-32, cosine classifier, LDAM (max_m 0.5, s 30), SGD 200 epochs,
# class-balanced re-weighting (beta 0.9999) from epoch 160.
# Paper: 57.96 top-1 error (42.04% accuracy).
_base_ = [
    '../_base_/models/resnet32_cifar_ldam.py',
    '../_base_/datasets/cifar100_lt.py',
    '../_base_/schedules/cifar_lt_200e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=100))
custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
