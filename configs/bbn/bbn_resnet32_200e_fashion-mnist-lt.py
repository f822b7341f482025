# BBN (Zhou et al., CVPR 2020) on Fashion-MNIST-LT (ratio 100) with exactly
# the paper's CIFAR-10-LT recipe (./bbn_resnet32_200e_cifar10-lt.py):
# ResNet-32, batch 128 pairs, 200 epochs. Sized for a GPU.
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py', './_base_bbn.py']

model = _base_.bbn_model
train_dataloader = dict(batch_size=256, sampler=_base_.bbn_sampler)
param_scheduler = _base_.bbn_200e_param_scheduler
auto_scale_lr = dict(base_batch_size=256)
