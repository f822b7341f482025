# Progressively balanced sampling (Kang et al.: from instance- to
# class-balanced over the 100 epochs) with cross-entropy on MNIST-LT.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

train_dataloader = dict(
    sampler=dict(
        _delete_=True, type='ProgressivelyBalancedSampler', num_epochs=100
    )
)
