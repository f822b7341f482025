# Post-hoc logit adjustment (Menon et al., tau 1) on CIFAR-10-LT (ratio
# 100): trained with plain cross-entropy, predicts with z - tau * log(prior).
# ResNet-32 and the LDAM-DRW schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py']

model = dict(head=dict(type='LogitAdjustedLinearClsHead', posthoc_tau=1.0))
