# RIDE (3 experts, reduced widths) on iNaturalist 2018, the official recipe
# (config_iNaturalist_resnet50_ride.json): ResNet-50, batch 512, lr 0.2, the
# ImageNet-LT schedule otherwise (100 epochs, DRW from 80), reweight factor
# 0.015, crop and flip, normalised with the official iNaturalist
# statistics. The official zoo's 71.2 top-1 (3 experts) is with the router
# (ride-router_resnet50_5e_inat2018).
_base_ = [
    '../_base_/models/ride_resnet50_imagenet.py',
    '../_base_/datasets/inaturalist2018.py',
    '../_base_/schedules/ride_imagenet_lt_100e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=8142, loss=dict(reweight_factor=0.015)))
data_preprocessor = dict(
    mean=[118.83, 120.105, 96.9], std=[49.725, 49.47, 48.96]
)
optim_wrapper = dict(optimizer=dict(lr=0.2))
auto_scale_lr = dict(base_batch_size=512)
custom_hooks = [dict(type='DRWHook', drw_epoch=80, beta=0.9999)]
