"""SADE's test-agnostic evaluation: a test split re-sampled to a
forward-LT, uniform or backward-LT class distribution.

`Self-Supervised Aggregation of Diverse Experts for Test-Agnostic
Long-Tailed Recognition <https://arxiv.org/abs/2107.09249>`_ (Zhang et al.,
NeurIPS 2022) scores a model trained on long-tailed data on test sets whose
class distribution is unknown to it: as long-tailed as training
(forward-LT), uniform, or long-tailed the other way (backward-LT), each at
imbalance ratios ρ of 50, 25, 10, 5 and 2. The official CIFAR code
(Vanint/SADE-AgnosticLT, ``data_loader/imbalance_cifar.py``) keeps
``int(n_max * (1/ρ) ** (r / (C - 1)))`` test images of the class of rank
``r``, the ranks running from the largest training class (forward) or the
smallest (backward), ``n_max`` the test images a class; the images are
drawn with ``np.random.seed(0)`` and one shuffle per class, in class
order. With the same seed this gives the official subsets of a CIFAR-LT
test split.

Where the official code ranks classes by index (CIFAR-LT's head is class
0), mmlt ranks them by the training counts the split records (equal counts
by index), which is the same order on CIFAR-LT and Fashion-MNIST-LT and
the right one on any other data set.
"""

from typing import Any, List, Sequence

import numpy as np
from mmpretrain.registry import DATASETS

from mmlt.class_counts import check_counts, recorded_counts

DISTRIBUTIONS = ('forward', 'uniform', 'backward')
#: SADE's test distributions, in the order its tables print them.
SADE_TEST_DISTRIBUTIONS = (
    *(('forward', r) for r in (50, 25, 10, 5, 2)),
    ('uniform', 1),
    *(('backward', r) for r in (2, 5, 10, 25, 50)),
)


def check_distribution(distribution: str, imbalance_ratio: float) -> None:
    if distribution not in DISTRIBUTIONS:
        raise ValueError(
            f'distribution must be one of {DISTRIBUTIONS}, got '
            f'{distribution!r}'
        )
    if not imbalance_ratio >= 1:
        raise ValueError(
            f'imbalance_ratio must be >= 1, got {imbalance_ratio}'
        )
    if distribution == 'uniform' and imbalance_ratio != 1:
        raise ValueError(
            'a uniform test distribution has imbalance_ratio 1, got '
            f'{imbalance_ratio}'
        )


def resampled_test_counts(
    train_counts: Sequence[int],
    images_per_class: int,
    distribution: str,
    imbalance_ratio: float,
) -> List[int]:
    """Test images kept of each class, shape (C,).

    Args:
        train_counts (Sequence[int]): Training images per class; they rank
            the classes (equal counts by index, the lower first).
        images_per_class (int): ``n_max``, the most a class keeps.
        distribution (str): 'forward', 'uniform' or 'backward'.
        imbalance_ratio (float): ρ >= 1 (1 for 'uniform').
    """
    check_distribution(distribution, imbalance_ratio)
    counts = check_counts(train_counts)
    num_classes = len(counts)
    # rank 0: the largest training class (a stable sort keeps ties in order)
    order = np.argsort(-counts, kind='stable')
    rank = np.empty(num_classes, dtype=np.int64)
    rank[order] = np.arange(num_classes)
    if distribution == 'backward':
        rank = num_classes - 1 - rank
    exponent = rank / max(num_classes - 1, 1)
    kept = images_per_class * (1.0 / imbalance_ratio) ** exponent
    return [int(k) for k in kept]


def resampled_test_indices(
    labels: np.ndarray, counts: Sequence[int], seed: int = 0
) -> np.ndarray:
    """The official selection: with ``np.random.seed(seed)``, each class in
    turn shuffles its indices and keeps the first ``counts[c]``."""
    rng = np.random.RandomState(seed)
    kept = []
    for c, count in enumerate(counts):
        index = np.flatnonzero(labels == c)
        if len(index) < count:
            raise ValueError(
                f'class {c} has {len(index)} test images, fewer than the '
                f'{count} its distribution keeps'
            )
        rng.shuffle(index)
        kept.append(index[:count])
    return np.concatenate(kept)


@DATASETS.register_module()
class ResampledTestSplit:
    """A test split re-sampled to one of SADE's test distributions.

    Keeps the wrapped split's metainfo (its recorded training counts, so
    the shot groups are the training ones) and its pipeline; anything it
    does not define is the wrapped data set's.

    Args:
        dataset (dict): The test split, e.g. ``dict(type='CIFAR100LT',
            split='test', ...)``; it must record its training counts (every
            mmlt long-tailed data set does).
        distribution (str): 'forward', 'uniform' or 'backward'.
        imbalance_ratio (float): ρ, >= 1; 1 for 'uniform'. Defaults to 50.
        seed (int): The selection's seed. Defaults to 0, the official.
        **dataset_options: Update ``dataset`` (as ``TensorBatchDataset``
            takes them, e.g. its empty ``pipeline``).
    """

    def __init__(
        self,
        dataset: dict,
        distribution: str,
        imbalance_ratio: float = 50,
        seed: int = 0,
        **dataset_options,
    ) -> None:
        check_distribution(distribution, imbalance_ratio)
        dataset = dict(dataset, **dataset_options)
        full = DATASETS.build(dataset)
        train_counts = recorded_counts(full.metainfo)
        if train_counts is None:
            raise ValueError(
                f'ResampledTestSplit: {type(full).__name__} records no '
                'training class counts, which rank the classes'
            )
        labels = np.asarray(full.get_gt_labels())
        per_class = np.bincount(labels, minlength=len(train_counts))
        counts = resampled_test_counts(
            train_counts, int(per_class.min()), distribution, imbalance_ratio
        )
        self.indices = resampled_test_indices(labels, counts, seed)
        self.dataset = full.get_subset(self.indices.tolist())
        self.distribution = distribution
        self.imbalance_ratio = imbalance_ratio
        self.test_counts = counts

    @property
    def metainfo(self) -> dict:
        return self.dataset.metainfo

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, idx: int) -> dict:
        return self.dataset[idx]

    def __getattr__(self, name: str) -> Any:
        # only reached for what this class does not define
        if name == 'dataset':
            raise AttributeError(name)
        return getattr(self.dataset, name)
