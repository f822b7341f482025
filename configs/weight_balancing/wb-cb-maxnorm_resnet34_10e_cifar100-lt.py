# Weight balancing, stage 2 on CIFAR-100-LT (ratio 100): the stage-1 ResNet-34
# (./wb-ce_resnet34_320e_cifar100-lt.py) frozen, its classifier fine-tuned for
# 10 epochs with class-balanced cross-entropy, weight decay 0.1 and MaxNorm
# (relative threshold 0.1), batch 64 (./_base_wb.py).
#   mim train mmpretrain \
#       configs/weight_balancing/wb-ce_resnet34_320e_cifar100-lt.py \
#       --work-dir work_dirs/s1 &&
#   mim train mmpretrain \
#       configs/weight_balancing/wb-cb-maxnorm_resnet34_10e_cifar100-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_320.pth
_base_ = [
    '../_base_/models/resnet34_cifar.py',
    '../_base_/datasets/cifar100_lt.py',
    './_base_wb_stage2.py',
]

model = dict(head=dict(num_classes=100, loss=_base_.stage2_loss))
train_dataloader = _base_.cifar_batch
auto_scale_lr = dict(base_batch_size=64)
