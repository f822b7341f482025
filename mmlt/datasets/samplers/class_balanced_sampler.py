"""Class-balanced, square-root and instance-balanced sampling.

Sampling strategies of `Decoupling Representation and Classifier for
Long-Tailed Recognition <https://arxiv.org/abs/1910.09217>`_ (Kang et al.,
ICLR 2020): class ``j`` is drawn with probability ``n_j ** q / sum_i
n_i ** q``, then one of its images uniformly; ``q = 0`` is class-balanced,
``q = 1/2`` square-root and ``q = 1`` instance-balanced (a plain shuffle).
"""

from typing import Optional

import numpy as np
from mmpretrain.registry import DATA_SAMPLERS

from .long_tail_sampler import (
    LongTailSampler,
    check_q,
    class_probabilities,
)


@DATA_SAMPLERS.register_module()
class ClassBalancedSampler(LongTailSampler):
    """Draws a class with probability ``n_j ** q / sum_i n_i ** q``, then
    an image of it.

    Args:
        dataset: The training dataset (mmpretrain's, with labels).
        q (float): In [0, 1]: 0 class-balanced (the default), 0.5
            square-root, 1 instance-balanced (a plain shuffle).
        num_samples (int, optional): Indices per epoch over all ranks.
            Defaults to the dataset's size.
        seed (int, optional): Shared by all ranks; None draws one.
    """

    def __init__(
        self,
        dataset,
        q: float = 0.0,
        num_samples: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> None:
        check_q(q)
        self.q = q
        # a plain shuffle (q = 1) draws from whatever classes there are
        self.needs_every_class = q < 1
        super().__init__(dataset, num_samples, seed)
        self.probs = class_probabilities(self.class_counts, q)

    def epoch_indices(self, rng: np.random.Generator) -> np.ndarray:
        if self.q == 1:
            return self.classes.shuffle(self.epoch_length, rng)
        return self.classes.sample(self.probs, self.epoch_length, rng)


@DATA_SAMPLERS.register_module()
class SquareRootSampler(ClassBalancedSampler):
    """:class:`ClassBalancedSampler` with ``q = 1/2``: class ``j`` drawn
    with probability proportional to ``sqrt(n_j)``.

    Args: as :class:`ClassBalancedSampler`, without ``q``.
    """

    def __init__(self, dataset, **kwargs) -> None:
        if 'q' in kwargs:
            raise ValueError(
                'SquareRootSampler has q = 0.5; use ClassBalancedSampler '
                'for another q'
            )
        super().__init__(dataset, q=0.5, **kwargs)
