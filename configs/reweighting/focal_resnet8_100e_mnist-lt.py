# Softmax focal loss (gamma 1, as in the LDAM-DRW reference) on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.focal_loss))
