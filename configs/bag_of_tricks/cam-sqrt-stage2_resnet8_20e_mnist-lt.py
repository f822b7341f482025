# CAM-based square-root re-sampling (Bag of Tricks, Zhang et al.), stage 2 on
# MNIST-LT: cam-cb-stage2_resnet8_20e_mnist-lt.py with classes drawn in
# proportion to the square root of their counts.
_base_ = ['./cam-cb-stage2_resnet8_20e_mnist-lt.py']

train_dataloader = dict(sampler=dict(_delete_=True, type='SquareRootSampler'))
