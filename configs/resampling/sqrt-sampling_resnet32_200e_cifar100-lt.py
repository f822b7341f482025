# Square-root sampling (Kang et al.: class j with probability ~ sqrt(n_j))
# with cross-entropy on CIFAR-100-LT (ratio 100).
_base_ = ['../ce/ce_resnet32_200e_cifar100-lt.py']

train_dataloader = dict(sampler=dict(_delete_=True, type='SquareRootSampler'))
