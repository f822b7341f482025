# Cost-sensitive cross-entropy (w_j = n_min / n_j) on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.cs_ce_loss))
