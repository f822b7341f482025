"""Per-class loss weights from class counts.

Class-balanced weights follow `Class-Balanced Loss Based on Effective Number
of Samples <https://arxiv.org/abs/1901.05555>`_ (Cui et al., CVPR 2019).
"""

from typing import Optional, Sequence

import numpy as np
import torch


def check_class_counts(
    class_counts: Sequence[int], name: str = 'cls_num_list'
) -> np.ndarray:
    """Returns the counts as an int64 array; raises unless all are >= 1."""
    counts = np.asarray(class_counts)
    if counts.ndim != 1 or counts.size < 2:
        raise ValueError(
            f'{name} must be a list of at least 2 class counts, '
            f'got {class_counts!r}'
        )
    if not np.all(counts >= 1) or not np.all(counts == np.round(counts)):
        raise ValueError(
            f'{name} must hold whole counts >= 1 (a class with '
            f'no training images has no margin or weight), '
            f'got {counts.tolist()}'
        )
    return counts.astype(np.int64)


def class_balanced_weights(
    class_counts: Sequence[int], beta: float
) -> torch.Tensor:
    """Inverse effective numbers, normalised to sum to the number of classes.

    ``w_j = (1 - beta) / (1 - beta ** n_j)``, then ``w * C / sum(w)``.
    ``beta = 0`` gives uniform weights.

    Args:
        class_counts (Sequence[int]): ``n_j``, shape (C,).
        beta (float): In [0, 1).

    Returns:
        torch.Tensor: float32 weights, shape (C,).
    """
    if not 0 <= beta < 1:
        raise ValueError(f'beta must be in [0, 1), got {beta}')
    counts = check_class_counts(class_counts, 'class_counts')
    weights = (1.0 - beta) / (1.0 - np.power(beta, counts, dtype=np.float64))
    weights = weights / weights.sum() * len(counts)
    return torch.tensor(weights, dtype=torch.float32)


def inverse_frequency_weights(
    class_counts: Sequence[int], power: float = 1.0
) -> torch.Tensor:
    """``w_j ∝ n_j ** -power``, normalised to sum to C; shape (C,).

    ``power = 1`` is inverse frequency, ``0.5`` square-root inverse frequency.
    """
    counts = check_class_counts(class_counts, 'class_counts')
    weights = counts.astype(np.float64) ** -power
    weights = weights / weights.sum() * len(counts)
    return torch.tensor(weights, dtype=torch.float32)


def cost_sensitive_weights(class_counts: Sequence[int]) -> torch.Tensor:
    """Cost-sensitive CE (CS_CE) weights ``w_j = n_min / n_j``; shape (C,)."""
    counts = check_class_counts(class_counts, 'class_counts')
    weights = counts.min() / counts.astype(np.float64)
    return torch.tensor(weights, dtype=torch.float32)


WEIGHTINGS = (
    'none',
    'inverse',
    'sqrt_inverse',
    'class_balanced',
    'cost_sensitive',
)


def class_weights(
    class_counts: Sequence[int], weighting: str, beta: float = 0.9999
) -> Optional[torch.Tensor]:
    """Per-class weights of a named scheme (None for 'none').

    Args:
        class_counts (Sequence[int]): ``n_j``, shape (C,).
        weighting (str): One of :data:`WEIGHTINGS`.
        beta (float): Effective-number beta for 'class_balanced'.
    """
    if weighting not in WEIGHTINGS:
        raise ValueError(
            f'weighting must be one of {WEIGHTINGS}, got {weighting!r}'
        )
    if weighting == 'none':
        return None
    if weighting == 'class_balanced':
        return class_balanced_weights(class_counts, beta)
    if weighting == 'cost_sensitive':
        return cost_sensitive_weights(class_counts)
    power = 1.0 if weighting == 'inverse' else 0.5
    return inverse_frequency_weights(class_counts, power)
