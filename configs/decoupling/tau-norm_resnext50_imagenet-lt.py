# Decoupling τ-norm on ImageNet-LT: the stage-1 classifier's weights divided
# by their norm to the power τ, no training (tools/tau_norm.py sweeps τ on
# the validation list). Paper, not reproduced here: top-1 49.4 (many 59.1,
# medium 46.9, few 30.7).
#   mim test mmpretrain configs/decoupling/tau-norm_resnext50_imagenet-lt.py \
#       --checkpoint work_dirs/s1/epoch_90.pth
_base_ = ['../ce/ce_resnext50_90e_imagenet-lt.py']

model = dict(head=dict(type='TauNormLinearClsHead', tau=1.0))
# test only: nothing to train
train_cfg = train_dataloader = optim_wrapper = param_scheduler = None
