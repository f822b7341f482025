# RIDE (3 experts, reduced widths) on CIFAR-100-LT (ratio 100), the
# official recipe (config_imbalance_cifar100_ride.json): RIDELoss with
# diversity factor -0.45, SGD with Nesterov momentum and weight decay 5e-4,
# batch 128, 200 epochs, lr x 0.01 from epoch 160 (where DRW switches the
# LDAM weights and the diversity temperatures) and again from 180; crop,
# flip and rotation up to 15 degrees. The official zoo's 48.6 top-1 is
# with the expert router (its stage 2), not this stage alone.
_base_ = [
    '../_base_/models/ride_resnet32_cifar.py',
    '../_base_/datasets/cifar100_lt_rotation.py',
    '../_base_/schedules/ride_cifar_lt_200e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=100))
custom_hooks = [dict(type='DRWHook', drw_epoch=160, beta=0.9999)]
