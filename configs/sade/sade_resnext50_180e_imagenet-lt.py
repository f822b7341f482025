# SADE on ImageNet-LT, the official recipe
# (config_imagenet_lt_resnext50_sade.json): ResNeXt-50, 3 experts at
# reduced widths, tau 2, SGD with Nesterov momentum 0.9, lr 0.025 for batch
# 64, weight decay 5e-4, 180 epochs of cosine decay; crop, flip and colour
# jitter. The official README gives SADE 58.8 top-1 on the uniform test set.
_base_ = [
    '../_base_/models/sade_resnext50_imagenet.py',
    '../_base_/datasets/imagenet_lt_colorjitter.py',
    '../_base_/default_runtime.py',
]

optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.025, momentum=0.9, weight_decay=5e-4, nesterov=True
    )
)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=180, eta_min=0.0)
]
train_cfg = dict(by_epoch=True, max_epochs=180, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=64)
