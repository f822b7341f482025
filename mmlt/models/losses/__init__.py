from .class_weighted_loss import ClassWeightedLoss
from .ghmc_loss import (
    GHMCLoss,
    ghm_bin_index,
    ghm_bin_weights,
    ghmc_loss,
    ghmc_loss_plain,
)
from .ldam_loss import LDAMLoss, ldam_loss, ldam_loss_plain, ldam_margins
from .logit_adjusted_loss import (
    BalancedSoftmaxLoss,
    LogitAdjustedLoss,
    logit_adjusted_cross_entropy,
    logit_adjusted_cross_entropy_plain,
)
from .mixed_target import expand_mixed_target, split_mixed_target
from .sigmoid_focal_loss import (
    WeightedSigmoidFocalLoss,
    weighted_sigmoid_focal_loss,
    weighted_sigmoid_focal_loss_plain,
)
from .softmax_focal_loss import (
    SoftmaxFocalLoss,
    softmax_focal_loss,
    softmax_focal_loss_plain,
)
from .softmax_target_loss import (
    autograd_row_loss,
    softmax_target_loss,
    weighted_mean,
    weighted_nll,
)
from .weighted_ce_loss import (
    WeightedCrossEntropyLoss,
    weighted_cross_entropy,
    weighted_cross_entropy_plain,
)
from .workspace import Workspace

__all__ = [
    'BalancedSoftmaxLoss',
    'ClassWeightedLoss',
    'GHMCLoss',
    'LDAMLoss',
    'LogitAdjustedLoss',
    'SoftmaxFocalLoss',
    'WeightedCrossEntropyLoss',
    'WeightedSigmoidFocalLoss',
    'Workspace',
    'autograd_row_loss',
    'expand_mixed_target',
    'ghm_bin_index',
    'ghm_bin_weights',
    'ghmc_loss',
    'ghmc_loss_plain',
    'ldam_loss',
    'ldam_loss_plain',
    'ldam_margins',
    'logit_adjusted_cross_entropy',
    'logit_adjusted_cross_entropy_plain',
    'softmax_focal_loss',
    'softmax_focal_loss_plain',
    'softmax_target_loss',
    'split_mixed_target',
    'weighted_cross_entropy',
    'weighted_cross_entropy_plain',
    'weighted_mean',
    'weighted_nll',
    'weighted_sigmoid_focal_loss',
    'weighted_sigmoid_focal_loss_plain',
]
