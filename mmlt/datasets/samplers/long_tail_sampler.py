"""What mmlt's samplers share: labels, seeds, epochs and rank shards.

Each sampler draws one epoch of dataset indices from its own random
generator, seeded by ``(seed, epoch)`` alone, so every rank draws the same
epoch and a resumed run the same epochs as an uninterrupted one. Ranks then
take every ``world_size``-th index, as mmengine's ``DefaultSampler`` does:
disjoint shards of equal length whose union is the epoch.
"""

import math
from typing import Iterator, List, Optional, Sequence

import numpy as np
from mmengine.dist import get_dist_info, sync_random_seed
from mmengine.logging import MessageHub
from torch.utils.data import Sampler

from mmlt.class_counts import recorded_counts
from mmlt.utils import check_kwargs

from .class_index import ClassIndex, dataset_labels
from .generated_class_index import GeneratedClassIndex


class LongTailSampler(Sampler):
    """Base of mmlt's samplers: subclasses define :meth:`epoch_indices`.

    A sampler that balances the classes (``needs_every_class``) refuses a
    dataset with an empty class, naming it.

    A sampler is a :class:`~mmlt.class_counts.CountsConsumer`: its class
    probabilities come from its ``class_counts``, its data set's labels
    counted. Training counts the data set records must equal them, and so
    must counts that ``SetClassCountsHook`` hands the model: the sampler
    draws from the labels, so other counts would tell the losses another
    profile than the one trained on. Both mismatches are refused.

    Args:
        dataset: A dataset with ``get_gt_labels()`` (every mmpretrain one).
        num_samples (int, optional): Indices an epoch has over all ranks;
            defaults to the subclass's natural length (the dataset's size
            for the class-probability samplers).
        seed (int, optional): Shared by all ranks; None draws one and
            broadcasts it, as ``DefaultSampler`` does.
    """

    #: Whether the sampler cannot work with a class that has no samples.
    needs_every_class = True

    def __new__(cls, *args, **kwargs):
        # A misspelt argument is reported against the sampler the config
        # names, not the base class whose __init__ would refuse it.
        check_kwargs(cls, kwargs)
        return super().__new__(cls)

    def __init__(
        self,
        dataset,
        num_samples: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> None:
        if num_samples is not None and (
            not isinstance(num_samples, int) or num_samples < 1
        ):
            raise ValueError(
                f'num_samples must be an int >= 1 or None, got {num_samples}'
            )
        self.rank, self.world_size = get_dist_info()
        self.dataset = dataset
        num_classes = (
            len(
                (getattr(dataset, 'metainfo', None) or {}).get('classes') or []
            )
            or None
        )
        labels = dataset_labels(dataset)
        if hasattr(dataset, 'generated_flags'):
            # generated stand-ins for re-draws (CAM-based re-sampling)
            self.classes = GeneratedClassIndex(
                labels, dataset.generated_flags(), num_classes
            )
        else:
            self.classes = ClassIndex(labels, num_classes)
        if self.needs_every_class:
            self.classes.check_no_empty_class(type(self).__name__)
        recorded = recorded_counts(dataset)
        if recorded is not None and recorded != self.class_counts:
            raise ValueError(
                f'{type(dataset).__name__} records training class counts '
                f'{recorded}, but its labels count {self.class_counts}: '
                f'{type(self).__name__} draws from the labels, so the '
                'recorded counts must be theirs'
            )
        self.seed = sync_random_seed() if seed is None else seed
        self.epoch = 0
        self.epoch_length = num_samples or self.default_length()
        self.per_rank = math.ceil(self.epoch_length / self.world_size)

    @property
    def class_counts(self) -> List[int]:
        """Images a class in the data set drawn from (its labels counted)."""
        return self.classes.counts.tolist()

    def set_class_counts(self, class_counts: Sequence[int]) -> None:
        """Checks counts given to the model's consumers against the ones
        this sampler draws by: it cannot draw by other counts."""
        counts = [int(n) for n in class_counts]
        if counts != self.class_counts:
            raise ValueError(
                f'{type(self).__name__} draws from a training set whose '
                f'labels count {self.class_counts} images a class, but the '
                f'class counts given to the model are {counts}: the model '
                'would be told another profile than it is trained on. Drop '
                "the explicit class_counts, or make them the data set's"
            )

    def default_length(self) -> int:
        return int(self.classes.counts.sum())

    def epoch_indices(self, rng: np.random.Generator) -> np.ndarray:
        """All ranks' indices of this epoch, shape (epoch_length,)."""
        raise NotImplementedError

    def __iter__(self) -> Iterator[int]:
        rng = np.random.default_rng([self.seed, self.epoch])
        indices = self.epoch_indices(rng)
        # Padded with its own start so that every rank has per_rank.
        total = self.per_rank * self.world_size
        indices = np.resize(indices, total)
        return iter(indices[self.rank : total : self.world_size].tolist())

    def __len__(self) -> int:
        return self.per_rank

    def set_epoch(self, epoch: int) -> None:
        """Called by ``DistSamplerSeedHook`` before every epoch.

        While a Runner trains, its schedule is checked against the
        sampler's (:meth:`check_schedule`).
        """
        self.epoch = epoch
        hub = MessageHub.get_current_instance()
        if hub.get_info('loop_stage') == 'train':
            max_epochs = hub.get_info('max_epochs')
            if max_epochs is not None:
                self.check_schedule(max_epochs)

    def check_schedule(self, max_epochs: int) -> None:
        """Raises if the sampler's own schedule does not fit in
        ``max_epochs`` training epochs."""


def class_probabilities(counts: Sequence[int], q: float) -> np.ndarray:
    """``p_j = n_j ** q / sum_i n_i ** q``, shape (C,); empty classes get 0
    for ``q > 0``. q = 1 is instance-balanced, 0.5 square-root, 0
    class-balanced."""
    counts = np.asarray(counts, dtype=np.float64)
    weights = np.where(counts > 0, counts**q, 0.0)
    return weights / weights.sum()


def check_q(q: float) -> None:
    if not 0 <= q <= 1:
        raise ValueError(f'q must be in [0, 1], got {q}')
