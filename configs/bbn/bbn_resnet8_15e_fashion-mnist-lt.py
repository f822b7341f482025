# BBN (Zhou et al., CVPR 2020) on Fashion-MNIST-LT (ratio 100), the CPU
# recipe: ResNet-8 with its last stage (one block) as the two branches, 128
# pairs a batch (batch_size 256 images), lr 0.1, 15 epochs, one warm-up
# epoch, lr x 0.01 at 9 and 12 (the paper's 60% and 80%); alpha = 1 -
# (T / 15)^2.
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py', './_base_bbn.py']

model = _base_.bbn_model
train_dataloader = dict(batch_size=256, sampler=_base_.bbn_sampler)
param_scheduler = _base_.bbn_15e_param_scheduler
auto_scale_lr = dict(base_batch_size=256)
