from .class_weighted_loss import ClassWeightedLoss
from .class_weights import (
    WEIGHTINGS,
    class_balanced_weights,
    class_weights,
    cost_sensitive_weights,
    inverse_frequency_weights,
)
from .ghmc_loss import GHMCLoss, ghm_bin_index, ghm_bin_weights, ghmc_loss
from .ldam_loss import LDAMLoss, ldam_loss, ldam_margins
from .logit_adjusted_loss import (
    BalancedSoftmaxLoss,
    LogitAdjustedLoss,
    logit_adjusted_cross_entropy,
)
from .mixed_target import expand_mixed_target, split_mixed_target
from .sigmoid_focal_loss import (
    WeightedSigmoidFocalLoss,
    weighted_sigmoid_focal_loss,
)
from .softmax_focal_loss import SoftmaxFocalLoss, softmax_focal_loss
from .softmax_target_loss import softmax_target_loss, weighted_nll
from .weighted_ce_loss import WeightedCrossEntropyLoss, weighted_cross_entropy
from .workspace import Workspace

__all__ = [
    'WEIGHTINGS',
    'BalancedSoftmaxLoss',
    'ClassWeightedLoss',
    'GHMCLoss',
    'LDAMLoss',
    'LogitAdjustedLoss',
    'SoftmaxFocalLoss',
    'WeightedCrossEntropyLoss',
    'WeightedSigmoidFocalLoss',
    'Workspace',
    'class_balanced_weights',
    'class_weights',
    'cost_sensitive_weights',
    'expand_mixed_target',
    'ghm_bin_index',
    'ghm_bin_weights',
    'ghmc_loss',
    'inverse_frequency_weights',
    'ldam_loss',
    'ldam_margins',
    'logit_adjusted_cross_entropy',
    'softmax_focal_loss',
    'softmax_target_loss',
    'split_mixed_target',
    'weighted_cross_entropy',
    'weighted_nll',
    'weighted_sigmoid_focal_loss',
]
