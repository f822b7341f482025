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
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from mmlt.class_counts import check_counts

from .class_weighted_loss import ClassWeightedLoss, Weight
from .mixed_target import at_least_float32
from .softmax_target_loss import (
    softmax_target_loss,
    weighted_mean,
    weighted_nll,
)
from .workspace import Workspace


def ldam_margins(class_counts: Sequence[int], max_m: float) -> torch.Tensor:
    """``n_j ** -1/4``, scaled so the largest is ``max_m``; shape (C,)."""
    counts = torch.as_tensor(check_counts(class_counts), dtype=torch.float64)
    margins = counts**-0.25
    return (margins * (max_m / margins.max())).float()


def ldam_loss_plain(
    cosine: torch.Tensor,
    target: torch.Tensor,
    *,
    margins: torch.Tensor,
    s: float,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """The formula in plain autograd (the test oracle of
    :func:`ldam_loss`): cross-entropy of ``s * (z - Delta_y onehot(y))``,
    weighted as torch's."""
    onehot = F.one_hot(target, cosine.size(1)).to(torch.float32)
    x = at_least_float32(cosine)
    adjusted = s * (x - margins[target, None] * onehot.to(x.dtype))
    per_row = F.cross_entropy(adjusted, target, reduction='none')
    return weighted_mean(per_row, target, class_weight, sample_weight)


def ldam_loss(
    cosine: torch.Tensor,
    target: torch.Tensor,
    *,
    margins: torch.Tensor,
    s: float,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
    workspace: Optional[Workspace] = None,
) -> torch.Tensor:
    """LDAM loss, fused; computed in float32 (float64 inputs stay float64).

    Args:
        cosine (torch.Tensor): Cosine logits, shape (N, C).
        target (torch.Tensor): Class indices, shape (N,).
        margins (torch.Tensor): Per-class margins, shape (C,).
        s (float): Logit scale.
        class_weight (torch.Tensor, optional): Per-class weights, shape
            (C,). The mean over the batch is weighted by the target
            classes' weights, as in torch's ``cross_entropy``.
        sample_weight (torch.Tensor, optional): Per-row masses, shape (N,)
            (mixup's), weighting the mean like ``class_weight``.
        workspace (Workspace, optional): Buffers kept between calls.

    Returns:
        torch.Tensor: Scalar loss.
    """
    # s (z - Delta_y onehot(y)) = s z - s Delta_y on the target logit.
    return softmax_target_loss(
        cosine,
        target,
        weighted_nll(target, class_weight, sample_weight),
        scale=s,
        target_margin=s * margins[target],
        workspace=workspace,
    )


@MODELS.register_module()
class LDAMLoss(ClassWeightedLoss):
    """Label-distribution-aware margin loss.

    Args:
        class_counts (Sequence[int], optional): Training images per class.
            When None, ``SetClassCountsHook`` fills it in from the training
            dataset before training; an explicit list is kept.
            ``cls_num_list``, the reference's name, is accepted too.
        max_m (float): Largest margin (the rarest class's). Defaults to 0.5.
        s (float): Logit scale. Defaults to 30. ``LDAMHead`` gives the loss
            its own ``scale`` when the loss config leaves ``s`` out.
        class_weight (Sequence[float], optional): Per-class weights; None
            is uniform. ``DRWHook`` replaces them at its epoch.
        loss_weight (float): Multiplier of the loss. Defaults to 1.
    """

    uses_counts = True

    def __init__(
        self,
        class_counts: Optional[Sequence[int]] = None,
        max_m: float = 0.5,
        s: float = 30.0,
        class_weight: Weight = None,
        loss_weight: float = 1.0,
        cls_num_list: Optional[Sequence[int]] = None,
        **unknown,
    ) -> None:
        if cls_num_list is not None:
            if class_counts is not None:
                raise ValueError(
                    'give class_counts or cls_num_list (its alias), not both'
                )
            class_counts = cls_num_list
        super().__init__(
            class_counts=class_counts,
            class_weight=class_weight,
            loss_weight=loss_weight,
            **unknown,
        )
        if not max_m > 0:
            raise ValueError(f'max_m must be > 0, got {max_m}')
        if not s > 0:
            raise ValueError(f's must be > 0, got {s}')
        self.max_m = max_m
        self.s = s

    def margins(self, device=None) -> torch.Tensor:
        """Per-class margins ``Delta_j``, shape (C,)."""
        return self.derived(
            'margins', lambda c: ldam_margins(c, self.max_m), device
        )

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        return ldam_loss(
            logits,
            target,
            margins=self.margins(logits.device),
            s=self.s,
            class_weight=self.active_class_weight(logits.device),
            sample_weight=mass,
            workspace=self.workspace,
        )
