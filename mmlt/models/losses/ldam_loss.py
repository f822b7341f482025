"""LDAM: label-distribution-aware margin loss.

`Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss
<https://arxiv.org/abs/1906.07413>`_ (Cao et al., NeurIPS 2019). Class ``j``
gets the margin ``Delta_j = C' / n_j ** (1/4)``, with ``C'`` chosen so the
largest margin is ``max_m``; the loss is cross-entropy on
``s * (z - Delta_y * onehot(y))`` where ``z`` are cosine logits (see
:class:`mmlt.models.LDAMHead`).
"""

from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from .class_weights import check_class_counts


def ldam_margins(class_counts: Sequence[int], max_m: float) -> torch.Tensor:
    """``n_j ** -1/4``, scaled so the largest is ``max_m``; shape (C,)."""
    counts = torch.as_tensor(
        check_class_counts(class_counts), dtype=torch.float64
    )
    margins = counts**-0.25
    return (margins * (max_m / margins.max())).float()


def ldam_loss(
    cosine: torch.Tensor,
    target: torch.Tensor,
    margins: torch.Tensor,
    s: float,
    weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """LDAM loss, computed in float32 (float64 inputs stay float64).

    Args:
        cosine (torch.Tensor): Cosine logits, shape (N, C).
        target (torch.Tensor): Class indices, shape (N,).
        margins (torch.Tensor): Per-class margins, shape (C,).
        s (float): Logit scale.
        weight (torch.Tensor, optional): Per-class weights, shape (C,). The
            mean over the batch is weighted by the target classes' weights,
            as in torch's ``cross_entropy``.

    Returns:
        torch.Tensor: Scalar loss.
    """
    # s = 30 times a half-precision cosine loses the margins' precision.
    cosine = cosine.to(torch.promote_types(cosine.dtype, torch.float32))
    target_margin = margins.to(cosine.dtype)[target].unsqueeze(1)
    is_target = F.one_hot(target, cosine.size(1)).bool()
    logits = torch.where(is_target, cosine - target_margin, cosine)
    if weight is not None:
        weight = weight.to(cosine.dtype)
    return F.cross_entropy(s * logits, target, weight=weight)


@MODELS.register_module()
class LDAMLoss(nn.Module):
    """Label-distribution-aware margin loss.

    Args:
        cls_num_list (Sequence[int], optional): Training images per class.
            When None, ``SetClassCountsHook`` fills it in from the training
            dataset before training; an explicit list is kept.
        max_m (float): Largest margin (the rarest class's). Defaults to 0.5.
        s (float): Logit scale. Defaults to 30.
        weight (Sequence[float], optional): Per-class weights; None is
            uniform. ``DRWHook`` replaces them at its epoch.
        loss_weight (float): Multiplier of the loss. Defaults to 1.
    """

    def __init__(
        self,
        cls_num_list: Optional[Sequence[int]] = None,
        max_m: float = 0.5,
        s: float = 30.0,
        weight: Optional[Sequence[float]] = None,
        loss_weight: float = 1.0,
    ) -> None:
        super().__init__()
        if not max_m > 0:
            raise ValueError(f'max_m must be > 0, got {max_m}')
        if not s > 0:
            raise ValueError(f's must be > 0, got {s}')
        self.max_m = max_m
        self.s = s
        self.loss_weight = loss_weight
        self.class_counts: Optional[list] = None
        # Neither buffer is saved: both are derived from the dataset and the
        # epoch, so a checkpoint stays loadable by a model built either way.
        self.register_buffer('margins', None, persistent=False)
        self.register_buffer('class_weight', None, persistent=False)
        if cls_num_list is not None:
            self.set_class_counts(cls_num_list)
        if weight is not None:
            self.set_class_weight(weight)

    def set_class_counts(self, class_counts: Sequence[int]) -> None:
        """Sets the training counts and so the margins."""
        margins = ldam_margins(class_counts, self.max_m)
        if self.class_weight is not None and len(self.class_weight) != len(
            margins
        ):
            raise ValueError(
                f'cls_num_list has {len(margins)} classes but weight has '
                f'{len(self.class_weight)}'
            )
        self.margins = margins
        self.class_counts = [int(n) for n in class_counts]

    def set_class_weight(self, weight: Optional[Sequence[float]]) -> None:
        """Sets per-class weights (None: uniform)."""
        if weight is None:
            self.class_weight = None
            return
        weight = torch.as_tensor(weight, dtype=torch.float32)
        if (
            weight.ndim != 1
            or (weight < 0).any()
            or not torch.isfinite(weight).all()
        ):
            raise ValueError(
                'weight must be a 1-d list of finite values '
                f'>= 0, got {weight.tolist()}'
            )
        if self.margins is not None and len(weight) != len(self.margins):
            raise ValueError(
                f'weight has {len(weight)} classes but '
                f'cls_num_list has {len(self.margins)}'
            )
        self.class_weight = weight

    def forward(
        self, cls_score: torch.Tensor, label: torch.Tensor, **kwargs
    ) -> torch.Tensor:
        """Loss of cosine logits (N, C) against class indices (N,).

        ``avg_factor``, which mmpretrain heads pass, is accepted and not
        used: the mean is weighted by class weight, as the reference's is.
        """
        if self.margins is None:
            raise RuntimeError(
                'LDAMLoss has no class counts: give cls_num_list, or add '
                "dict(type='SetClassCountsHook') to custom_hooks so that "
                'they come from the training dataset'
            )
        if label.ndim != 1:
            raise ValueError(
                'LDAMLoss takes class indices of shape (N,), got '
                f'a target of shape {tuple(label.shape)}'
            )
        if cls_score.size(1) != len(self.margins):
            raise ValueError(
                f'cls_num_list has {len(self.margins)} classes but the '
                f'logits have {cls_score.size(1)}'
            )
        # Hooks set the buffers on the CPU after the model has been moved.
        if any(b.device != cls_score.device for b in self.buffers()):
            self.to(cls_score.device)
        return self.loss_weight * ldam_loss(
            cls_score, label, self.margins, self.s, self.class_weight
        )
