# CAM-based square-root re-sampling (Bag of Tricks, Zhang et al.), stage 2 on
# CIFAR-10-LT (ratio 100): cam_cb_stage2_cifar10_lt.py with classes drawn in
# proportion to the square root of their counts.
_base_ = ['./cam_cb_stage2_cifar10_lt.py']

train_dataloader = dict(sampler=dict(_delete_=True, type='SquareRootSampler'))
