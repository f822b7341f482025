# Balanced Softmax (logit adjustment with tau = 1 in the loss) on MNIST-LT.
_base_ = ['../ce_mnist_lt.py']

model = dict(head=dict(loss=dict(_delete_=True, type='BalancedSoftmaxLoss')))
