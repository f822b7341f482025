# CAM-based progressively balanced re-sampling (Bag of Tricks, Zhang et al.),
# stage 2 on MNIST-LT: cam-cb-stage2_resnet8_20e_mnist-lt.py with sampling
# moving from instance- to class-balanced over its 20 epochs.
_base_ = ['./cam-cb-stage2_resnet8_20e_mnist-lt.py']

train_dataloader = dict(
    sampler=dict(
        _delete_=True, type='ProgressivelyBalancedSampler', num_epochs=20
    )
)
