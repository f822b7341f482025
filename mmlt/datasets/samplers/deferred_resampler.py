"""DRS: deferred re-sampling.

`Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss
<https://arxiv.org/abs/1906.07413>`_ (Cao et al., NeurIPS 2019): plain
sampling until ``switch_epoch``, then class-balanced re-sampling (the hard
switch of progressively balanced sampling).
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
class DeferredResampler(LongTailSampler):
    """A plain shuffle before ``switch_epoch``, re-sampling from it on.

    The phase follows from the epoch that ``DistSamplerSeedHook`` sets, so
    a run resumed before or after the switch samples as an uninterrupted
    one does.

    Args:
        dataset: The training dataset (mmpretrain's, with labels).
        switch_epoch (int): First epoch (0-based) that re-samples; the
            LDAM-DRW reference's is 160 of 200.
        q (float): The re-sampling's class exponent, in [0, 1): 0
            class-balanced (the default), 0.5 square-root.
        num_samples (int, optional): Indices per epoch over all ranks.
            Defaults to the dataset's size.
        seed (int, optional): Shared by all ranks; None draws one.
    """

    def __init__(
        self,
        dataset,
        switch_epoch: int,
        q: float = 0.0,
        num_samples: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> None:
        if not isinstance(switch_epoch, int) or switch_epoch < 0:
            raise ValueError(
                f'switch_epoch must be an int >= 0, got {switch_epoch}'
            )
        check_q(q)
        if q == 1:
            raise ValueError('q must be below 1: q = 1 never re-samples')
        self.switch_epoch = switch_epoch
        self.q = q
        super().__init__(dataset, num_samples, seed)
        self.probs = class_probabilities(self.class_counts, q)

    def check_schedule(self, max_epochs: int) -> None:
        if self.switch_epoch >= max_epochs:
            raise ValueError(
                f'DeferredResampler: switch_epoch={self.switch_epoch} is '
                f'past the last epoch (max_epochs={max_epochs}): re-sampling '
                'would never start'
            )

    def epoch_indices(self, rng: np.random.Generator) -> np.ndarray:
        if self.epoch < self.switch_epoch:
            return self.classes.shuffle(self.epoch_length, rng)
        return self.classes.sample(self.probs, self.epoch_length, rng)
