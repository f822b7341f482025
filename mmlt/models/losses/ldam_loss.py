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
from mmpretrain.registry import MODELS

from .class_weighted_loss import ClassWeightedLoss
from .class_weights import check_class_counts
from .softmax_target_loss import softmax_target_loss, weighted_nll
from .workspace import Workspace


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
    workspace: Optional[Workspace] = None,
    sample_weight: Optional[torch.Tensor] = None,
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
        workspace (Workspace, optional): Buffers kept between calls.
        sample_weight (torch.Tensor, optional): Per-row masses, shape (N,)
            (mixup's), weighting the mean like ``weight``.

    Returns:
        torch.Tensor: Scalar loss.
    """
    # s (z - Delta_y onehot(y)) = s z - s Delta_y on the target logit.
    return softmax_target_loss(
        cosine,
        target,
        weighted_nll(target, weight, sample_weight),
        scale=s,
        target_margin=s * margins[target],
        workspace=workspace,
    )


@MODELS.register_module()
class LDAMLoss(ClassWeightedLoss):
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

    needs_counts = True

    def __init__(
        self,
        cls_num_list: Optional[Sequence[int]] = None,
        max_m: float = 0.5,
        s: float = 30.0,
        weight: Optional[Sequence[float]] = None,
        loss_weight: float = 1.0,
    ) -> None:
        if not max_m > 0:
            raise ValueError(f'max_m must be > 0, got {max_m}')
        if not s > 0:
            raise ValueError(f's must be > 0, got {s}')
        # Set before the base's __init__, which may call counts_changed.
        self.max_m = max_m
        self.s = s
        super().__init__(
            cls_num_list, class_weight=weight, loss_weight=loss_weight
        )

    def counts_changed(self, class_counts: list) -> None:
        self.set_derived_buffer(
            'margins', ldam_margins(class_counts, self.max_m)
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
            self.margins,
            self.s,
            self.class_weight,
            self.workspace,
            mass,
        )
