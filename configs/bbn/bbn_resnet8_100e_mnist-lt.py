# BBN (Zhou et al., CVPR 2020) on MNIST-LT: ResNet-8 with its last stage (one
# block) as the two branches, 64 pairs a batch (batch_size 128 images), the
# paper's schedule at 100 epochs (lr x 0.01 at 60 and 80), alpha decaying as
# 1 - (T / 100)^2.
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_bbn.py']

model = _base_.bbn_model
train_dataloader = dict(batch_size=128, sampler=_base_.bbn_sampler)
param_scheduler = _base_.bbn_100e_param_scheduler
auto_scale_lr = dict(base_batch_size=128)
