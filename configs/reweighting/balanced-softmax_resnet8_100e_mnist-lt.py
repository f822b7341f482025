# Balanced Softmax (logit adjustment with tau = 1 in the loss) on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.balanced_softmax_loss))
