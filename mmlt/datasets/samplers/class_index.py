"""Dataset indices grouped by class: what every mmlt sampler draws from."""

from typing import Optional

import numpy as np


def dataset_labels(dataset) -> np.ndarray:
    """Every sample's class index, int64, shape (len(dataset),)."""
    if not hasattr(dataset, 'get_gt_labels'):
        raise TypeError(
            f'{type(dataset).__name__} has no get_gt_labels(): mmlt '
            "samplers need every sample's class"
        )
    return np.asarray(dataset.get_gt_labels(), dtype=np.int64).reshape(-1)


class ClassIndex:
    """Dataset indices grouped by class, for drawing images of a class.

    Args:
        labels (np.ndarray): Class of each sample, shape (N,).
        num_classes (int, optional): Defaults to ``max(labels) + 1``.
    """

    def __init__(
        self, labels: np.ndarray, num_classes: Optional[int] = None
    ) -> None:
        if labels.size == 0:
            raise ValueError(
                'the dataset is empty: there is nothing to sample'
            )
        if labels.min() < 0:
            raise ValueError(f'labels must be >= 0, got {labels.min()}')
        num_classes = num_classes or int(labels.max()) + 1
        if labels.max() >= num_classes:
            raise ValueError(
                f'label {labels.max()} is out of range for {num_classes} '
                'classes'
            )
        #: indices sorted by class; class j's are sorted[offsets[j]:...]
        self.sorted = np.argsort(labels, kind='stable')
        self.counts = np.bincount(labels, minlength=num_classes)
        self.offsets = np.concatenate([[0], np.cumsum(self.counts)[:-1]])

    def draw(
        self,
        classes: np.ndarray,
        rng: np.random.Generator,
        drawn: Optional[np.ndarray] = None,
    ):
        """One uniformly random image of each given class (with
        replacement), shape of ``classes``. ``drawn``, the images of each
        class already in the epoch, matters to
        :class:`GeneratedClassIndex` only."""
        within = (rng.random(classes.shape) * self.counts[classes]).astype(
            np.int64
        )
        return self.sorted[self.offsets[classes] + within]

    def sample(
        self, probs: np.ndarray, length: int, rng: np.random.Generator
    ) -> np.ndarray:
        """``length`` indices: a class drawn with probabilities ``probs``
        (C,), then an image of it uniformly."""
        cdf = np.cumsum(probs)
        classes = np.searchsorted(
            cdf, rng.random(length) * cdf[-1], side='right'
        )
        # rounding in the cumulative sum must not step past the last class
        return self.draw(np.minimum(classes, len(probs) - 1), rng)

    def shuffle(self, length: int, rng: np.random.Generator) -> np.ndarray:
        """Plain (instance-balanced) sampling: ``length`` indices from
        permutations of the whole dataset, as many as ``length`` needs."""
        size = len(self.sorted)
        rounds = -(-length // size)
        permutations = [rng.permutation(size) for _ in range(rounds)]
        return np.concatenate(permutations)[:length]

    def check_no_empty_class(self, sampler: str) -> None:
        empty = np.flatnonzero(self.counts == 0)
        if empty.size:
            raise ValueError(
                f'{sampler} cannot draw from classes with no samples: '
                f'classes {empty.tolist()} of {len(self.counts)} are empty'
            )
