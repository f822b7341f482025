"""Sigmoid focal loss with per-class (e.g. class-balanced) sample weights.

The class-balanced focal loss of `Class-Balanced Loss Based on Effective
Number of Samples <https://arxiv.org/abs/1901.05555>`_ (Cui et al., CVPR
2019): C binary focal terms per image (`Lin et al.
<https://arxiv.org/abs/1708.02002>`_), each image weighted by its class's
weight, summed and divided by the batch size. mmpretrain's ``FocalLoss`` is
the same focal term without class weights from the counts.
"""

from typing import Optional

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from .class_weighted_loss import ClassWeightedLoss


def weighted_sigmoid_focal_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    gamma: float,
    alpha: Optional[float] = None,
    weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """``sum_ij w_{y_i} a_t (1 - p_t) ** gamma * BCE_ij / N``.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        gamma (float): Focusing parameter, >= 0.
        alpha (float, optional): Weight of the positive term (the negatives
            get ``1 - alpha``); None weighs both 1.
        weight (torch.Tensor, optional): Per-class weights, shape (C,),
            applied to each image's terms by its class.

    Returns:
        torch.Tensor: Scalar loss.
    """
    logits = logits.to(torch.promote_types(logits.dtype, torch.float32))
    onehot = F.one_hot(target, logits.size(1)).to(logits.dtype)
    p = logits.sigmoid()
    p_t = onehot * p + (1 - onehot) * (1 - p)
    loss = (1 - p_t) ** gamma * F.binary_cross_entropy_with_logits(
        logits, onehot, reduction='none'
    )
    if alpha is not None:
        loss = loss * (onehot * alpha + (1 - onehot) * (1 - alpha))
    if weight is not None:
        loss = loss * weight.to(loss.dtype)[target, None]
    return loss.sum() / logits.size(0)


@MODELS.register_module()
class WeightedSigmoidFocalLoss(ClassWeightedLoss):
    """Sigmoid focal loss with class weights; CB-focal with
    ``weighting='class_balanced'``.

    Args:
        gamma (float): Focusing parameter, >= 0. Defaults to 2.
        alpha (float, optional): Positive-term weight in [0, 1]; None (the
            default, as Cui et al.) weighs positives and negatives alike.
        **kwargs: ``cls_num_list``, ``weighting``, ``beta``,
            ``class_weight``, ``loss_weight``, as
            :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    def __init__(
        self,
        gamma: float = 2.0,
        alpha: Optional[float] = None,
        **kwargs,
    ) -> None:
        if not gamma >= 0:
            raise ValueError(f'gamma must be >= 0, got {gamma}')
        if alpha is not None and not 0 <= alpha <= 1:
            raise ValueError(f'alpha must be in [0, 1] or None, got {alpha}')
        self.gamma = gamma
        self.alpha = alpha
        super().__init__(**kwargs)

    def forward(
        self, cls_score: torch.Tensor, label: torch.Tensor, **kwargs
    ) -> torch.Tensor:
        self.check_inputs(cls_score, label)
        return self.loss_weight * weighted_sigmoid_focal_loss(
            cls_score, label, self.gamma, self.alpha, self.class_weight
        )
