# Weight balancing, stage 1 on CIFAR-100-LT (ratio 100), the authors' release's
# recipe: ResNet-34, batch 64, cross-entropy, SGD lr 0.01, momentum 0.9,
# weight decay 5e-3, cosine decay over 320 epochs (./_base_wb.py). Stage 2:
# ./wb-cb-maxnorm_resnet34_10e_cifar100-lt.py; figures in ./README.md.
_base_ = [
    '../_base_/models/resnet34_cifar.py',
    '../_base_/datasets/cifar100_lt.py',
    '../_base_/schedules/cifar_lt_200e.py',
    '../_base_/default_runtime.py',
    './_base_wb.py',
]

model = dict(head=dict(num_classes=100))
train_dataloader = _base_.cifar_batch
optim_wrapper = _base_.stage1_optim_wrapper
param_scheduler = _base_.cifar_stage1_param_scheduler
train_cfg = _base_.cifar_stage1_train_cfg
auto_scale_lr = dict(base_batch_size=64)
