# Cross-entropy with deferred re-weighting (class-balanced, beta 0.9999)
# from epoch 80 of 100 on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(
    head=dict(loss=dict(_delete_=True, type='WeightedCrossEntropyLoss'))
)
custom_hooks = [dict(type='DRWHook', drw_epoch=80, beta=0.9999)]
