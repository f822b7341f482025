# Decoupling τ-norm on Places-LT: the stage-1 classifier's weights divided
# by their norm to the power τ, no training (tools/tau_norm.py sweeps τ on
# the validation list). The paper's figures, not reproduced here: top-1 37.9
# (many 37.8, medium 40.7, few 31.8).
#   mim test mmpretrain configs/decoupling/tau-norm_resnet152_places-lt.py \
#       --checkpoint work_dirs/s1/epoch_30.pth
_base_ = ['../ce/ce_resnet152_30e_places-lt.py']

model = dict(head=dict(type='TauNormLinearClsHead', tau=1.0))
# test only: nothing to train
train_cfg = train_dataloader = optim_wrapper = param_scheduler = None
