# Square-root sampling (Kang et al.: class j with probability ~ sqrt(n_j))
# with cross-entropy on MNIST-LT.
_base_ = ['../ce_mnist_lt.py']

train_dataloader = dict(sampler=dict(_delete_=True, type='SquareRootSampler'))
