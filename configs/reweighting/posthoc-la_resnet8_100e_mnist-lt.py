# Post-hoc logit adjustment (Menon et al., tau 1) on MNIST-LT: trained with
# plain cross-entropy, predicts with z - tau * log(prior).
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py']

model = dict(head=dict(type='LogitAdjustedLinearClsHead', posthoc_tau=1.0))
