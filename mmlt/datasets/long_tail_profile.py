"""Long-tailed class profiles and the LDAM-DRW reference subset selection.

Implements the CIFAR-LT construction of `Learning Imbalanced Datasets with
Label-Distribution-Aware Margin Loss <https://arxiv.org/abs/1906.07413>`_:
class ``i`` of ``C`` keeps ``int(n_max * imb_factor ** (i / (C - 1)))``
images ('exp'), or ``n_max`` for the first half of the classes and
``int(n_max * imb_factor)`` for the rest ('step'). The images kept are the
first ones of each class after one shuffle per class, in label order, from a
single numpy generator seeded once, so that a given seed selects the same
images, in the same order, as the reference generator.
"""

from typing import List, Sequence

import numpy as np

IMB_TYPES = ('exp', 'step', 'none')


def check_profile_args(imb_type: str, imb_factor: float) -> None:
    """Raises on a profile that :func:`long_tail_counts` cannot build."""
    if imb_type not in IMB_TYPES:
        raise ValueError(
            f'imb_type must be one of {IMB_TYPES}, got {imb_type!r}'
        )
    if not isinstance(imb_factor, (int, float)) or not 0 < imb_factor <= 1:
        raise ValueError(
            'imb_factor (= 1 / imbalance ratio) must be in '
            f'(0, 1], got {imb_factor!r}'
        )


def long_tail_counts(
    n_max: int,
    num_classes: int,
    imb_type: str = 'exp',
    imb_factor: float = 0.01,
) -> List[int]:
    """Images per class of a long-tailed profile.

    Args:
        n_max (int): Images of the most frequent class (class 0).
        num_classes (int): Number of classes ``C``.
        imb_type (str): 'exp', 'step' or 'none'.
        imb_factor (float): ``n_min / n_max`` = 1 / imbalance ratio, in
            (0, 1].

    Returns:
        list[int]: ``C`` counts, non-increasing.
    """
    check_profile_args(imb_type, imb_factor)
    if num_classes < 2:
        raise ValueError(f'num_classes must be >= 2, got {num_classes}')
    # Float arithmetic in the reference's order, so that int() truncates
    # exactly where the reference does.
    n_max = float(n_max)
    if imb_type == 'exp':
        counts = [
            int(n_max * (imb_factor ** (i / (num_classes - 1.0))))
            for i in range(num_classes)
        ]
    elif imb_type == 'step':
        head = num_classes // 2
        counts = [int(n_max)] * head + [int(n_max * imb_factor)] * (
            num_classes - head
        )
    else:
        counts = [int(n_max)] * num_classes
    empty = [i for i, n in enumerate(counts) if n == 0]
    if empty:
        raise ValueError(
            f'imb_factor={imb_factor} with n_max={int(n_max)} leaves class '
            f'{empty[0]} with 0 images ({len(empty)} empty classes); use a '
            f'larger imb_factor (at least {1 / n_max:g})'
        )
    return counts


def reference_subset_indices(
    labels: Sequence[int], counts: Sequence[int], seed: int
) -> np.ndarray:
    """Indices the LDAM-DRW reference generator keeps, in its order.

    Args:
        labels (Sequence[int]): Labels of the balanced source set, shape (N,),
            values in ``[0, len(counts))``.
        counts (Sequence[int]): Images to keep per class.
        seed (int): Seed of the one generator used for all classes.

    Returns:
        np.ndarray: Shape (sum(counts),), class 0's images first, each class
        in its shuffled order.
    """
    labels = np.asarray(labels)
    # RandomState(seed) draws the same stream as np.random.seed(seed) does
    # for the legacy global generator, without touching global state.
    rng = np.random.RandomState(seed)
    selected = []
    for cls, n in enumerate(counts):
        idx = np.flatnonzero(labels == cls)
        if len(idx) < n:
            raise ValueError(
                f'class {cls} has {len(idx)} images, fewer than '
                f'the {n} the profile asks for'
            )
        rng.shuffle(idx)
        selected.append(idx[:n])
    return np.concatenate(selected)


def check_val_per_class(per_class: int) -> None:
    if isinstance(per_class, bool) or not (
        isinstance(per_class, int) and per_class >= 1
    ):
        raise ValueError(
            f'val_per_class must be a whole number >= 1, got {per_class!r}'
        )


def held_out_indices(
    labels: Sequence[int], kept: Sequence[int], per_class: int
) -> np.ndarray:
    """A validation split from the images the long-tailed selection left
    out: of each class, its first ``per_class`` images not in ``kept``, in
    the source set's order (fewer when fewer are left: the largest class
    keeps every image, so has none).

    Args:
        labels (Sequence[int]): Labels of the balanced source set, (N,).
        kept (Sequence[int]): Indices the training split keeps.
        per_class (int): Most images a class gives, >= 1.

    Returns:
        np.ndarray: Indices into the source set, class 0's first.
    """
    check_val_per_class(per_class)
    labels = np.asarray(labels)
    left = np.ones(len(labels), dtype=bool)
    left[np.asarray(kept, dtype=np.int64)] = False
    return np.concatenate(
        [
            np.flatnonzero(left & (labels == cls))[:per_class]
            for cls in range(int(labels.max()) + 1)
        ]
    )
