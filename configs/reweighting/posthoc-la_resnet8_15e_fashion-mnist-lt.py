# Post-hoc logit adjustment (Menon et al., tau 1) on Fashion-MNIST-LT (ratio
# 100), the CPU recipe: trained with plain cross-entropy, predicts with z - tau
# * log(prior).
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py']

model = dict(head=dict(type='LogitAdjustedLinearClsHead', posthoc_tau=1.0))
