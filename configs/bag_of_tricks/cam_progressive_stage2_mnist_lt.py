# CAM-based progressively balanced re-sampling (Bag of Tricks, Zhang et al.),
# stage 2 on MNIST-LT: cam_cb_stage2_mnist_lt.py with sampling moving from
# instance- to class-balanced over its 20 epochs.
_base_ = ['./cam_cb_stage2_mnist_lt.py']

train_dataloader = dict(
    sampler=dict(
        _delete_=True, type='ProgressivelyBalancedSampler', num_epochs=20
    )
)
