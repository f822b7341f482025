"""Progressively balanced sampling.

`Decoupling Representation and Classifier for Long-Tailed Recognition
<https://arxiv.org/abs/1910.09217>`_ (Kang et al., ICLR 2020): in epoch
``t`` of ``T`` class ``j`` is drawn with probability
``(1 - t / T) * p_j(q=1) + (t / T) * p_j(q=0)``, moving from
instance-balanced to class-balanced sampling; from epoch ``T`` on it is
class-balanced.
"""

from typing import Optional

import numpy as np
from mmpretrain.registry import DATA_SAMPLERS

from .long_tail_sampler import (
    LongTailSampler,
    class_probabilities,
)


@DATA_SAMPLERS.register_module()
class ProgressivelyBalancedSampler(LongTailSampler):
    """Interpolates from instance- to class-balanced sampling over epochs.

    Args:
        dataset: The training dataset (mmpretrain's, with labels).
        num_epochs (int): ``T``, the epochs of the interpolation; usually
            the schedule's ``max_epochs``.
        num_samples (int, optional): Indices per epoch over all ranks.
            Defaults to the dataset's size.
        seed (int, optional): Shared by all ranks; None draws one.
    """

    def __init__(
        self,
        dataset,
        num_epochs: int,
        num_samples: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> None:
        if not isinstance(num_epochs, int) or num_epochs < 1:
            raise ValueError(
                f'num_epochs must be an int >= 1, got {num_epochs}'
            )
        self.num_epochs = num_epochs
        super().__init__(dataset, num_samples, seed)
        self.instance_probs = class_probabilities(self.class_counts, 1.0)
        self.balanced_probs = class_probabilities(self.class_counts, 0.0)

    def check_schedule(self, max_epochs: int) -> None:
        if self.num_epochs > max_epochs:
            raise ValueError(
                f'ProgressivelyBalancedSampler: num_epochs={self.num_epochs} '
                f'is past max_epochs={max_epochs}: sampling would never '
                'become class-balanced'
            )

    def probabilities(self, epoch: int) -> np.ndarray:
        """The class probabilities of ``epoch``, shape (C,)."""
        t = min(epoch / self.num_epochs, 1.0)
        return (1 - t) * self.instance_probs + t * self.balanced_probs

    def epoch_indices(self, rng: np.random.Generator) -> np.ndarray:
        return self.classes.sample(
            self.probabilities(self.epoch), self.epoch_length, rng
        )
