# Class-balanced sampling (Kang et al.: each class equally likely, then an
# image of it) with cross-entropy on CIFAR-10-LT (ratio 100).
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py']

train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
