"""Class-aware sampling: classes in shuffled rounds, a few images each.

The sampler of `Relay Backpropagation for Effective Learning of Deep
Convolutional Neural Networks <https://arxiv.org/abs/1512.05830>`_ (Shen et
al., ECCV 2016) as OLTR, Decoupling and LFME run it (``ClassAwareSampler``
and LFME's ``CurricSampler``, xiangly55/LFME ``data/CurricSampler.py``):
the classes are visited in rounds, each a new random order of all classes;
each visit takes the next ``num_samples_cls`` images of that class's own
cycle, a new random order of its images every time it is used up. So every
class gets the same share of the epoch, and a class's images come round in
turn rather than at random. The official cycles carry over from one epoch
to the next; here each epoch starts them afresh from ``(seed, epoch)``, as
every mmlt sampler does, so that a resumed run draws the same epochs.
"""

from typing import Optional

import numpy as np
from mmpretrain.registry import DATA_SAMPLERS

from .long_tail_sampler import LongTailSampler


def cycled(
    items: np.ndarray, length: int, rng: np.random.Generator
) -> np.ndarray:
    """``length`` items from successive random orders of ``items``."""
    rounds = -(-length // len(items))
    return np.concatenate([rng.permutation(items) for _ in range(rounds)])[
        :length
    ]


def class_aware_indices(
    class_members: list,
    length: int,
    num_samples_cls: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """One epoch of class-aware sampling.

    Args:
        class_members (list): Each class's dataset indices, (n_j,) arrays,
            none empty.
        length (int): Indices to draw.
        num_samples_cls (int): Images a visit of a class takes.
        rng (np.random.Generator): The epoch's generator.

    Returns:
        np.ndarray: (length,) dataset indices.
    """
    visits = -(-length // num_samples_cls)
    classes = cycled(np.arange(len(class_members)), visits, rng)
    out = np.empty((visits, num_samples_cls), dtype=np.int64)
    for cls, members in enumerate(class_members):
        rows = np.flatnonzero(classes == cls)
        if rows.size:
            stream = cycled(members, rows.size * num_samples_cls, rng)
            out[rows] = stream.reshape(rows.size, num_samples_cls)
    return out.reshape(-1)[:length]


@DATA_SAMPLERS.register_module()
class ClassAwareSampler(LongTailSampler):
    """Class-aware sampling (module docstring).

    Args:
        dataset: The training dataset (mmpretrain's, with labels).
        num_samples_cls (int): Images each visit of a class takes, >= 1.
            Defaults to 4, LFME's, OLTR's and Decoupling's.
        num_samples (int, optional): Indices per epoch over all ranks.
            Defaults to the dataset's size (LFME and OLTR count an epoch's
            steps by it).
        seed (int, optional): Shared by all ranks; None draws one.
    """

    def __init__(
        self,
        dataset,
        num_samples_cls: int = 4,
        num_samples: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> None:
        if isinstance(num_samples_cls, bool) or not (
            isinstance(num_samples_cls, int) and num_samples_cls >= 1
        ):
            raise ValueError(
                'num_samples_cls must be a whole number >= 1, got '
                f'{num_samples_cls!r}'
            )
        self.num_samples_cls = num_samples_cls
        super().__init__(dataset, num_samples, seed)
        ends = self.classes.offsets + self.classes.counts
        self.class_members = [
            self.classes.sorted[start:end]
            for start, end in zip(self.classes.offsets, ends)
        ]

    def epoch_indices(self, rng: np.random.Generator) -> np.ndarray:
        return class_aware_indices(
            self.class_members, self.epoch_length, self.num_samples_cls, rng
        )
