"""What every mmlt loss shares: class counts and switchable class weights.

A loss is a :class:`~mmlt.class_counts.CountsConsumer` (``SetClassCountsHook``
fills in the counts a config leaves out) and a
:class:`~mmlt.class_counts.WeightConsumer` (``DRWHook`` replaces its class
weights at its epoch). Whatever a loss derives from the counts (LDAM's
margins, the log prior) is computed when first needed, from the counts and
the loss's settings, so a subclass sets its fields in any order.

Which class weights apply, first match wins:

1. weights a schedule set (``set_class_weight(w, source='DRWHook')``);
2. explicit ``class_weight`` from the config;
3. the ``weighting`` scheme applied to the class counts;
4. none (uniform).

``DRWHook`` logs when it takes over from a loss's own weights.
"""

from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn

from mmlt.class_counts import check_counts, check_weighting, class_weights
from mmlt.utils import check_kwargs

from .mixed_target import expand_mixed_target
from .workspace import Workspace

Weight = Optional[Union[Sequence[float], torch.Tensor]]


def check_class_weight(weight: Weight, name: str = 'class_weight'):
    """``weight`` as a float32 tensor of shape (C,), or None; raises unless
    it is 1-d, finite and >= 0."""
    if weight is None:
        return None
    weight = torch.as_tensor(weight, dtype=torch.float32).detach().cpu()
    if (
        weight.ndim != 1
        or (weight < 0).any()
        or not torch.isfinite(weight).all()
    ):
        raise ValueError(
            f'{name} must be a 1-d list of finite values >= 0, got '
            f'{weight.tolist()}'
        )
    return weight


class ClassWeightedLoss(nn.Module):
    """Base of mmlt's losses.

    Args:
        class_counts (Sequence[int], optional): Training images per class;
            None until ``SetClassCountsHook`` sets them.
        weighting (str): Per-class weights derived from the counts: 'none',
            'inverse', 'sqrt_inverse', 'class_balanced' or 'cost_sensitive'.
            Defaults to 'none'.
        beta (float): Effective-number beta for 'class_balanced', in [0, 1).
            Defaults to 0.9999.
        class_weight (Sequence[float], optional): Explicit per-class weights,
            instead of a ``weighting``.
        loss_weight (float): Multiplier of the loss. Defaults to 1.
        **unknown: Refused with an error that names the subclass and the
            nearest valid name.
    """

    #: Whether the loss itself cannot be computed without the class counts
    #: (a ``weighting`` other than 'none' needs them too).
    uses_counts = False

    def __init__(
        self,
        *,
        class_counts: Optional[Sequence[int]] = None,
        weighting: str = 'none',
        beta: float = 0.9999,
        class_weight: Weight = None,
        loss_weight: float = 1.0,
        **unknown,
    ) -> None:
        super().__init__()
        check_kwargs(self, unknown)
        check_weighting(weighting)
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
        self.workspace = Workspace()
        self.class_counts: Optional[List[int]] = None
        self._explicit_weight = check_class_weight(class_weight)
        self._scheduled_weight: Optional[torch.Tensor] = None
        self._scheduled_source = ''
        # (name, device) -> tensor derived from the counts; not saved in
        # checkpoints: it follows from the data set and the settings.
        self._derived: Dict[Tuple[str, torch.device], torch.Tensor] = {}
        if class_counts is not None:
            self.set_class_counts(class_counts)

    @property
    def needs_counts(self) -> bool:
        """Whether the loss refuses to run without class counts."""
        return self.uses_counts or self.weighting != 'none'

    @property
    def num_classes(self) -> Optional[int]:
        for known in (
            self.class_counts,
            self._scheduled_weight,
            self._explicit_weight,
        ):
            if known is not None:
                return len(known)
        return None

    def set_class_counts(self, class_counts: Sequence[int]) -> None:
        """Sets the training counts; what derives from them follows."""
        counts = check_counts(class_counts).tolist()
        for weight in (self._explicit_weight, self._scheduled_weight):
            if weight is not None and len(weight) != len(counts):
                raise ValueError(
                    f'class_counts has {len(counts)} classes but the class '
                    f'weights have {len(weight)}'
                )
        self.class_counts = counts
        self._derived.clear()

    def set_class_weight(
        self, weight: Weight, source: str = 'schedule'
    ) -> None:
        """Replaces the class weights (None: back to the loss's own).

        Args:
            weight (Sequence[float] | torch.Tensor, optional): Shape (C,).
            source (str): Who sets them, for the log (e.g. 'DRWHook').
        """
        weight = check_class_weight(weight, 'weight')
        known = self.num_classes
        if weight is not None and known is not None and len(weight) != known:
            raise ValueError(
                f'weight has {len(weight)} classes but the loss has {known}'
            )
        self._scheduled_weight = weight
        self._scheduled_source = source if weight is not None else ''

    @property
    def weight_source(self) -> str:
        """Where the class weights in force come from."""
        if self._scheduled_weight is not None:
            return self._scheduled_source
        if self._explicit_weight is not None:
            return 'class_weight'
        if self.weighting != 'none':
            return f'weighting={self.weighting!r}'
        return 'none'

    def active_class_weight(self, device=None) -> Optional[torch.Tensor]:
        """The class weights in force (module docstring), shape (C,)."""
        if self._scheduled_weight is not None:
            weight = self._scheduled_weight
        elif self._explicit_weight is not None:
            weight = self._explicit_weight
        elif self.weighting != 'none' and self.class_counts is not None:
            return self.derived(
                'class_weight',
                lambda counts: class_weights(
                    counts, self.weighting, self.beta
                ),
                device,
            )
        else:
            return None
        return weight if device is None else weight.to(device)

    def derived(
        self,
        name: str,
        make: Callable[[List[int]], torch.Tensor],
        device=None,
    ) -> torch.Tensor:
        """``make(class_counts)``, computed once per counts and device."""
        key = (name, None if device is None else torch.device(device))
        value = self._derived.get(key)
        if value is None:
            value = make(self.class_counts)
            if device is not None:
                value = value.to(device)
            self._derived[key] = value
        return value

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
        self.check_finite(loss, cls_score)
        return self.loss_weight * loss

    def check_finite(
        self, loss: torch.Tensor, cls_score: torch.Tensor
    ) -> None:
        """Raises FloatingPointError, naming the cause, unless ``loss`` is
        finite."""
        if torch.isfinite(loss):
            return
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

        Raises on missing counts, a bad label shape or a class mismatch.

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
            why = (
                f'weighting={self.weighting!r}'
                if not self.uses_counts
                else 'the loss'
            )
            raise RuntimeError(
                f'{name} has no class counts, which {why} needs: give '
                "class_counts=[...], or train from mmlt's default runtime "
                '(configs/_base_/default_runtime.py), whose '
                'SetClassCountsHook sets them from the training set'
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
                f'{name} has {self.num_classes} classes but the logits have '
                f'{cls_score.size(1)} (its classes come from its class counts '
                'or weights)'
            )
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
