# Class-balanced cross-entropy (Cui et al.: effective number, beta 0.9999),
# weighted from the first epoch on Fashion-MNIST-LT (ratio 100), the CPU
# recipe.
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.cb_ce_loss))
