# BBN (Zhou et al., CVPR 2020) on CIFAR-10-LT (ratio 100), the paper's recipe
# (Megvii-Nanjing/BBN, configs/cifar10.yaml): ResNet-32 with its last residual
# block as the two branches, batch 128 pairs (batch_size 256 images), SGD lr
# 0.1, momentum 0.9, weight decay 2e-4, 200 epochs, 5 warm-up epochs, lr
# x 0.01 at 120 and 160; alpha = 1 - (T / 200)^2. Paper: 79.82 top-1 (its
# Table 1 prints the error, 20.18; not reproduced here; see README.md).
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py', './_base_bbn.py']

model = _base_.bbn_model
train_dataloader = dict(batch_size=256, sampler=_base_.bbn_sampler)
param_scheduler = _base_.bbn_200e_param_scheduler
auto_scale_lr = dict(base_batch_size=256)
