# Class-balanced cross-entropy (Cui et al.: effective number, beta 0.9999)
# on MNIST-LT, weighted from the first epoch.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.cb_ce_loss))
