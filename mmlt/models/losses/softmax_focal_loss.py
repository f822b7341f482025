"""Softmax focal loss with optional per-class weights (alpha).

`Focal Loss for Dense Object Detection <https://arxiv.org/abs/1708.02002>`_
(Lin et al., ICCV 2017) in its softmax form, as the LDAM-DRW and
class-balanced loss papers use it on long-tailed classification:
``-alpha_y (1 - p_y) ** gamma * log p_y``, averaged over the batch.
mmpretrain's ``FocalLoss`` is the sigmoid form.
"""

from typing import Optional

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from .class_weighted_loss import ClassWeightedLoss
from .mixed_target import at_least_float32
from .softmax_target_loss import softmax_target_loss, weighted_mean


def softmax_focal_loss_plain(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    gamma: float,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """The formula in plain autograd (the test oracle of
    :func:`softmax_focal_loss`): ``sum_i m_i a_i l_i / sum_i m_i`` with
    ``l_i = -(1 - p_i) ** gamma log p_i``, ``a_i = class_weight[y_i]``."""
    log_p = F.log_softmax(at_least_float32(logits), dim=1).gather(
        1, target[:, None]
    )
    per_row = -((1 - log_p.exp()) ** gamma * log_p).squeeze(1)
    if class_weight is not None:
        per_row = per_row * class_weight[target]
    return weighted_mean(per_row, target, sample_weight=sample_weight)


def softmax_focal_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    gamma: float,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """Mean over the batch of ``-alpha_y (1 - p_y) ** gamma * log p_y``,
    fused.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        gamma (float): Focusing parameter, >= 0 (0 is cross-entropy).
        class_weight (torch.Tensor, optional): Per-class weights
            ``alpha_y``, shape (C,). Unlike cross-entropy's weighted mean,
            the mean stays over the batch (Cui et al.'s CB-focal).
        sample_weight (torch.Tensor, optional): Per-row masses ``m``,
            shape (N,) (mixup's); the mean is then ``sum_i m_i (...) /
            sum_i m_i``.

    Returns:
        torch.Tensor: Scalar loss.
    """

    def row_loss(log_p: torch.Tensor):
        # 1 - p_y without cancellation; kept above 0 so that a gamma < 1 has
        # a finite gradient at p_y = 1.
        one_minus_p = (-torch.expm1(log_p)).clamp(
            min=torch.finfo(log_p.dtype).tiny
        )
        focal = one_minus_p**gamma
        if sample_weight is None:
            coef = torch.full_like(log_p, -1.0 / log_p.numel())
        else:
            coef = sample_weight.to(log_p.dtype) / -sample_weight.sum()
        if class_weight is not None:
            coef = coef * class_weight.to(log_p.dtype)[target]
        loss = torch.dot(coef * focal, log_p)
        # d/dl (1 - e^l)^gamma l = (1 - p)^gamma - gamma (1 - p)^(gamma-1) p l
        grad = focal - gamma * focal / one_minus_p * log_p.exp() * log_p
        return loss, coef * grad

    return softmax_target_loss(logits, target, row_loss)


@MODELS.register_module()
class SoftmaxFocalLoss(ClassWeightedLoss):
    """Softmax focal loss; its per-class ``alpha`` is the class weights
    (``weighting``, ``class_weight`` or ``DRWHook``'s).

    ``weighting='class_balanced'`` gives the class-balanced focal loss
    (CB-focal) of Cui et al.

    Args:
        gamma (float): Focusing parameter, >= 0. Defaults to 1, the LDAM-DRW
            reference's.
        **kwargs: ``class_counts``, ``weighting``, ``beta``,
            ``class_weight``, ``loss_weight``, as
            :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    def __init__(self, gamma: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        if not gamma >= 0:
            raise ValueError(f'gamma must be >= 0, got {gamma}')
        self.gamma = gamma

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        return softmax_focal_loss(
            logits,
            target,
            gamma=self.gamma,
            class_weight=self.active_class_weight(logits.device),
            sample_weight=mass,
        )
