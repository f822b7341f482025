# Class-balanced sampling (Kang et al.: each class equally likely, then an
# image of it) with cross-entropy on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
