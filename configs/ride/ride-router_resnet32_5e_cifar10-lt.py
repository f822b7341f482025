# RIDE's router (its second stage, ./_base_router.py) on CIFAR-10-LT, after
# ride_resnet32_200e_cifar10-lt.py (--cfg-options
# load_from=work_dirs/STAGE1/epoch_200.pth). The official code has no
# CIFAR-10 router config: this is CIFAR-100-LT's with the official model's
# default top_k of 5 for 10 classes.
_base_ = [
    '../_base_/models/ride-router_resnet32_cifar.py',
    '../_base_/datasets/cifar10_lt_rotation.py',
    './_base_router.py',
]

train_dataloader = dict(
    batch_size=512, sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
val_evaluator = [_base_.val_evaluator, dict(type='ExpertUsageMetric')]
test_evaluator = val_evaluator
