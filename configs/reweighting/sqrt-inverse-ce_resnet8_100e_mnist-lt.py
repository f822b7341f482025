# Cross-entropy weighted by square-root inverse frequency on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.sqrt_inverse_ce_loss))
