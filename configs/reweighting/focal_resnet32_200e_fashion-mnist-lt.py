# Softmax focal loss (gamma 1, as in the LDAM-DRW reference) on
# Fashion-MNIST-LT (ratio 100), the CIFAR-10-LT recipe.
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py', './_base_losses.py']

model = dict(head=dict(loss=_base_.focal_loss))
