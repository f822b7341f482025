"""Random under-sampling: every class cut down to the smallest one.

Each epoch holds ``n_min`` images of every class, drawn afresh without
replacement, shuffled.
"""

import numpy as np
from mmpretrain.registry import DATA_SAMPLERS

from .long_tail_sampler import LongTailSampler


@DATA_SAMPLERS.register_module()
class RandomUnderSampler(LongTailSampler):
    """Drops head-class images at random until every class has as many as
    the smallest.

    Args:
        dataset: The training dataset (mmpretrain's, with labels).
        num_samples (int, optional): Indices per epoch over all ranks.
            Defaults to ``C * n_min``, one balanced round.
        seed (int, optional): Shared by all ranks; None draws one.
    """

    def default_length(self) -> int:
        counts = self.classes.counts
        return int(len(counts) * counts.min())

    def epoch_indices(self, rng: np.random.Generator) -> np.ndarray:
        classes = self.classes
        # a random order within each class: sort by (class, random key)
        label_of_sorted = np.repeat(
            np.arange(len(classes.counts)), classes.counts
        )
        order = np.lexsort((rng.random(len(label_of_sorted)), label_of_sorted))
        rank_in_class = (
            np.arange(len(order)) - classes.offsets[label_of_sorted]
        )
        kept = classes.sorted[order[rank_in_class < classes.counts.min()]]
        return np.resize(rng.permutation(kept), self.epoch_length)
