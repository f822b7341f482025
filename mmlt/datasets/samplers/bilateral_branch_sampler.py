"""Both batches of BBN from one sampler: an instance-sampled image and a
reversed-sampled one, in turn.

`BBN <https://arxiv.org/abs/1912.02413>`_ (Zhou et al., CVPR 2020) feeds
its conventional branch a uniformly sampled batch and its re-balancing
branch a batch from the reversed sampler. Here every epoch is a list of
pairs ``(i, j)``: ``i`` runs through a shuffle of the dataset, ``j`` is
drawn by :class:`ReversedSampler`'s class probabilities. The sampler yields
``i, j`` in turn, so a data loader with an even ``batch_size = 2B`` gives
``B`` pairs a batch, images at even positions for the conventional branch
and at odd ones for the re-balancing branch (``BBNClassifier`` splits them).
One loader, one dataset, one pipeline: workers, ranks and ``--resume``
behave as with every mmlt sampler (the pairs come from ``(seed, epoch)``
and ranks take every ``world_size``-th pair).
"""

from typing import Iterator

import numpy as np
from mmpretrain.registry import DATA_SAMPLERS

from .reversed_sampler import ReversedSampler


@DATA_SAMPLERS.register_module()
class BilateralBranchSampler(ReversedSampler):
    """Yields a uniformly sampled and a reversed-sampled index in turn.

    An epoch has ``num_samples`` pairs over all ranks (the dataset's size
    by default: every image once in the conventional branch, as a plain
    shuffle), so ``len(sampler)`` is twice a rank's pairs. Use it with
    ``BBNClassifier``, ``CumulativeLearningHook`` and an even batch size.

    Args: as :class:`ReversedSampler`.
    """

    def epoch_indices(self, rng: np.random.Generator) -> np.ndarray:
        """This epoch's pairs over all ranks, shape (epoch_length, 2)."""
        conventional = self.classes.shuffle(self.epoch_length, rng)
        rebalancing = super().epoch_indices(rng)
        return np.stack([conventional, rebalancing], axis=1)

    def __iter__(self) -> Iterator[int]:
        rng = np.random.default_rng([self.seed, self.epoch])
        pairs = self.epoch_indices(rng)
        total = self.per_rank * self.world_size
        # ranks take whole pairs, so that a batch never mixes them up
        pairs = np.resize(pairs, (total, 2))
        return iter(
            pairs[self.rank : total : self.world_size].ravel().tolist()
        )

    def __len__(self) -> int:
        return 2 * self.per_rank
