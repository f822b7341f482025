# Cross-entropy with deferred re-weighting (class-balanced, beta 0.9999) from
# epoch 160 of 200 on CIFAR-100-LT (ratio 100). ResNet-32 and the LDAM-DRW
# schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar100-lt.py']

model = dict(
    head=dict(loss=dict(_delete_=True, type='WeightedCrossEntropyLoss'))
)
custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
