# CAM-based square-root re-sampling (Bag of Tricks, Zhang et al.), stage 2 on
# CIFAR-100-LT (ratio 100): cam-cb-stage2_resnet32_40e_cifar100-lt.py with
# classes drawn in proportion to the square root of their counts.
_base_ = ['./cam-cb-stage2_resnet32_40e_cifar100-lt.py']

train_dataloader = dict(sampler=dict(_delete_=True, type='SquareRootSampler'))
