# RIDE's router (its second stage, ./_base_router.py) on the Fashion-MNIST-LT
# CPU recipe's RIDE model:
#   mim train mmpretrain configs/ride/ride_resnet8_15e_fashion-mnist-lt.py \
#       --work-dir work_dirs/s1 &&
#   mim train mmpretrain \
#       configs/ride/ride-router_resnet8_5e_fashion-mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_15.pth
_base_ = [
    '../_base_/models/ride-router_resnet8_mnist.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    './_base_router.py',
]

train_dataloader = dict(
    batch_size=512, sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
val_evaluator = [_base_.val_evaluator, dict(type='ExpertUsageMetric')]
test_evaluator = val_evaluator
batch_path = True
