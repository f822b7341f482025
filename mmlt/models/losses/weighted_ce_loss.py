"""Cross-entropy with per-class weights: re-weighting for long-tailed data.

The weights come from the class counts: inverse frequency, square-root
inverse frequency, cost-sensitive CE (CS_CE, ``w_j = n_min / n_j``) or the
class-balanced effective number of `Class-Balanced Loss Based on Effective
Number of Samples <https://arxiv.org/abs/1901.05555>`_ (Cui et al., CVPR
2019); or they are given explicitly; or ``DRWHook`` sets them at its epoch.
"""

from typing import Optional

import torch
from mmpretrain.registry import MODELS

from .class_weighted_loss import ClassWeightedLoss
from .softmax_target_loss import softmax_target_loss, weighted_nll


def weighted_cross_entropy(
    logits: torch.Tensor,
    target: torch.Tensor,
    weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """Cross-entropy averaged with the target classes' weights.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        weight (torch.Tensor, optional): Per-class weights, shape (C,).
        sample_weight (torch.Tensor, optional): Per-row masses ``m``,
            shape (N,) (mixup's).

    Returns:
        torch.Tensor: ``sum_i w_{y_i} m_i CE_i / sum_i w_{y_i} m_i``, a
        scalar.
    """
    return softmax_target_loss(
        logits, target, weighted_nll(target, weight, sample_weight)
    )


@MODELS.register_module()
class WeightedCrossEntropyLoss(ClassWeightedLoss):
    """Cross-entropy with per-class weights from the class counts.

    Args: as :class:`~mmlt.models.losses.ClassWeightedLoss`:
    ``cls_num_list``, ``weighting`` ('none', 'inverse', 'sqrt_inverse',
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
        return weighted_cross_entropy(logits, target, self.class_weight, mass)
