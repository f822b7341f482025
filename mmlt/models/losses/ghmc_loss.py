"""GHM-C: gradient harmonizing mechanism for classification.

`Gradient Harmonized Single-stage Detector <https://arxiv.org/abs/1811.05181>`_
(Li et al., AAAI 2019). Each logit's gradient norm ``g = |sigmoid(z) - y|``
falls into one of ``bins`` equal intervals of [0, 1]; its binary
cross-entropy is weighted by ``N / count(bin)`` (``N`` logits in the batch),
divided by the number of non-empty bins, so that the many easy logits (and
the few outliers) do not dominate. With ``momentum`` the bin counts are an
exponential moving average over iterations, kept in a buffer that
checkpoints save and restore.
"""

from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from .class_weighted_loss import ClassWeightedLoss
from .mixed_target import at_least_float32
from .sigmoid_parts import LossWithKeptGradient, sigmoid_and_softplus
from .workspace import Workspace


def ghm_bin_index(
    grad_norm: torch.Tensor,
    bins: int,
    workspace: Optional[Workspace] = None,
) -> torch.Tensor:
    """The bin of each gradient norm in [0, 1]: ``min(floor(g * bins),
    bins - 1)``, int32, the shape of ``grad_norm`` (in ``workspace``'s
    buffers when given)."""
    workspace = workspace or Workspace()
    scaled = torch.mul(grad_norm, bins, out=workspace.get('scaled', grad_norm))
    index = workspace.get('index', grad_norm, torch.int32)
    index = scaled.to(torch.int32) if index is None else index.copy_(scaled)
    return index.clamp_(max=bins - 1)


def ghm_bin_weights(
    index: torch.Tensor,
    bins: int,
    momentum: float = 0.0,
    bin_avg: Optional[torch.Tensor] = None,
    mass: Optional[torch.Tensor] = None,
) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
    """Each bin's GHM weight divided by the number of logits, and the
    updated moving average of the bin counts.

    A logit in a non-empty bin weighs ``N / count``, divided by the number
    of non-empty bins; over ``N`` that is ``1 / (count * filled)``.

    Args:
        index (torch.Tensor): Bin of every logit (``ghm_bin_index``), any
            shape.
        bins (int): Number of bins.
        momentum (float): Moving-average factor of the bin counts, in
            [0, 1); 0 uses this batch's counts.
        bin_avg (torch.Tensor, optional): Moving average, shape (bins,);
            needed when ``momentum > 0``. Bins empty in this batch keep
            their average.
        mass (torch.Tensor, optional): What each logit counts for, the
            shape of ``index`` (mixup's stacked rows); 1 by default.

    Returns:
        tuple: weights per bin, shape (bins,), float64; and the new
        ``bin_avg`` (None when ``momentum`` is 0).
    """
    counts = torch.bincount(
        index.flatten(),
        None if mass is None else mass.flatten().double(),
        minlength=bins,
    ).double()
    filled = counts > 0
    if momentum > 0:
        bin_avg = torch.where(
            filled, momentum * bin_avg + (1 - momentum) * counts, bin_avg
        )
        counts = bin_avg
    per_bin = torch.where(filled, 1.0 / counts.clamp(min=1e-12), 0.0)
    return per_bin / filled.sum().clamp(min=1), (
        bin_avg if momentum > 0 else None
    )


class _GHMC(LossWithKeptGradient):
    """The loss and its gradient in one pass over the logits, which keeps
    the gradient for the backward pass (the GHM weights are constants of
    the backward pass, as in the paper)."""

    @staticmethod
    def forward(
        ctx,
        logits,
        target,
        bins,
        momentum,
        bin_avg,
        class_weight,
        sample_weight,
        workspace,
    ):
        x = at_least_float32(logits)
        rows = torch.arange(x.size(0), device=x.device)
        # p's memory becomes the gradient: it is the one fresh (N, C) tensor
        p, q, bce = sigmoid_and_softplus(
            x,
            q_out=workspace.get('q', x),
            softplus_out=workspace.get('softplus', x),
        )
        # Every logit is first taken as a negative (target 0: gradient norm
        # p, BCE softplus(x)); the N target logits are corrected to target
        # 1 (gradient norm q, BCE softplus(-x)).
        index = ghm_bin_index(p, bins, workspace)
        x_t, q_t = x[rows, target], q[rows, target]
        index[rows, target] = ghm_bin_index(q_t, bins)
        mass = None
        if sample_weight is not None:
            mass = sample_weight.to(x.dtype)[:, None].expand_as(x)
        per_bin, new_avg = ghm_bin_weights(
            index, bins, momentum, bin_avg, mass
        )
        if new_avg is not None:
            bin_avg.copy_(new_avg)
        # Each logit's weight, in q's memory (only q_t is needed from here).
        w = torch.index_select(
            per_bin.to(x.dtype), 0, index.flatten(), out=q.flatten()
        ).view_as(x)
        if class_weight is not None:
            w.mul_(class_weight.to(x.dtype)[target, None])
        if mass is not None:
            w.mul_(mass)
        bce[rows, target] = F.softplus(x_t.neg())
        loss = torch.dot(w.flatten(), bce.flatten())
        # p - 1 at the targets is -q, which keeps its digits where p ~ 1
        p[rows, target] = q_t.neg()
        LossWithKeptGradient.keep(ctx, p.mul_(w), logits)
        return loss


def ghmc_loss_plain(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    bins: int,
    momentum: float = 0.0,
    bin_avg: Optional[torch.Tensor] = None,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """The formula in plain autograd (the test oracle of :func:`ghmc_loss`;
    ``bin_avg`` is read, not updated): ``sum(w_ghm * w_{y_i} * m_i * BCE)``
    over the logits, ``w_ghm`` from :func:`ghm_bin_weights`, a constant of
    the gradient."""
    x = at_least_float32(logits)
    y = F.one_hot(target, x.size(1)).to(x.dtype)
    grad_norm = (x.detach().sigmoid() - y).abs()
    index = (grad_norm * bins).long().clamp(max=bins - 1)
    mass = None
    if sample_weight is not None:
        mass = sample_weight.to(x.dtype)[:, None].expand_as(x)
    per_bin, _ = ghm_bin_weights(
        index,
        bins,
        momentum,
        None if bin_avg is None else bin_avg.clone(),
        mass,
    )
    w = per_bin.to(x.dtype)[index]
    if class_weight is not None:
        w = w * class_weight.to(x.dtype)[target, None]
    if mass is not None:
        w = w * mass
    bce = F.binary_cross_entropy_with_logits(x, y, reduction='none')
    return (w * bce).sum()


def ghmc_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    bins: int,
    momentum: float = 0.0,
    bin_avg: Optional[torch.Tensor] = None,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
    workspace: Optional[Workspace] = None,
) -> torch.Tensor:
    """GHM-C loss ``sum(w_ghm * w_{y_i} * BCE) / N`` over the N logits,
    fused.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        bins (int): Number of gradient-norm bins.
        momentum (float): Moving average of the bin counts, in [0, 1).
        bin_avg (torch.Tensor, optional): The moving average, shape
            (bins,), updated in place; needed when ``momentum > 0``.
        class_weight (torch.Tensor, optional): Per-class weights, shape
            (C,), applied to each image's logits by its class.
        sample_weight (torch.Tensor, optional): Per-row masses, shape (N,)
            (mixup's stacked rows): each logit of row ``i`` counts for
            ``m_i`` in the bin counts and weighs ``m_i`` in the loss.
        workspace (Workspace, optional): Buffers kept between calls.

    Returns:
        torch.Tensor: Scalar loss (float32; float64 for float64 logits).
    """
    if momentum > 0 and bin_avg is None:
        raise ValueError('ghmc_loss needs bin_avg when momentum > 0')
    return _GHMC.apply(
        logits,
        target,
        bins,
        momentum,
        bin_avg,
        class_weight,
        sample_weight,
        workspace or Workspace(),
    )


@MODELS.register_module()
class GHMCLoss(ClassWeightedLoss):
    """GHM-C loss on one-hot targets (sigmoid logits).

    The result is ``sum(w_ghm * w_{y_i} * BCE) / N`` over the ``N`` logits,
    with ``w_{y_i}`` the per-class weight of each sample's class (1 unless a
    ``weighting``, ``class_weight`` or ``DRWHook`` sets them).

    Args:
        bins (int): Number of gradient-norm bins, >= 1. Defaults to 10.
        momentum (float): Moving average of the bin counts, in [0, 1).
            Defaults to 0.
        **kwargs: ``class_counts``, ``weighting``, ``beta``,
            ``class_weight``, ``loss_weight``, as
            :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    def __init__(
        self, bins: int = 10, momentum: float = 0.0, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        if not isinstance(bins, int) or bins < 1:
            raise ValueError(f'bins must be an int >= 1, got {bins}')
        if not 0 <= momentum < 1:
            raise ValueError(f'momentum must be in [0, 1), got {momentum}')
        self.bins = bins
        self.momentum = momentum
        # Saved in checkpoints, so that a resumed run keeps its average.
        self.register_buffer('bin_avg', torch.zeros(bins))

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        # The moving average is a running state: evaluation reads it and
        # leaves it as it is.
        bin_avg = self.bin_avg if self.training else self.bin_avg.clone()
        return ghmc_loss(
            logits,
            target,
            bins=self.bins,
            momentum=self.momentum,
            bin_avg=bin_avg,
            class_weight=self.active_class_weight(logits.device),
            sample_weight=mass,
            workspace=self.workspace,
        )
