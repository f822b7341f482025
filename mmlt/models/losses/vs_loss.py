"""Vector-scaling loss and class-dependent temperatures (CDT).

`Label-Imbalanced and Group-Sensitive Classification under
Overparameterization <https://arxiv.org/abs/2103.01550>`_ (Kini et al.,
NeurIPS 2021; official code orparask/VS-Loss): cross-entropy of
``z_j / a_j + tau * log pi_j`` with ``a_j = (n_max / n_j) ** gamma`` and
``pi`` the training class prior. It contains two losses as special cases:

- ``tau = 0``: class-dependent temperatures (CDT; `Ye et al., 2020
  <https://arxiv.org/abs/2001.01385>`_, no official code; Bag of Tricks'
  port, zhangyongshun/BagofTricks-LT), :class:`CDTLoss`;
- ``gamma = 0``: logit adjustment (:class:`LogitAdjustedLoss`).

Both divide only in training: prediction uses the raw logits.
"""

from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from mmlt.class_counts import check_counts, log_prior

from .class_weighted_loss import ClassWeightedLoss
from .deferred_start import DeferredStart
from .mixed_target import at_least_float32
from .softmax_target_loss import (
    softmax_target_loss,
    weighted_mean,
    weighted_nll,
)
from .workspace import Workspace


def class_temperatures(
    class_counts: Sequence[int], gamma: float
) -> torch.Tensor:
    """CDT's ``a_j = (n_max / n_j) ** gamma``, float32, shape (C,): 1 for
    the largest class, growing towards the rarest."""
    if not gamma >= 0:
        raise ValueError(f'gamma must be >= 0, got {gamma}')
    counts = torch.as_tensor(check_counts(class_counts), dtype=torch.float64)
    return ((counts.max() / counts) ** gamma).float()


def vs_loss_plain(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    temperatures: torch.Tensor,
    log_prior: torch.Tensor,
    tau: float,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """The formula in plain autograd (the test oracle of :func:`vs_loss`):
    cross-entropy of ``z_j / a_j + tau * log pi_j``, weighted as torch's."""
    adjusted = at_least_float32(logits) / temperatures + tau * log_prior
    per_row = F.cross_entropy(adjusted, target, reduction='none')
    return weighted_mean(per_row, target, class_weight, sample_weight)


def vs_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    temperatures: torch.Tensor,
    log_prior: torch.Tensor,
    tau: float,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
    workspace: Optional[Workspace] = None,
) -> torch.Tensor:
    """Vector-scaling loss, fused.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        temperatures (torch.Tensor): ``a_j`` > 0, shape (C,).
        log_prior (torch.Tensor): Log class prior, shape (C,).
        tau (float): Strength of the additive adjustment, >= 0.
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
        scale=1.0 / temperatures,
        class_bias=tau * log_prior if tau else None,
        workspace=workspace,
    )


@MODELS.register_module()
class VSLoss(DeferredStart, ClassWeightedLoss):
    """Vector-scaling loss; its temperatures and prior come from the class
    counts.

    Args:
        gamma (float): Temperature exponent, >= 0. Defaults to 0.3, the
            official code's default (its README's CIFAR-10-LT example
            uses 0.2 with ``tau`` 1.2).
        tau (float): Adjustment strength, >= 0. Defaults to 1.
        start_epoch (int): Plain cross-entropy before this epoch
            (0-based): the deferred form Bag of Tricks gives CDT, with the
            DRW epoch. Defaults to 0 (from the start).
        **kwargs: ``class_counts``, ``weighting``, ``beta``,
            ``class_weight``, ``loss_weight``, as
            :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    uses_counts = True

    def __init__(
        self,
        gamma: float = 0.3,
        tau: float = 1.0,
        start_epoch: int = 0,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if not gamma >= 0:
            raise ValueError(f'gamma must be >= 0, got {gamma}')
        if not tau >= 0:
            raise ValueError(f'tau must be >= 0, got {tau}')
        self.gamma = gamma
        self.tau = tau
        self.init_start(start_epoch)

    def temperatures(self, device=None) -> torch.Tensor:
        """``a_j``, shape (C,)."""
        return self.derived(
            'temperatures',
            lambda c: class_temperatures(c, self.gamma),
            device,
        )

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        if not self.started:
            return self.warmup_cross_entropy(logits, target, mass)
        return vs_loss(
            logits,
            target,
            temperatures=self.temperatures(logits.device),
            log_prior=self.derived('log_prior', log_prior, logits.device),
            tau=self.tau,
            class_weight=self.active_class_weight(logits.device),
            sample_weight=mass,
            workspace=self.workspace,
        )


@MODELS.register_module()
class CDTLoss(VSLoss):
    """Class-dependent temperatures: the vector-scaling loss with
    ``tau = 0``, cross-entropy of ``z_j / a_j``.

    Bag of Tricks' "DRW + CDT" is ``CDTLoss(start_epoch=drw_epoch)``: the
    temperatures are 1 until that epoch.

    Args:
        gamma (float): Temperature exponent, >= 0. Defaults to 0.2 (Bag of
            Tricks' CIFAR value).
        start_epoch (int): As :class:`VSLoss`. Defaults to 0.
        **kwargs: As :class:`VSLoss`, without ``tau``.
    """

    def __init__(
        self, gamma: float = 0.2, start_epoch: int = 0, **kwargs
    ) -> None:
        if 'tau' in kwargs:
            raise ValueError('CDTLoss has tau = 0; use VSLoss for another tau')
        super().__init__(
            gamma=gamma, tau=0.0, start_epoch=start_epoch, **kwargs
        )
