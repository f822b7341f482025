"""Mixed targets (mixup, CutMix) as a weighted pair of class indices.

`mixup: Beyond Empirical Risk Minimization
<https://arxiv.org/abs/1710.09412>`_ (Zhang et al., ICLR 2018) trains on
``lambda * x_a + (1 - lambda) * x_b`` against ``lambda * L(z, a) +
(1 - lambda) * L(z, b)``. mmpretrain's batch augments hand the head the
mixed one-hot scores instead, shape (N, C), with two non-zero entries a
row. mmlt's losses are not linear in a score vector (LDAM's margin, the
focal term, the class weights all depend on which class is the target), so
each loss reads such scores back as the pair ``(a, lambda), (b,
1 - lambda)`` and takes the mass-weighted loss of both classes: the
expected loss under the mixed label, the mixup paper's form, for every
loss.
"""

from typing import Optional, Tuple

import torch

# Scores summing to 1 within this: float32 mixing leaves ~1e-7.
_MASS_TOLERANCE = 1e-4


def split_mixed_target(
    scores: torch.Tensor,
) -> Tuple[torch.Tensor, torch.Tensor]:
    """The two classes of each row of mixed scores and their masses.

    Args:
        scores (torch.Tensor): Shape (N, C), each row non-negative, summing
            to 1, with at most two non-zero entries (one-hot labels, or two
            one-hot labels mixed).

    Returns:
        tuple: class indices (N, 2) and masses (N, 2), largest first; a
        one-hot row has mass 0 on its second class.

    Raises:
        ValueError: for scores of another shape, negative or non-finite
            entries, rows not summing to 1, or more than two classes in a
            row (label smoothing, for instance).
    """
    if scores.ndim != 2 or scores.size(1) < 2:
        raise ValueError(
            'mixed targets must have shape (N, C) with C >= 2, got '
            f'{tuple(scores.shape)}'
        )
    scores = scores.float()
    if not torch.isfinite(scores).all() or (scores < 0).any():
        raise ValueError('mixed targets must be finite and >= 0')
    mass, index = scores.topk(2, dim=1)
    row_sum = scores.sum(dim=1)
    worst = (row_sum - 1).abs().max().item()
    if worst > _MASS_TOLERANCE:
        raise ValueError(
            'mixed targets must sum to 1 in every row (one-hot labels or '
            f'two mixed ones), got a row {worst:.4g} away from 1'
        )
    rest = (row_sum - mass.sum(dim=1)).max().item()
    if rest > _MASS_TOLERANCE:
        raise ValueError(
            'mmlt losses take class indices or mixtures of at most two '
            'classes (mixup, CutMix); got a row with mass '
            f'{rest:.4g} on a third class (label smoothing is not supported)'
        )
    return index, mass


def expand_mixed_target(
    logits: torch.Tensor, scores: torch.Tensor
) -> Tuple[torch.Tensor, torch.Tensor, Optional[torch.Tensor]]:
    """Rows of ``logits`` paired with each of their target classes.

    Args:
        logits (torch.Tensor): Shape (N, C).
        scores (torch.Tensor): Mixed scores, shape (N, C); see
            :func:`split_mixed_target`.

    Returns:
        tuple: ``(logits, target, mass)``. For mixed rows, the logits
        stacked twice (2N, C), the classes (2N,) and their masses (2N,),
        so that a loss weighting row ``i`` by ``mass[i]`` gives ``lambda
        * L(z, a) + (1 - lambda) * L(z, b)``. When no row is mixed
        (one-hot scores), the logits, the classes (N,) and ``None``.
    """
    index, mass = split_mixed_target(scores)
    if not (mass[:, 1] > 0).any():
        return logits, index[:, 0], None
    return (
        torch.cat([logits, logits]),
        index.t().flatten(),
        mass.t().flatten().to(logits.device),
    )


def at_least_float32(x: torch.Tensor) -> torch.Tensor:
    """``x`` in float32, or float64 when it is float64: the precision the
    losses compute in (half-precision logits lose LDAM's margins)."""
    return x.to(torch.promote_types(x.dtype, torch.float32))
