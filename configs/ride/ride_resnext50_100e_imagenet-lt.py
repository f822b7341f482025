# RIDE (3 experts, reduced widths) on ImageNet-LT, the official recipe
# (config_imagenet_lt_resnext50_ride.json): ResNeXt-50, batch 256 (64 on
# each of 4 GPUs), 100 epochs, DRW from epoch 80; random resized crop, flip
# and colour jitter (brightness, contrast, saturation 0.4). The official
# zoo's 55.7 top-1 is with the router (ride-router_resnext50_5e_imagenet-lt).
_base_ = [
    '../_base_/models/ride_resnext50_imagenet.py',
    '../_base_/datasets/imagenet_lt_colorjitter.py',
    '../_base_/schedules/ride_imagenet_lt_100e.py',
    '../_base_/default_runtime.py',
]

custom_hooks = [dict(type='DRWHook', drw_epoch=80, beta=0.9999)]
