# RIDE's router (its second stage, ./_base_router.py) on CIFAR-100-LT, the
# official recipe (config_imbalance_cifar100_ride_ea.json: top 30 logits,
# positives weighted 100), after ride_resnet32_200e_cifar100-lt.py
# (--cfg-options load_from=work_dirs/STAGE1/epoch_200.pth). The official
# zoo's 48.6 top-1 (3 experts) is this stage's.
_base_ = [
    '../_base_/models/ride-router_resnet32_cifar.py',
    '../_base_/datasets/cifar100_lt_rotation.py',
    './_base_router.py',
]

model = dict(head=dict(num_classes=100, top_k=30))
train_dataloader = dict(
    batch_size=512, sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
val_evaluator = [_base_.val_evaluator, dict(type='ExpertUsageMetric')]
test_evaluator = val_evaluator
