"""Class index of a dataset that holds generated stand-ins for re-draws.

CAM-based re-sampling (`Bag of Tricks for Long-Tailed Visual Recognition
<https://ojs.aaai.org/index.php/AAAI/article/view/16458>`_, Zhang et al.,
AAAI 2021) replaces every re-sampled image by a generated one. On a
``CAMAugmentedDataset`` (originals plus CAM-generated images) mmlt's
samplers draw through this index: a class's first ``n_j`` draws of an
epoch are its ``n_j`` originals, without replacement, in random order, and
every further draw is one of its generated images. So a class-balanced
epoch shows each tail image once and fills the rest of the class's share
with generated images, while head classes are drawn from their originals
only.
"""

from typing import Optional

import numpy as np

from .class_index import ClassIndex


def _grouped(labels: np.ndarray, num_classes: int):
    """Indices sorted by class, the counts and the start of each class."""
    order = np.argsort(labels, kind='stable')
    counts = np.bincount(labels, minlength=num_classes)
    return order, counts, np.concatenate([[0], np.cumsum(counts)[:-1]])


class GeneratedClassIndex(ClassIndex):
    """A :class:`ClassIndex` of a dataset's originals, drawing generated
    images for re-draws.

    ``counts`` are the originals' (the long-tailed profile the samplers'
    class probabilities come from) and plain shuffling uses originals only.

    Args:
        labels (np.ndarray): Class of each sample, (N,).
        generated (np.ndarray): Whether each sample is generated, (N,) bool.
        num_classes (int, optional): Defaults to ``max(labels) + 1``.
    """

    def __init__(
        self,
        labels: np.ndarray,
        generated: np.ndarray,
        num_classes: Optional[int] = None,
    ) -> None:
        generated = np.asarray(generated, dtype=bool)
        if generated.shape != labels.shape:
            raise ValueError(
                f'generated has shape {generated.shape} but the labels '
                f'have {labels.shape}'
            )
        originals = np.flatnonzero(~generated)
        super().__init__(labels[originals], num_classes or labels.max() + 1)
        # dataset indices, not positions among the originals
        self.sorted = originals[self.sorted]
        self.originals = originals
        made = np.flatnonzero(generated)
        order, self.made_counts, self.made_offsets = _grouped(
            labels[made], len(self.counts)
        )
        self.made_sorted = made[order]

    def draw(
        self,
        classes: np.ndarray,
        rng: np.random.Generator,
        drawn: Optional[np.ndarray] = None,
    ) -> np.ndarray:
        """An image for each given class: originals first, then generated.

        Args:
            classes (np.ndarray): The class of each draw, (N,).
            rng (np.random.Generator): Source of randomness.
            drawn (np.ndarray, optional): Originals of each class already
                in the epoch, (C,); those draws count as made.

        Returns:
            np.ndarray: Dataset indices, (N,).
        """
        classes = np.asarray(classes, dtype=np.int64).reshape(-1)
        order = np.argsort(classes, kind='stable')
        by_class = classes[order]
        rank = np.empty_like(classes)
        rank[order] = np.arange(len(classes)) - np.searchsorted(
            by_class, by_class
        )
        if drawn is not None:
            rank += drawn[classes]
        # each class's originals in a fresh random order
        keys = rng.random(len(self.sorted))
        class_of = np.repeat(np.arange(len(self.counts)), self.counts)
        shuffled = self.sorted[np.lexsort((keys, class_of))]
        original = rank < self.counts[classes]
        out = np.empty_like(classes)
        out[original] = shuffled[
            self.offsets[classes[original]] + rank[original]
        ]
        redraw = np.flatnonzero(~original)
        c = classes[redraw]
        u = rng.random(len(redraw))
        # a class without generated images repeats its originals
        out[redraw] = self.sorted[
            self.offsets[c] + (u * self.counts[c]).astype(np.int64)
        ]
        made = self.made_counts[c] > 0
        c, u = c[made], u[made]
        out[redraw[made]] = self.made_sorted[
            self.made_offsets[c] + (u * self.made_counts[c]).astype(np.int64)
        ]
        return out

    def shuffle(self, length: int, rng: np.random.Generator) -> np.ndarray:
        """Plain sampling over the originals only."""
        return self.originals[super().shuffle(length, rng)]
