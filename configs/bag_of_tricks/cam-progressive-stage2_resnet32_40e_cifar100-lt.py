# CAM-based progressively balanced re-sampling (Bag of Tricks, Zhang et al.),
# stage 2 on CIFAR-100-LT (ratio 100):
# cam-cb-stage2_resnet32_40e_cifar100-lt.py with sampling moving from instance-
# to class-balanced over its 40 epochs.
_base_ = ['./cam-cb-stage2_resnet32_40e_cifar100-lt.py']

train_dataloader = dict(
    sampler=dict(
        _delete_=True, type='ProgressivelyBalancedSampler', num_epochs=40
    )
)
