# Class-balanced softmax focal loss (Cui et al.: beta 0.9999, gamma 1)
# on MNIST-LT, weighted from the first epoch.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='SoftmaxFocalLoss',
            gamma=1.0,
            weighting='class_balanced',
            beta=0.9999,
        )
    )
)
