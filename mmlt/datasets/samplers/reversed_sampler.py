"""The reversed sampler of BBN's re-balancing branch.

`BBN: Bilateral-Branch Network with Cumulative Learning for Long-Tailed
Visual Recognition <https://arxiv.org/abs/1912.02413>`_ (Zhou et al., CVPR
2020): class ``j`` is drawn with probability ``w_j / sum_i w_i``, ``w_j =
N_max / N_j``, then one of its images uniformly. The rarer a class, the more
often it is drawn: the reverse of instance sampling.
"""

from typing import Optional, Sequence

import numpy as np
from mmpretrain.registry import DATA_SAMPLERS

from .long_tail_sampler import LongTailSampler


def reversed_probabilities(counts: Sequence[int]) -> np.ndarray:
    """``p_j = (N_max / N_j) / sum_i (N_max / N_i)``, shape (C,); every
    count must be >= 1."""
    counts = np.asarray(counts, dtype=np.float64)
    weights = counts.max() / counts
    return weights / weights.sum()


@DATA_SAMPLERS.register_module()
class ReversedSampler(LongTailSampler):
    """Draws a class with probability proportional to ``N_max / N_j``, then
    an image of it.

    Args:
        dataset: The training dataset (mmpretrain's, with labels); a class
            without images is refused.
        num_samples (int, optional): Indices per epoch over all ranks.
            Defaults to the dataset's size.
        seed (int, optional): Shared by all ranks; None draws one.
    """

    def __init__(
        self,
        dataset,
        num_samples: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> None:
        super().__init__(dataset, num_samples, seed)
        self.probs = reversed_probabilities(self.class_counts)

    def epoch_indices(self, rng: np.random.Generator) -> np.ndarray:
        return self.classes.sample(self.probs, self.epoch_length, rng)
