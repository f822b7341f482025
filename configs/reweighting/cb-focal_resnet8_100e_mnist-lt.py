# Class-balanced softmax focal loss (Cui et al.: beta 0.9999, gamma 1)
# on MNIST-LT, weighted from the first epoch.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.cb_focal_loss))
