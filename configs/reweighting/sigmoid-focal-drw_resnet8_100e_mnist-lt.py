# Sigmoid focal loss (gamma 1) with deferred re-weighting from epoch 80 on
# MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(
    head=dict(
        loss=dict(_delete_=True, type='WeightedSigmoidFocalLoss', gamma=1.0)
    )
)
custom_hooks = [
    dict(type='DRWHook', drw_epoch=80, beta=0.9999),
]
