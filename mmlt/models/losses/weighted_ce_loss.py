"""Cross-entropy with per-class weights: re-weighting for long-tailed data.

The weights come from the class counts: inverse frequency, square-root
inverse frequency, cost-sensitive CE (CS_CE, ``w_j = n_min / n_j``) or the
class-balanced effective number of `Class-Balanced Loss Based on Effective
Number of Samples <https://arxiv.org/abs/1901.05555>`_ (Cui et al., CVPR
2019); or they are given explicitly; or ``DRWHook`` sets them at its epoch.
"""

from typing import Optional

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from .class_weighted_loss import ClassWeightedLoss
from .mixed_target import at_least_float32
from .softmax_target_loss import (
    softmax_target_loss,
    weighted_mean,
    weighted_nll,
)


def weighted_cross_entropy_plain(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """The formula in plain autograd (the test oracle of
    :func:`weighted_cross_entropy`): ``sum_i w_{y_i} m_i CE_i / sum_i
    w_{y_i} m_i``."""
    per_row = F.cross_entropy(
        at_least_float32(logits), target, reduction='none'
    )
    return weighted_mean(per_row, target, class_weight, sample_weight)


def weighted_cross_entropy(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """Cross-entropy averaged with the target classes' weights, fused.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        class_weight (torch.Tensor, optional): Per-class weights, shape (C,).
        sample_weight (torch.Tensor, optional): Per-row masses ``m``,
            shape (N,) (mixup's).

    Returns:
        torch.Tensor: ``sum_i w_{y_i} m_i CE_i / sum_i w_{y_i} m_i``, a
        scalar.
    """
    return softmax_target_loss(
        logits, target, weighted_nll(target, class_weight, sample_weight)
    )


@MODELS.register_module()
class WeightedCrossEntropyLoss(ClassWeightedLoss):
    """Cross-entropy with per-class weights from the class counts.

    Args: as :class:`~mmlt.models.losses.ClassWeightedLoss`:
    ``class_counts``, ``weighting`` ('none', 'inverse', 'sqrt_inverse',
    'class_balanced', 'cost_sensitive'), ``beta``, ``class_weight``,
    ``loss_weight``. mmpretrain's ``avg_factor`` is accepted and not used:
    the mean is weighted, as in torch's ``cross_entropy``.
    """

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        return weighted_cross_entropy(
            logits,
            target,
            class_weight=self.active_class_weight(logits.device),
            sample_weight=mass,
        )
