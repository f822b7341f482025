# Post-hoc logit adjustment (Menon et al., tau 1) on MNIST-LT: trained with
# plain cross-entropy, predicts with z - tau * log(prior).
_base_ = ['../ce_mnist_lt.py']

model = dict(head=dict(type='LogitAdjustedLinearClsHead', posthoc_tau=1.0))
