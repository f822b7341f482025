# Post-hoc logit adjustment (Menon et al., tau 1) on Fashion-MNIST-LT (ratio
# 100), the CIFAR-10-LT recipe: trained with plain cross-entropy, predicts with
# z - tau * log(prior).
_base_ = ['../ce/ce_resnet32_200e_fashion-mnist-lt.py']

model = dict(head=dict(type='LogitAdjustedLinearClsHead', posthoc_tau=1.0))
