"""What every mmlt loss shares: class counts and switchable class weights.

``SetClassCountsHook`` fills in the counts a config leaves out
(``set_class_counts``) and ``DRWHook`` replaces the weights at its epoch
(``set_class_weight``), so any loss built on this base works with both.
"""

from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn

from .class_weights import WEIGHTINGS, check_class_counts, class_weights
from .mixed_target import expand_mixed_target
from .workspace import Workspace


class ClassWeightedLoss(nn.Module):
    """Base of mmlt's losses.

    Args:
        cls_num_list (Sequence[int], optional): Training images per class;
            None until ``SetClassCountsHook`` sets them.
        weighting (str): Per-class weights derived from the counts: 'none',
            'inverse', 'sqrt_inverse', 'class_balanced' or 'cost_sensitive'.
            Defaults to 'none'.
        beta (float): Effective-number beta for 'class_balanced', in [0, 1).
            Defaults to 0.9999.
        class_weight (Sequence[float], optional): Explicit per-class weights,
            instead of a ``weighting``.
        loss_weight (float): Multiplier of the loss. Defaults to 1.
    """

    #: Whether the loss cannot be computed without the class counts.
    needs_counts = False

    def __init__(
        self,
        cls_num_list: Optional[Sequence[int]] = None,
        weighting: str = 'none',
        beta: float = 0.9999,
        class_weight: Optional[Sequence[float]] = None,
        loss_weight: float = 1.0,
    ) -> None:
        super().__init__()
        if weighting not in WEIGHTINGS:
            raise ValueError(
                f'weighting must be one of {WEIGHTINGS}, got {weighting!r}'
            )
        if not 0 <= beta < 1:
            raise ValueError(f'beta must be in [0, 1), got {beta}')
        if class_weight is not None and weighting != 'none':
            raise ValueError(
                'give either class_weight or a weighting, not both '
                f'(weighting={weighting!r})'
            )
        self.weighting = weighting
        self.beta = beta
        self.loss_weight = loss_weight
        self.class_counts: Optional[list] = None
        self.workspace = Workspace()
        # Not saved: derived from the dataset and, under DRW, the epoch.
        self.register_buffer('class_weight', None, persistent=False)
        if class_weight is not None:
            self.set_class_weight(class_weight)
        if cls_num_list is not None:
            self.set_class_counts(cls_num_list)

    @property
    def num_classes(self) -> Optional[int]:
        if self.class_counts is not None:
            return len(self.class_counts)
        if self.class_weight is not None:
            return len(self.class_weight)
        return None

    def set_class_counts(self, class_counts: Sequence[int]) -> None:
        """Sets the training counts (and the weights of ``weighting``)."""
        counts = check_class_counts(class_counts).tolist()
        if self.class_weight is not None and self.weighting == 'none':
            if len(self.class_weight) != len(counts):
                raise ValueError(
                    f'cls_num_list has {len(counts)} classes but weight '
                    f'has {len(self.class_weight)}'
                )
        self.class_counts = counts
        if self.weighting != 'none':
            self.class_weight = class_weights(
                counts, self.weighting, self.beta
            )
        self.counts_changed(counts)

    def counts_changed(self, class_counts: list) -> None:
        """Subclasses derive their count-dependent state here."""

    def set_derived_buffer(self, name: str, value: torch.Tensor) -> None:
        """Registers (first time) or updates a non-persistent buffer."""
        if name in self._buffers:
            setattr(self, name, value)
        else:
            self.register_buffer(name, value, persistent=False)

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
        if self.class_counts is not None and len(weight) != len(
            self.class_counts
        ):
            raise ValueError(
                f'weight has {len(weight)} classes but '
                f'cls_num_list has {len(self.class_counts)}'
            )
        self.class_weight = weight

    def forward(
        self, cls_score: torch.Tensor, label: torch.Tensor, **kwargs
    ) -> torch.Tensor:
        """The loss of logits against class indices or mixed scores.

        Args:
            cls_score (torch.Tensor): Logits, shape (N, C).
            label (torch.Tensor): Class indices (N,), or mixed scores
                (N, C) of at most two classes a row (mixup, CutMix).
            **kwargs: mmpretrain's ``avg_factor`` is accepted and not used:
                each loss has its own reduction (``docs/losses.md``).

        Raises:
            FloatingPointError: if the loss is not finite (what caused it
                is named: non-finite logits, or finite ones).
        """
        logits, target, mass = self.prepare_inputs(cls_score, label)
        loss = self.compute(logits, target, mass)
        if not torch.isfinite(loss):
            bad = (~torch.isfinite(cls_score)).sum().item()
            cause = (
                f'{bad} of the {cls_score.numel()} logits are nan or inf'
                if bad
                else 'the logits are finite (largest magnitude '
                f'{cls_score.abs().max().item():.4g})'
            )
            raise FloatingPointError(
                f'{type(self).__name__} is {loss.item()}: {cause}'
            )
        return self.loss_weight * loss

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        """The loss before ``loss_weight``, of what :meth:`prepare_inputs`
        returns; each loss defines it."""
        raise NotImplementedError

    def prepare_inputs(
        self, cls_score: torch.Tensor, label: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor, Optional[torch.Tensor]]:
        """Checks the inputs and reads mixed targets as class pairs.

        Raises on a missing count, a bad label shape or a class mismatch,
        and moves the buffers to the logits' device (hooks set them on the
        CPU after the model has been moved).

        Args:
            cls_score (torch.Tensor): Logits, shape (N, C).
            label (torch.Tensor): Class indices (N,), or scores (N, C) of
                at most two classes a row (mixup, CutMix).

        Returns:
            tuple: logits, class indices and per-row masses (None for plain
            labels), from :func:`expand_mixed_target` for scores.
        """
        name = type(self).__name__
        if self.needs_counts and self.class_counts is None:
            raise RuntimeError(
                f'{name} has no class counts: give cls_num_list, or add '
                "dict(type='SetClassCountsHook') to custom_hooks so that "
                'they come from the training dataset'
            )
        if cls_score.ndim != 2:
            raise ValueError(
                f'{name} takes logits of shape (N, C), got '
                f'{tuple(cls_score.shape)}'
            )
        if label.shape not in (cls_score.shape[:1], cls_score.shape):
            raise ValueError(
                f'{name} takes class indices of shape (N,) or mixed scores '
                f'of shape (N, C) = {tuple(cls_score.shape)}, got a target '
                f'of shape {tuple(label.shape)}'
            )
        if self.num_classes is not None and cls_score.size(1) != (
            self.num_classes
        ):
            raise ValueError(
                f'cls_num_list has {self.num_classes} classes but the '
                f'logits have {cls_score.size(1)}'
            )
        if any(b.device != cls_score.device for b in self.buffers()):
            self.to(cls_score.device)
        if label.ndim == 2:
            return expand_mixed_target(cls_score, label)
        # one reduction, so one device sync, for both ends of the range
        if ((label < 0) | (label >= cls_score.size(1))).any():
            raise ValueError(
                f'{name}: labels must be in [0, {cls_score.size(1)}) for '
                f'{cls_score.size(1)} logits, got {label.min().item()}..'
                f'{label.max().item()}'
            )
        return cls_score, label, None
