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


def ghm_weights(
    grad_norm: torch.Tensor,
    bins: int,
    momentum: float = 0.0,
    bin_avg: Optional[torch.Tensor] = None,
) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
    """GHM weights of gradient norms, and the updated bin average.

    Args:
        grad_norm (torch.Tensor): ``|sigmoid(z) - y|``, any shape, in [0, 1].
        bins (int): Number of equal intervals of [0, 1].
        momentum (float): Moving-average factor of the bin counts, in
            [0, 1); 0 uses this batch's counts.
        bin_avg (torch.Tensor, optional): Moving average, shape (bins,);
            needed when ``momentum > 0``.

    Returns:
        tuple: weights (the shape of ``grad_norm``) and the new
        ``bin_avg`` (None when ``momentum`` is 0).
    """
    index = (grad_norm * bins).long().clamp_(max=bins - 1)
    counts = torch.bincount(index.flatten(), minlength=bins).to(
        grad_norm.dtype
    )
    filled = counts > 0
    if momentum > 0:
        bin_avg = torch.where(
            filled, momentum * bin_avg + (1 - momentum) * counts, bin_avg
        )
        counts = bin_avg
    per_bin = torch.where(
        filled, grad_norm.numel() / counts.clamp(min=1e-12), 0.0
    )
    weights = per_bin[index] / filled.sum().clamp(min=1)
    return weights, (bin_avg if momentum > 0 else None)


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
        **kwargs: ``cls_num_list``, ``weighting``, ``beta``,
            ``class_weight``, ``loss_weight``, as
            :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    def __init__(
        self,
        bins: int = 10,
        momentum: float = 0.0,
        **kwargs,
    ) -> None:
        if not isinstance(bins, int) or bins < 1:
            raise ValueError(f'bins must be an int >= 1, got {bins}')
        if not 0 <= momentum < 1:
            raise ValueError(f'momentum must be in [0, 1), got {momentum}')
        super().__init__(**kwargs)
        self.bins = bins
        self.momentum = momentum
        # Saved in checkpoints, so that a resumed run keeps its average.
        self.register_buffer('bin_avg', torch.zeros(bins))

    def forward(
        self, cls_score: torch.Tensor, label: torch.Tensor, **kwargs
    ) -> torch.Tensor:
        self.check_inputs(cls_score, label)
        logits = cls_score.to(
            torch.promote_types(cls_score.dtype, torch.float32)
        )
        target = F.one_hot(label, logits.size(1)).to(logits.dtype)
        grad_norm = (logits.detach().sigmoid() - target).abs()
        weights, bin_avg = ghm_weights(
            grad_norm, self.bins, self.momentum, self.bin_avg.to(logits.dtype)
        )
        if bin_avg is not None and self.training:
            self.bin_avg.copy_(bin_avg)
        if self.class_weight is not None:
            weights = weights * self.class_weight.to(logits.dtype)[label, None]
        bce = F.binary_cross_entropy_with_logits(
            logits, target, reduction='none'
        )
        return self.loss_weight * (weights * bce).sum() / logits.numel()
