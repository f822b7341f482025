# GHM-C (bins 10, momentum 0.75) on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.ghmc_loss))
