# Balanced Softmax (logit adjustment with tau = 1 in the loss) on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(head=dict(loss=dict(_delete_=True, type='BalancedSoftmaxLoss')))
