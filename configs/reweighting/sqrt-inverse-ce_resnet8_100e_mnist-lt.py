# Cross-entropy weighted by square-root inverse frequency on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='WeightedCrossEntropyLoss',
            weighting='sqrt_inverse',
        )
    )
)
