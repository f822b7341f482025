# Cost-sensitive cross-entropy (w_j = n_min / n_j) on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='WeightedCrossEntropyLoss',
            weighting='cost_sensitive',
        )
    )
)
