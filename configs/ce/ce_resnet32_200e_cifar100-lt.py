# Cross-entropy baseline on CIFAR-100-LT (ratio 100): ResNet-32, linear
# classifier, the LDAM-DRW reference schedule. Paper: 61.68 top-1 error.
_base_ = [
    '../_base_/models/resnet32_cifar.py',
    '../_base_/datasets/cifar100_lt.py',
    '../_base_/schedules/cifar_lt_200e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=100))
