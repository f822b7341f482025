# Cross-entropy with deferred re-weighting (class-balanced, beta 0.9999) from
# epoch 160 of 200 on Fashion-MNIST-LT (ratio 100), the CIFAR-10-LT recipe.
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py']

model = dict(
    head=dict(loss=dict(_delete_=True, type='WeightedCrossEntropyLoss'))
)
custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
