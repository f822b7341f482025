"""Logit-adjusted cross-entropy and Balanced Softmax.

`Long-tail learning via logit adjustment <https://arxiv.org/abs/2007.07314>`_
(Menon et al., ICLR 2021) and `Balanced Meta-Softmax for Long-Tailed Visual
Recognition <https://arxiv.org/abs/2007.10740>`_ (Ren et al., NeurIPS
2020): cross-entropy on ``z_j + tau * log pi_j``, with ``pi`` the training
class prior; ``tau = 1`` is Balanced Softmax.
"""

from typing import Optional

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from mmlt.class_counts import log_prior

from .class_weighted_loss import ClassWeightedLoss
from .mixed_target import at_least_float32
from .softmax_target_loss import (
    softmax_target_loss,
    weighted_mean,
    weighted_nll,
)
from .workspace import Workspace


def logit_adjusted_cross_entropy_plain(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    log_prior: torch.Tensor,
    tau: float,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """The formula in plain autograd (the test oracle of
    :func:`logit_adjusted_cross_entropy`): cross-entropy of ``z_j + tau *
    log pi_j``, weighted as torch's."""
    adjusted = at_least_float32(logits) + tau * log_prior
    per_row = F.cross_entropy(adjusted, target, reduction='none')
    return weighted_mean(per_row, target, class_weight, sample_weight)


def logit_adjusted_cross_entropy(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    log_prior: torch.Tensor,
    tau: float,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
    workspace: Optional[Workspace] = None,
) -> torch.Tensor:
    """Cross-entropy of ``logits + tau * log_prior``, fused.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        log_prior (torch.Tensor): Log class prior, shape (C,).
        tau (float): Adjustment strength, >= 0.
        class_weight (torch.Tensor, optional): Per-class weights, shape
            (C,); the mean is weighted by them.
        sample_weight (torch.Tensor, optional): Per-row masses, shape (N,)
            (mixup's), weighting the mean like ``class_weight``.
        workspace (Workspace, optional): Buffers kept between calls.

    Returns:
        torch.Tensor: Scalar loss.
    """
    return softmax_target_loss(
        logits,
        target,
        weighted_nll(target, class_weight, sample_weight),
        class_bias=tau * log_prior,
        workspace=workspace,
    )


@MODELS.register_module()
class LogitAdjustedLoss(ClassWeightedLoss):
    """Logit-adjusted cross-entropy; the prior comes from the class counts.

    Args:
        tau (float): Adjustment strength, >= 0. Defaults to 1.
        **kwargs: ``class_counts``, ``weighting``, ``beta``,
            ``class_weight``, ``loss_weight``, as
            :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    uses_counts = True

    def __init__(self, tau: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        if not tau >= 0:
            raise ValueError(f'tau must be >= 0, got {tau}')
        self.tau = tau

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        return logit_adjusted_cross_entropy(
            logits,
            target,
            log_prior=self.derived('log_prior', log_prior, logits.device),
            tau=self.tau,
            class_weight=self.active_class_weight(logits.device),
            sample_weight=mass,
            workspace=self.workspace,
        )


@MODELS.register_module()
class BalancedSoftmaxLoss(LogitAdjustedLoss):
    """Balanced Softmax: logit-adjusted cross-entropy with ``tau = 1``.

    Args: as :class:`LogitAdjustedLoss`, without ``tau``.
    """

    def __init__(self, **kwargs) -> None:
        if 'tau' in kwargs:
            raise ValueError(
                'BalancedSoftmaxLoss has tau = 1; use LogitAdjustedLoss '
                'for another tau'
            )
        super().__init__(tau=1.0, **kwargs)
