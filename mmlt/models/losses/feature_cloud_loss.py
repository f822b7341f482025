"""A feature cloud for the tail classes, with the head classes' angular
spread: mmlt's reading of learnable embedding augmentation (LEAP).

`Deep Representation Learning on Long-tailed Data: A Learnable Embedding
Augmentation Perspective <https://arxiv.org/abs/2002.10826>`_ (Liu et al.,
CVPR 2020) has no official code, and its method section could not be read
where this was written; only its abstract, introduction and the caption of
its Fig. 2 could. They say: each tail instance becomes a "feature cloud"
of disturbed features; the distribution is taken from the head classes:
the angles between features and their class centre are measured for head
and tail classes, the head classes' angular variance is transferred to the
tail classes by adding a distribution to the tail angles, and the loss is
computed on the head data and the new tail data. Everything quantitative
below is mmlt's, not the paper's (configs/feature_cloud/README.md lists
what is not pinned down). With cosine logits ``z`` (N, C) and
``theta_i = arccos z_{i, y_i}``::

    var_c   = variance of theta over class c's training features (a running
              estimate, each batch's mean and variance of the class's
              angles moved in by ``momentum``; without gradient)
    var_h   = mean of var_c over the head classes (more than head_thr
              images)
    sigma_c = k * sqrt(max(var_h - var_c, 0)) for a tail class, 0 for a
              head class: with k = spread_scale = 1, the added spread
              that brings var_c up to var_h; k = 0 is plain cross-entropy
              on the scaled cosines (the baseline)
    theta~  = theta_i + sigma_{y_i} * eps_i,  eps_i ~ N(0, 1), one member of
              the cloud a step
    loss    = cross-entropy of s * z with z_{i, y_i} replaced by
              cos(theta~_i)

At test time and before a class's angles have been seen, nothing changes.
"""

from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.dist import all_reduce
from mmpretrain.registry import MODELS

from .class_weighted_loss import ClassWeightedLoss, Weight
from .mixed_target import at_least_float32
from .softmax_target_loss import weighted_mean

#: sin(theta) is kept above this, so that cos(theta + d) stays
#: differentiable where a feature lies on its class centre
MIN_SINE = 1e-6


def shifted_cosine(cosine: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """``cos(arccos(cosine) + shift)``, elementwise, differentiable in
    ``cosine`` everywhere (``sin`` kept at least ``MIN_SINE``)."""
    sine = (1 - cosine.square()).clamp_min(MIN_SINE**2).sqrt()
    return cosine * torch.cos(shift) - sine * torch.sin(shift)


def class_angle_moments(
    cosine: torch.Tensor, target: torch.Tensor, num_classes: int
) -> torch.Tensor:
    """Per class: the number of rows, the sum of ``theta`` and of
    ``theta ** 2``, shape (3, C), float64, without gradient.

    Args:
        cosine (torch.Tensor): The target classes' cosines, shape (N,).
        target (torch.Tensor): Class indices, shape (N,).
        num_classes (int): ``C``.
    """
    theta = torch.arccos(cosine.detach().double().clamp(-1, 1))
    moments = torch.zeros(3, num_classes, dtype=torch.float64)
    moments = moments.to(cosine.device)
    for row, value in enumerate((torch.ones_like(theta), theta, theta**2)):
        moments[row].index_add_(0, target, value)
    return moments


def tail_spread(
    angle_var: torch.Tensor, seen: torch.Tensor, head: torch.Tensor
) -> torch.Tensor:
    """``sigma_c`` (module docstring), shape (C,): 0 for the head classes
    and the classes not seen yet, and everywhere while no head class has
    been seen."""
    known_head = head & seen
    if not known_head.any():
        return torch.zeros_like(angle_var)
    head_var = angle_var[known_head].mean()
    extra = (head_var - angle_var).clamp_min(0).sqrt()
    return torch.where(seen & ~head, extra, torch.zeros_like(extra))


def feature_cloud_loss(
    cosine: torch.Tensor,
    target: torch.Tensor,
    *,
    spread: torch.Tensor,
    noise: torch.Tensor,
    s: float,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """The loss of one cloud member a row (module docstring).

    Args:
        cosine (torch.Tensor): Cosine logits, shape (N, C).
        target (torch.Tensor): Class indices, shape (N,).
        spread (torch.Tensor): ``sigma_c``, shape (C,).
        noise (torch.Tensor): ``eps``, shape (N,).
        s (float): Logit scale.
        class_weight, sample_weight (torch.Tensor, optional): Weight the
            mean over the batch as torch's ``cross_entropy`` does, shapes
            (C,) and (N,).
    """
    x = at_least_float32(cosine)
    rows = torch.arange(len(target), device=x.device)
    shift = spread[target].to(x.dtype) * noise.to(x.dtype)
    member = shifted_cosine(x[rows, target], shift)
    onehot = F.one_hot(target, x.size(1)).to(torch.bool)
    logits = torch.where(onehot, member[:, None], x)
    per_row = F.cross_entropy(s * logits, target, reduction='none')
    return weighted_mean(per_row, target, class_weight, sample_weight)


@MODELS.register_module()
class FeatureCloudLoss(ClassWeightedLoss):
    """Cross-entropy on cosine logits (a cosine classifier such as
    ``LDAMHead``) with a feature cloud for the tail classes (module
    docstring). The running angle statistics are buffers, saved in
    checkpoints; under distributed training every rank adds up all ranks'
    angles, so all use the same spreads.

    Args:
        num_classes (int): ``C``, the head's (the statistics' size, as
            mmpretrain's ``SeesawLoss`` takes it).
        head_thr (int): A class with more training images is a head class,
            whose angular variance the tail classes take; >= 0. Defaults to
            100 (the usual many-shot threshold).
        momentum (float): Weight of the running statistics against a
            batch's, in [0, 1). Defaults to 0.9.
        spread_scale (float): ``k``, >= 0: the share of the head classes'
            spread added (mmlt's knob). Defaults to 1.
        s (float): Logit scale, > 0. Defaults to 30, as ``LDAMHead``.
        class_counts (Sequence[int], optional): Training images per class;
            ``SetClassCountsHook`` fills them in.
        class_weight (Sequence[float], optional): Per-class weights.
        loss_weight (float): Multiplier of the loss. Defaults to 1.
    """

    uses_counts = True

    def __init__(
        self,
        num_classes: int,
        head_thr: int = 100,
        momentum: float = 0.9,
        spread_scale: float = 1.0,
        s: float = 30.0,
        class_counts: Optional[Sequence[int]] = None,
        class_weight: Weight = None,
        loss_weight: float = 1.0,
        **unknown,
    ) -> None:
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(
                f'num_classes must be an int >= 2, got {num_classes}'
            )
        if not isinstance(head_thr, int) or head_thr < 0:
            raise ValueError(f'head_thr must be an int >= 0, got {head_thr}')
        if not 0 <= momentum < 1:
            raise ValueError(f'momentum must be in [0, 1), got {momentum}')
        if not spread_scale >= 0:
            raise ValueError(f'spread_scale must be >= 0, got {spread_scale}')
        if not s > 0:
            raise ValueError(f's must be > 0, got {s}')
        super().__init__(
            class_weight=class_weight, loss_weight=loss_weight, **unknown
        )
        self.head_thr = head_thr
        self.momentum = momentum
        self.spread_scale = float(spread_scale)
        self.s = s
        zeros = torch.zeros(num_classes, dtype=torch.float64)
        self.register_buffer('angle_mean', zeros.clone())
        self.register_buffer('angle_var', zeros.clone())
        self.register_buffer(
            'seen', torch.zeros(num_classes, dtype=torch.bool)
        )
        if class_counts is not None:
            self.set_class_counts(class_counts)

    def set_class_counts(self, class_counts: Sequence[int]) -> None:
        if len(class_counts) != len(self.seen):
            raise ValueError(
                f'FeatureCloudLoss has num_classes={len(self.seen)} but '
                f'class_counts has {len(class_counts)} classes'
            )
        super().set_class_counts(class_counts)
        head = torch.tensor(self.class_counts) > self.head_thr
        if head.all() or not head.any():
            raise ValueError(
                f'FeatureCloudLoss: head_thr={self.head_thr} makes '
                f'{"every" if head.all() else "no"} class a head class '
                f'(counts {min(self.class_counts)}..{max(self.class_counts)}'
                '); choose a threshold between them'
            )

    @property
    def head(self) -> torch.Tensor:
        """Whether each class is a head class (more than ``head_thr``
        images), shape (C,), on the statistics' device."""
        return self.derived(
            'head',
            lambda counts: torch.tensor(counts) > self.head_thr,
            self.seen.device,
        )

    def update_statistics(
        self, cosine: torch.Tensor, target: torch.Tensor
    ) -> None:
        """Moves the running angle statistics towards this batch's (all
        ranks' rows)."""
        moments = class_angle_moments(cosine, target, len(self.seen))
        all_reduce(moments)
        count, total, squares = moments
        present = count > 0
        mean = total / count.clamp_min(1)
        var = (squares / count.clamp_min(1) - mean**2).clamp_min(0)
        stats = self.angle_mean.device
        present, mean, var = present.to(stats), mean.to(stats), var.to(stats)
        keep = torch.where(self.seen, self.momentum, 0.0).to(torch.float64)
        for running, batch in ((self.angle_mean, mean), (self.angle_var, var)):
            running.copy_(
                torch.where(
                    present, keep * running + (1 - keep) * batch, running
                )
            )
        self.seen |= present

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        if logits.size(1) != len(self.seen):
            raise ValueError(
                f'FeatureCloudLoss has num_classes={len(self.seen)} but the '
                f'logits have {logits.size(1)} classes'
            )
        if self.training:
            rows = torch.arange(len(target), device=logits.device)
            self.update_statistics(logits[rows, target], target)
            spread = self.spread_scale * tail_spread(
                self.angle_var, self.seen, self.head
            )
            noise = torch.randn(len(target), device=logits.device)
        else:
            spread = torch.zeros(len(self.seen), dtype=torch.float64)
            noise = torch.zeros(len(target), device=logits.device)
        return feature_cloud_loss(
            logits,
            target,
            spread=spread.to(logits.device),
            noise=noise,
            s=self.s,
            class_weight=self.active_class_weight(logits.device),
            sample_weight=mass,
        )
