# Softmax focal loss (gamma 1, as in the LDAM-DRW reference) on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(
    head=dict(loss=dict(_delete_=True, type='SoftmaxFocalLoss', gamma=1.0))
)
