# Decoupling τ-norm on iNaturalist 2018: the stage-1 classifier's weights
# divided by their norm to the power τ, no training (tools/tau_norm.py
# sweeps τ on the validation list). The paper's figure, not reproduced here:
# top-1 69.3 on a 200-epoch representation (train ce_resnet50_90e_inat2018.py
# with --cfg-options train_cfg.max_epochs=200 param_scheduler.0.T_max=200).
#   mim test mmpretrain configs/decoupling/tau-norm_resnet50_inat2018.py \
#       --checkpoint work_dirs/s1/epoch_90.pth
_base_ = ['../ce/ce_resnet50_90e_inat2018.py']

model = dict(head=dict(type='TauNormLinearClsHead', tau=1.0))
# test only: nothing to train
train_cfg = train_dataloader = optim_wrapper = param_scheduler = None
