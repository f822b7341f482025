# Weight balancing, stage 1 on Fashion-MNIST-LT (ratio 100) with exactly
# the release's CIFAR-LT recipe (./wb-ce_resnet34_320e_cifar10-lt.py:
# ResNet-34, batch 64, weight decay 5e-3, 320 epochs, cosine); sized for a
# GPU; the images have one channel.
_base_ = [
    '../_base_/models/resnet34_cifar.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/cifar_lt_200e.py',
    '../_base_/default_runtime.py',
    './_base_wb.py',
]

model = dict(backbone=dict(in_channels=1))
train_dataloader = _base_.cifar_batch
optim_wrapper = _base_.stage1_optim_wrapper
param_scheduler = _base_.cifar_stage1_param_scheduler
train_cfg = _base_.cifar_stage1_train_cfg
auto_scale_lr = dict(base_batch_size=64)
