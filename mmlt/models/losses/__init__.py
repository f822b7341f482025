from .class_weighted_loss import ClassWeightedLoss
from .disc_centroids_loss import DiscCentroidsLoss, disc_centroids_loss
from .distillation_kl import distillation_kl
from .dive_loss import DiVELoss, dive_loss_plain
from .expert_router_loss import (
    ExpertRouterLoss,
    expert_router_loss,
    router_targets,
)
from .feature_cloud_loss import (
    FeatureCloudLoss,
    feature_cloud_loss,
    shifted_cosine,
    tail_spread,
)
from .ghmc_loss import (
    GHMCLoss,
    ghm_bin_index,
    ghm_bin_weights,
    ghmc_loss,
    ghmc_loss_plain,
)
from .influence_balanced_loss import (
    InfluenceBalancedLoss,
    influence_balanced_loss,
)
from .label_aware_smoothing_loss import (
    LabelAwareSmoothingLoss,
    label_aware_smoothing,
    label_aware_smoothing_loss,
)
from .ldam_loss import LDAMLoss, ldam_loss, ldam_loss_plain, ldam_margins
from .lfme_loss import LFMELoss, lfme_loss, lfme_loss_plain
from .logit_adjusted_loss import (
    BalancedSoftmaxLoss,
    LogitAdjustedLoss,
    logit_adjusted_cross_entropy,
    logit_adjusted_cross_entropy_plain,
)
from .mixed_target import expand_mixed_target, split_mixed_target
from .multi_expert_loss import MultiExpertLoss
from .ride_distill_loss import RIDEDistillLoss
from .ride_loss import RIDELoss, ride_loss, ride_temperatures
from .sade_loss import (
    SADELoss,
    rank_reversed_prior,
    sade_logit_biases,
    sade_loss,
)
from .sigmoid_focal_loss import (
    WeightedSigmoidFocalLoss,
    weighted_sigmoid_focal_loss,
    weighted_sigmoid_focal_loss_plain,
)
from .softmax_eql_loss import SoftmaxEQLLoss, rare_classes, softmax_eql_loss
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
from .vs_loss import (
    CDTLoss,
    VSLoss,
    class_temperatures,
    vs_loss,
    vs_loss_plain,
)
from .weighted_ce_loss import (
    WeightedCrossEntropyLoss,
    weighted_cross_entropy,
    weighted_cross_entropy_plain,
)
from .workspace import Workspace

__all__ = [
    'BalancedSoftmaxLoss',
    'DiVELoss',
    'DiscCentroidsLoss',
    'dive_loss_plain',
    'CDTLoss',
    'ClassWeightedLoss',
    'ExpertRouterLoss',
    'GHMCLoss',
    'InfluenceBalancedLoss',
    'FeatureCloudLoss',
    'feature_cloud_loss',
    'shifted_cosine',
    'tail_spread',
    'LDAMLoss',
    'LFMELoss',
    'LabelAwareSmoothingLoss',
    'LogitAdjustedLoss',
    'MultiExpertLoss',
    'RIDEDistillLoss',
    'RIDELoss',
    'SADELoss',
    'SoftmaxEQLLoss',
    'SoftmaxFocalLoss',
    'VSLoss',
    'WeightedCrossEntropyLoss',
    'WeightedSigmoidFocalLoss',
    'Workspace',
    'autograd_row_loss',
    'class_temperatures',
    'disc_centroids_loss',
    'distillation_kl',
    'expand_mixed_target',
    'expert_router_loss',
    'ghm_bin_index',
    'ghm_bin_weights',
    'ghmc_loss',
    'ghmc_loss_plain',
    'influence_balanced_loss',
    'label_aware_smoothing',
    'label_aware_smoothing_loss',
    'ldam_loss',
    'ldam_loss_plain',
    'ldam_margins',
    'lfme_loss',
    'lfme_loss_plain',
    'logit_adjusted_cross_entropy',
    'logit_adjusted_cross_entropy_plain',
    'rank_reversed_prior',
    'rare_classes',
    'ride_loss',
    'ride_temperatures',
    'router_targets',
    'sade_logit_biases',
    'sade_loss',
    'softmax_eql_loss',
    'softmax_focal_loss',
    'softmax_focal_loss_plain',
    'softmax_target_loss',
    'split_mixed_target',
    'vs_loss',
    'vs_loss_plain',
    'weighted_cross_entropy',
    'weighted_cross_entropy_plain',
    'weighted_mean',
    'weighted_nll',
    'weighted_sigmoid_focal_loss',
    'weighted_sigmoid_focal_loss_plain',
]
