# Remix (alpha 1, kappa 3, tau 0.5, Bag of Tricks' values): mixup whose label
# goes wholly to the rarer class of a pair, per sample, with cross-entropy.
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py']

model = dict(
    train_cfg=dict(augments=dict(type='Remix', alpha=1.0, kappa=3.0, tau=0.5))
)

# Bag of Tricks' mixup schedule: 400 epochs, lr x 0.01 at 320 and 360.
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5),
    dict(type='MultiStepLR', by_epoch=True, milestones=[320, 360], gamma=0.01),
]
train_cfg = dict(max_epochs=400, val_interval=20)
