# CAM-based square-root re-sampling (Bag of Tricks, Zhang et al.), stage 2 on
# MNIST-LT: cam_cb_stage2_mnist_lt.py with classes drawn in proportion to the
# square root of their counts.
_base_ = ['./cam_cb_stage2_mnist_lt.py']

train_dataloader = dict(sampler=dict(_delete_=True, type='SquareRootSampler'))
