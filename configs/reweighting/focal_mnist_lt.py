# Softmax focal loss (gamma 1, as in the LDAM-DRW reference) on MNIST-LT.
_base_ = ['../ce_mnist_lt.py']

model = dict(
    head=dict(loss=dict(_delete_=True, type='SoftmaxFocalLoss', gamma=1.0))
)
