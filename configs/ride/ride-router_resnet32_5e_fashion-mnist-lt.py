# RIDE's router (its second stage, ./_base_router.py) on the Fashion-MNIST-LT
# RIDE model of the CIFAR-LT recipe (ride_resnet32_200e_fashion-mnist-lt.py),
# with --cfg-options load_from=work_dirs/STAGE1/epoch_200.pth.
_base_ = [
    '../_base_/models/ride-router_resnet32_cifar.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    './_base_router.py',
]

model = dict(backbone=dict(in_channels=1))
train_dataloader = dict(
    batch_size=512, sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
val_evaluator = [_base_.val_evaluator, dict(type='ExpertUsageMetric')]
test_evaluator = val_evaluator
