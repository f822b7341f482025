# τ-normalisation (Kang et al.) of the stage-1 cross-entropy classifier on
# Fashion-MNIST-LT, the CPU recipe: test only, no training; tau = 1 here,
# and tools/tau_norm.py sweeps it on the validation split:
#   mim test mmpretrain \
#       configs/decoupling/tau-norm_resnet8_fashion-mnist-lt.py \
#       --checkpoint work_dirs/s1/epoch_15.pth
#   python tools/tau_norm.py \
#       configs/decoupling/tau-norm_resnet8_fashion-mnist-lt.py \
#       work_dirs/s1/epoch_15.pth
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py']

model = dict(head=dict(type='TauNormLinearClsHead', tau=1.0))
# test only: nothing to train
train_cfg = train_dataloader = optim_wrapper = param_scheduler = None
