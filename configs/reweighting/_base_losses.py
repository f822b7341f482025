# The re-weighting losses of configs/reweighting/, defined once. A recipe
# is a data set's cross-entropy config with one of them as the head's loss,
# so that a new data set takes a loss in two lines:
#   _base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_losses.py']
#   model = dict(head=dict(loss=_base_.cb_focal_loss))
# _delete_: none of the cross-entropy loss's settings carry over.

# Class-balanced weights (Cui et al.): effective number, beta 0.9999.
class_balanced = dict(weighting='class_balanced', beta=0.9999)

# Cross-entropy with a weight per class: class-balanced, cost-sensitive
# (w_j = n_min / n_j) or square-root inverse frequency.
weighted_ce = dict(_delete_=True, type='WeightedCrossEntropyLoss')
cb_ce_loss = dict(weighted_ce, **class_balanced)
cs_ce_loss = dict(weighted_ce, weighting='cost_sensitive')
sqrt_inverse_ce_loss = dict(weighted_ce, weighting='sqrt_inverse')

# Focal losses, gamma 1 as in the LDAM-DRW reference: softmax and sigmoid
# forms, plain or class-balanced.
focal_loss = dict(_delete_=True, type='SoftmaxFocalLoss', gamma=1.0)
cb_focal_loss = dict(focal_loss, **class_balanced)
sigmoid_focal_loss = dict(
    _delete_=True, type='WeightedSigmoidFocalLoss', gamma=1.0
)
cb_sigmoid_focal_loss = dict(sigmoid_focal_loss, **class_balanced)

# GHM-C (Li et al.): 10 bins, bin counts a moving average (momentum 0.75).
ghmc_loss = dict(_delete_=True, type='GHMCLoss', bins=10, momentum=0.75)

# Balanced Softmax (Ren et al.): logit adjustment with tau = 1 in the loss.
balanced_softmax_loss = dict(_delete_=True, type='BalancedSoftmaxLoss')
