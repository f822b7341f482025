"""Random over-sampling: every class repeated up to the largest one.

Each epoch holds every image once and, for each class ``j``,
``n_max - n_j`` more of its images drawn with replacement, shuffled: all
classes then have ``n_max`` images an epoch.
"""

import numpy as np
from mmpretrain.registry import DATA_SAMPLERS

from .long_tail_sampler import LongTailSampler


@DATA_SAMPLERS.register_module()
class RandomOverSampler(LongTailSampler):
    """Repeats the tail classes' images at random until every class has as
    many as the largest.

    Args:
        dataset: The training dataset (mmpretrain's, with labels).
        num_samples (int, optional): Indices per epoch over all ranks.
            Defaults to ``C * n_max``, one balanced round.
        seed (int, optional): Shared by all ranks; None draws one.
    """

    def default_length(self) -> int:
        counts = self.classes.counts
        return int(len(counts) * counts.max())

    def epoch_indices(self, rng: np.random.Generator) -> np.ndarray:
        counts = self.classes.counts
        extra = np.repeat(np.arange(len(counts)), counts.max() - counts)
        balanced = np.concatenate(
            [
                self.classes.sorted,
                self.classes.draw(extra, rng, drawn=counts),
            ]
        )
        return np.resize(rng.permutation(balanced), self.epoch_length)
