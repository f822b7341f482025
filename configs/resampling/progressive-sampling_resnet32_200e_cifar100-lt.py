# Progressively balanced sampling (Kang et al.: from instance- to
# class-balanced over the 200 epochs) with cross-entropy on
# CIFAR-100-LT (ratio 100).
_base_ = ['../ce/ce_resnet32_200e_cifar100-lt.py']

train_dataloader = dict(
    sampler=dict(
        _delete_=True, type='ProgressivelyBalancedSampler', num_epochs=200
    )
)
