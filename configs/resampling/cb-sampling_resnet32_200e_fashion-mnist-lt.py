# Class-balanced sampling (Kang et al.: each class equally likely, then an
# image of it) with cross-entropy on Fashion-MNIST-LT (ratio 100), the
# CIFAR-10-LT recipe.
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py']

train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
