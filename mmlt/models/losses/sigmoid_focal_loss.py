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
from .mixed_target import at_least_float32
from .sigmoid_parts import LossWithKeptGradient, sigmoid_and_softplus
from .workspace import Workspace


class _WeightedSigmoidFocal(LossWithKeptGradient):
    """The loss and its gradient in one pass over the logits, which keeps
    the gradient for the backward pass.

    Every logit is first taken as a negative (target 0), with loss
    ``(1 - alpha) p ** gamma softplus(x)`` and gradient
    ``(1 - alpha) p ** gamma (gamma q softplus(x) + p)``; the N target
    logits are then corrected to the positive term, the same function of
    ``-x``, on (N,) tensors.
    """

    @staticmethod
    def forward(
        ctx,
        logits,
        target,
        gamma,
        alpha,
        class_weight,
        sample_weight,
        workspace,
    ):
        x = at_least_float32(logits)
        rows = torch.arange(x.size(0), device=x.device)
        if sample_weight is None:
            row_coef = torch.full_like(x[:, 0], 1.0 / x.size(0))
        else:
            row_coef = sample_weight.to(x.dtype) / sample_weight.sum()
        if class_weight is not None:
            row_coef = row_coef * class_weight.to(x.dtype)[target]
        pos_coef = row_coef * (1.0 if alpha is None else alpha)
        neg_coef = row_coef * (1.0 if alpha is None else 1.0 - alpha)

        # q's memory becomes the gradient: it is the one fresh (N, C) tensor
        p, q, softplus = sigmoid_and_softplus(
            x,
            p_out=workspace.get('p', x),
            softplus_out=workspace.get('softplus', x),
        )
        focal = torch.pow(p, gamma, out=workspace.get('focal', x))
        focal.mul_(neg_coef[:, None])
        loss = torch.dot(focal.flatten(), softplus.flatten())
        loss = loss - torch.dot(focal[rows, target], softplus[rows, target])

        # the N positive terms
        x_t, p_t, q_t = x[rows, target], p[rows, target], q[rows, target]
        softplus_t = F.softplus(x_t.neg())  # BCE against target 1
        q_gamma = q_t.pow(gamma)
        loss = loss + torch.dot(pos_coef * q_gamma, softplus_t)

        # negative terms' gradient, focal * (gamma q softplus + p), in q's
        # memory; then the positive terms'
        grad = torch.addcmul(p, q, softplus, value=gamma, out=q).mul_(focal)
        grad[rows, target] = (
            -pos_coef * q_gamma * (gamma * p_t * softplus_t + q_t)
        )
        LossWithKeptGradient.keep(ctx, grad, logits)
        return loss


def weighted_sigmoid_focal_loss_plain(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    gamma: float,
    alpha: Optional[float] = None,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """The formula in plain autograd (the test oracle of
    :func:`weighted_sigmoid_focal_loss`): ``sum_i m_i w_{y_i} sum_j a_t
    (1 - p_t) ** gamma BCE_ij / sum_i m_i``."""
    x = at_least_float32(logits)
    y = F.one_hot(target, x.size(1)).to(x.dtype)
    p = x.sigmoid()
    p_t = p * y + (1 - p) * (1 - y)
    a_t = 1.0 if alpha is None else alpha * y + (1 - alpha) * (1 - y)
    bce = F.binary_cross_entropy_with_logits(x, y, reduction='none')
    per_row = (a_t * (1 - p_t) ** gamma * bce).sum(dim=1)
    if class_weight is not None:
        per_row = per_row * class_weight[target]
    m = torch.ones_like(per_row) if sample_weight is None else sample_weight
    return (m * per_row).sum() / m.sum()


def weighted_sigmoid_focal_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    gamma: float,
    alpha: Optional[float] = None,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
    workspace: Optional[Workspace] = None,
) -> torch.Tensor:
    """``sum_ij w_{y_i} a_t (1 - p_t) ** gamma * BCE_ij / N``, fused.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        gamma (float): Focusing parameter, >= 0.
        alpha (float, optional): Weight of the positive term (the negatives
            get ``1 - alpha``), Lin et al.'s scalar; None weighs both 1.
        class_weight (torch.Tensor, optional): Per-class weights, shape
            (C,), applied to each image's terms by its class.
        sample_weight (torch.Tensor, optional): Per-row masses ``m``,
            shape (N,) (mixup's): row ``i``'s terms are weighed by ``m_i``
            and ``N`` becomes ``sum_i m_i``.
        workspace (Workspace, optional): Buffers kept between calls.

    Returns:
        torch.Tensor: Scalar loss (float32; float64 for float64 logits).
    """
    return _WeightedSigmoidFocal.apply(
        logits,
        target,
        gamma,
        alpha,
        class_weight,
        sample_weight,
        workspace or Workspace(),
    )


@MODELS.register_module()
class WeightedSigmoidFocalLoss(ClassWeightedLoss):
    """Sigmoid focal loss with class weights; CB-focal with
    ``weighting='class_balanced'``.

    Args:
        gamma (float): Focusing parameter, >= 0. Defaults to 2.
        alpha (float, optional): Positive-term weight in [0, 1]; None (the
            default, as Cui et al.) weighs positives and negatives alike.
        **kwargs: ``class_counts``, ``weighting``, ``beta``,
            ``class_weight``, ``loss_weight``, as
            :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    def __init__(
        self, gamma: float = 2.0, alpha: Optional[float] = None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        if not gamma >= 0:
            raise ValueError(f'gamma must be >= 0, got {gamma}')
        if alpha is not None and not 0 <= alpha <= 1:
            raise ValueError(f'alpha must be in [0, 1] or None, got {alpha}')
        self.gamma = gamma
        self.alpha = alpha

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        return weighted_sigmoid_focal_loss(
            logits,
            target,
            gamma=self.gamma,
            alpha=self.alpha,
            class_weight=self.active_class_weight(logits.device),
            sample_weight=mass,
            workspace=self.workspace,
        )
