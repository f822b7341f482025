# Square-root sampling (Kang et al.: class j with probability ~ sqrt(n_j))
# with cross-entropy on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

train_dataloader = dict(sampler=dict(_delete_=True, type='SquareRootSampler'))
