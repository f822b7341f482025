# The LDAM-DRW reference schedule: SGD, batch 128, 200 epochs, linear
# warm-up to lr 0.1 over the first 5 epochs (0.02, 0.04, ..., 0.1), then
# lr x 0.01 from epoch 160 and x 0.0001 from epoch 180.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=2e-4)
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5),
    dict(type='MultiStepLR', by_epoch=True, milestones=[160, 180], gamma=0.01),
]
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
