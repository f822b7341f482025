"""Label-aware smoothing (MiSLAS).

`Improving Calibration for Long-Tailed Recognition
<https://arxiv.org/abs/2104.00466>`_ (Zhong et al., CVPR 2021; official code
dvlab-research/MiSLAS, ``methods.py``): label smoothing whose strength
``eps_j`` grows with the class's size, from ``smooth_tail`` for the rarest
class to ``smooth_head`` for the largest; the loss of an image of class
``y`` is ``(1 - eps_y) (-log p_y) + eps_y mean_k(-log p_k)``.

With ``smooth_head == smooth_tail`` it is plain label smoothing, the same
loss as mmpretrain's ``LabelSmoothLoss(label_smooth_val=eps,
mode='original')`` (``tests/test_gallery_losses.py`` checks it).
"""

import math
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from mmlt.class_counts import check_counts

from .class_weighted_loss import ClassWeightedLoss
from .mixed_target import at_least_float32
from .softmax_target_loss import weighted_mean

SHAPES = ('concave', 'linear', 'convex', 'exp')


def check_smoothing(
    smooth_head: float,
    smooth_tail: float,
    shape: str,
    power: Optional[float],
) -> None:
    """Raises unless the settings of :func:`label_aware_smoothing` are
    valid; names the parameter and its range."""
    for name, value in (
        ('smooth_head', smooth_head),
        ('smooth_tail', smooth_tail),
    ):
        if not 0 <= value < 1:
            raise ValueError(f'{name} must be in [0, 1), got {value}')
    if shape not in SHAPES:
        raise ValueError(f'shape must be one of {SHAPES}, got {shape!r}')
    if shape == 'exp':
        if power is None or not power > 0:
            raise ValueError(f"shape='exp' needs a power > 0, got {power}")
    elif power is not None:
        raise ValueError(
            f"power is used by shape='exp' only, got power={power} with "
            f'shape={shape!r}'
        )


def label_aware_smoothing(
    class_counts: Sequence[int],
    smooth_head: float,
    smooth_tail: float,
    shape: str = 'concave',
    power: Optional[float] = None,
) -> torch.Tensor:
    """``eps_j``, float32, shape (C,), with ``t_j = (n_j - n_min) / (n_max
    - n_min)`` in [0, 1]:

    - concave: ``tail + (head - tail) sin(pi t / 2)``;
    - linear: ``tail + (head - tail) t``;
    - convex: ``head + (head - tail) sin(3 pi / 2 + pi t / 2)``;
    - exp: ``tail + (head - tail) t ** power``.

    When every class has the same count, ``t = 1``: every class is a head
    class and takes ``smooth_head``.
    """
    check_smoothing(smooth_head, smooth_tail, shape, power)
    counts = torch.as_tensor(check_counts(class_counts), dtype=torch.float64)
    span = counts.max() - counts.min()
    t = (counts - counts.min()) / span if span > 0 else torch.ones_like(counts)
    rise = smooth_head - smooth_tail
    if shape == 'concave':
        eps = smooth_tail + rise * torch.sin(t * math.pi / 2)
    elif shape == 'linear':
        eps = smooth_tail + rise * t
    elif shape == 'convex':
        eps = smooth_head + rise * torch.sin(1.5 * math.pi + t * math.pi / 2)
    else:
        eps = smooth_tail + rise * t**power
    return eps.float()


def label_aware_smoothing_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    smoothing: torch.Tensor,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """``(1 - eps_y) (-log p_y) + eps_y mean_k(-log p_k)``, averaged.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        smoothing (torch.Tensor): ``eps_j`` in [0, 1), shape (C,).
        class_weight (torch.Tensor, optional): Per-class weights, shape
            (C,); the mean is weighted by the target classes' weights (none
            in the official code).
        sample_weight (torch.Tensor, optional): Per-row masses, shape (N,)
            (mixup's), weighting the mean like ``class_weight``.

    Returns:
        torch.Tensor: Scalar loss.
    """
    log_p = F.log_softmax(at_least_float32(logits), dim=1)
    eps = smoothing.to(log_p.dtype)[target]
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    per_row = (1 - eps) * nll - eps * log_p.mean(dim=1)
    return weighted_mean(per_row, target, class_weight, sample_weight)


@MODELS.register_module()
class LabelAwareSmoothingLoss(ClassWeightedLoss):
    """Label-aware smoothing; ``eps_j`` comes from the class counts.

    Args:
        smooth_head (float): ``eps`` of the largest class, in [0, 1).
            Defaults to 0.4 (MiSLAS's CIFAR-100-LT value; 0.3 on
            CIFAR-10-LT).
        smooth_tail (float): ``eps`` of the rarest class, in [0, 1).
            Defaults to 0.1 (0.0 on CIFAR-10-LT).
        shape (str): How ``eps`` goes from tail to head: 'concave' (the
            paper's), 'linear', 'convex' or 'exp'. Defaults to 'concave'.
        power (float, optional): The exponent of ``shape='exp'``.
        **kwargs: ``class_counts``, ``weighting``, ``beta``,
            ``class_weight``, ``loss_weight``, as
            :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    uses_counts = True

    def __init__(
        self,
        smooth_head: float = 0.4,
        smooth_tail: float = 0.1,
        shape: str = 'concave',
        power: Optional[float] = None,
        **kwargs,
    ) -> None:
        check_smoothing(smooth_head, smooth_tail, shape, power)
        super().__init__(**kwargs)
        self.smooth_head = smooth_head
        self.smooth_tail = smooth_tail
        self.shape = shape
        self.power = power

    def smoothing(self, device=None) -> torch.Tensor:
        """``eps_j``, shape (C,)."""
        return self.derived(
            'smoothing',
            lambda c: label_aware_smoothing(
                c, self.smooth_head, self.smooth_tail, self.shape, self.power
            ),
            device,
        )

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        return label_aware_smoothing_loss(
            logits,
            target,
            smoothing=self.smoothing(logits.device),
            class_weight=self.active_class_weight(logits.device),
            sample_weight=mass,
        )
