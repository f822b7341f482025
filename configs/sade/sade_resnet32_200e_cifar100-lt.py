# SADE on CIFAR-100-LT (ratio 100), the official recipe
# (config_cifar100_ir100_sade.json): 3 experts (ResNet-32, reduced widths),
# SADELoss with tau 2, SGD with Nesterov momentum and weight decay 5e-4,
# batch 128, 200 epochs, lr x 0.1 at epochs 160 and 180, no DRW; crop,
# flip and rotation up to 15 degrees. Prediction: the mean of the experts'
# logits (the official 49.8 is with its test-time aggregation).
_base_ = [
    '../_base_/models/sade_resnet32_cifar.py',
    '../_base_/datasets/cifar100_lt_rotation.py',
    '../_base_/schedules/sade_cifar_lt_200e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=100))
