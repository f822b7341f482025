# The LDAM-DRW reference schedule scaled to 100 epochs for MNIST-LT:
# warm-up over 5 epochs, lr x 0.01 at 80% and x 0.0001 at 90% of training.
_base_ = ['./cifar_lt_200e.py']

param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5),
    dict(type='MultiStepLR', by_epoch=True, milestones=[80, 90], gamma=0.01),
]
train_cfg = dict(max_epochs=100, val_interval=20)
auto_scale_lr = dict(base_batch_size=64)
