# RIDE's router (its second stage, ./_base_router.py) on the MNIST-LT RIDE
# model:
#   mim train mmpretrain configs/ride/ride_resnet8_100e_mnist-lt.py \
#       --work-dir work_dirs/s1 &&
#   mim train mmpretrain configs/ride/ride-router_resnet8_5e_mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_100.pth
_base_ = [
    '../_base_/models/ride-router_resnet8_mnist.py',
    '../_base_/datasets/mnist_lt.py',
    './_base_router.py',
]

default_hooks = dict(logger=dict(interval=10))
train_dataloader = dict(
    batch_size=512, sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
val_evaluator = [_base_.val_evaluator, dict(type='ExpertUsageMetric')]
test_evaluator = val_evaluator
