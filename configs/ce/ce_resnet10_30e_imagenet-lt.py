# Cross-entropy on ImageNet-LT with ResNet-10: OLTR's plain model and its
# stage 1 (zhmiao/OpenLongTailRecognition-OLTR,
# config/ImageNet_LT/stage_1.py): instance-balanced sampling, SGD lr 0.1,
# momentum 0.9, weight decay 5e-4, batch 128 on one GPU, 30 epochs, lr x 0.1
# every 10; random resized crop, flip and colour jitter. The paper's plain
# model, not reproduced here: top-1 20.9 (many 40.9, medium 10.7, few 0.4).
_base_ = [
    '../_base_/models/resnet10_lt.py',
    '../_base_/datasets/imagenet_lt_colorjitter.py',
    '../_base_/default_runtime.py',
]

train_dataloader = dict(batch_size=128)
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)
)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[10, 20], gamma=0.1)
]
train_cfg = dict(by_epoch=True, max_epochs=30, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
