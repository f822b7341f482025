# Weight balancing, stage 2 on Fashion-MNIST-LT (ratio 100), the release's
# CIFAR-LT stage 2 (./_base_wb.py) on the stage-1 ResNet-34
# (./wb-ce_resnet34_320e_fashion-mnist-lt.py):
#   --cfg-options load_from=work_dirs/s1/epoch_320.pth
_base_ = [
    '../_base_/models/resnet34_cifar.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    './_base_wb_stage2.py',
]

model = dict(backbone=dict(in_channels=1), head=dict(loss=_base_.stage2_loss))
train_dataloader = _base_.cifar_batch
auto_scale_lr = dict(base_batch_size=64)
