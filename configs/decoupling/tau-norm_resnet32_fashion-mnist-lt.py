# τ-normalisation (Kang et al.) of the stage-1 cross-entropy classifier on
# Fashion-MNIST-LT with the CIFAR-10-LT recipe: test only, no training;
# tau = 1 here, and tools/tau_norm.py sweeps it on the validation split:
#   mim test mmpretrain \
#       configs/decoupling/tau-norm_resnet32_fashion-mnist-lt.py \
#       --checkpoint work_dirs/s1/epoch_200.pth
#   python tools/tau_norm.py \
#       configs/decoupling/tau-norm_resnet32_fashion-mnist-lt.py \
#       work_dirs/s1/epoch_200.pth
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py']

model = dict(head=dict(type='TauNormLinearClsHead', tau=1.0))
# test only: nothing to train
train_cfg = train_dataloader = optim_wrapper = param_scheduler = None
