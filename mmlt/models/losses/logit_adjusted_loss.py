"""Logit-adjusted cross-entropy and Balanced Softmax.

`Long-tail learning via logit adjustment <https://arxiv.org/abs/2007.07314>`_
(Menon et al., ICLR 2021) and `Balanced Meta-Softmax for Long-Tailed Visual
Recognition <https://arxiv.org/abs/2007.10740>`_ (Ren et al., NeurIPS
2020): cross-entropy on ``z_j + tau * log pi_j``, with ``pi`` the training
class prior; ``tau = 1`` is Balanced Softmax.
"""

from typing import Optional, Sequence

import torch
from mmpretrain.registry import MODELS

from .class_weighted_loss import ClassWeightedLoss
from .softmax_target_loss import softmax_target_loss, weighted_nll
from .workspace import Workspace


def log_prior(class_counts: Sequence[int]) -> torch.Tensor:
    """``log(n_j / sum(n))``, float32, shape (C,)."""
    counts = torch.as_tensor(class_counts, dtype=torch.float64)
    return (counts / counts.sum()).log().float()


def logit_adjusted_cross_entropy(
    logits: torch.Tensor,
    target: torch.Tensor,
    log_prior: torch.Tensor,
    tau: float,
    weight: Optional[torch.Tensor] = None,
    workspace: Optional[Workspace] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """Cross-entropy of ``logits + tau * log_prior``.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        log_prior (torch.Tensor): Log class prior, shape (C,).
        tau (float): Adjustment strength, >= 0.
        weight (torch.Tensor, optional): Per-class weights, shape (C,); the
            mean is weighted by them.
        workspace (Workspace, optional): Buffers kept between calls.
        sample_weight (torch.Tensor, optional): Per-row masses, shape (N,)
            (mixup's), weighting the mean like ``weight``.

    Returns:
        torch.Tensor: Scalar loss.
    """
    return softmax_target_loss(
        logits,
        target,
        weighted_nll(target, weight, sample_weight),
        class_bias=tau * log_prior,
        workspace=workspace,
    )


@MODELS.register_module()
class LogitAdjustedLoss(ClassWeightedLoss):
    """Logit-adjusted cross-entropy; the prior comes from the class counts.

    Args:
        tau (float): Adjustment strength, >= 0. Defaults to 1.
        **kwargs: ``cls_num_list``, ``weighting``, ``beta``,
            ``class_weight``, ``loss_weight``, as
            :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    needs_counts = True

    def __init__(
        self,
        tau: float = 1.0,
        **kwargs,
    ) -> None:
        if not tau >= 0:
            raise ValueError(f'tau must be >= 0, got {tau}')
        self.tau = tau
        super().__init__(**kwargs)

    def counts_changed(self, class_counts: list) -> None:
        self.set_derived_buffer('log_prior', log_prior(class_counts))

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        return logit_adjusted_cross_entropy(
            logits,
            target,
            self.log_prior,
            self.tau,
            self.class_weight,
            self.workspace,
            mass,
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
