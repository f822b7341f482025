# RIDE's ImageNet-LT schedule (config_imagenet_lt_resnext50_ride.json): SGD
# with Nesterov momentum 0.9, lr 0.1 for batch 256, weight decay 2e-4, 100
# epochs, linear warm-up over the first 5 (0.02, 0.04, ..., 0.1), lr x 0.1
# from epoch 60 and x 0.01 from 80 (where DRW switches).
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=2e-4, nesterov=True
    )
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5),
    dict(type='MultiStepLR', by_epoch=True, milestones=[60, 80], gamma=0.1),
]
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=256)
