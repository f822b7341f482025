"""Exact resume: every epoch's randomness from (seed, epoch) alone.

mmengine seeds the random generators once, when the Runner starts, and a
resumed run starts them again from that seed, not from where the
interrupted run had taken them (its checkpoint is saved before the epoch's
validation, which draws from them too). Random crops, mixup's lambda and
permutation, and the data loader's worker seeds then differ after
``--resume``. This hook seeds Python's, numpy's and torch's generators at
the start of every training epoch from the run's seed and the epoch, so an
epoch draws the same numbers whether the run was resumed or not.

Data-loading workers draw from generators of their own, which mmengine seeds
alike in every epoch. ``seed_worker_by_epoch`` seeds them from torch's seed
for the worker instead, which the data loader derives from the main
process's generator, and so from (seed, epoch): with workers that are not
persistent, every epoch's augmentations differ and a resumed run repeats
them.
"""

import random

import numpy as np
import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.registry import FUNCTIONS
from mmpretrain.registry import HOOKS


def epoch_seed(seed: int, epoch: int, rank: int = 0) -> int:
    """A 32-bit seed for ``epoch`` of a run seeded ``seed`` (on ``rank``)."""
    return int(
        np.random.SeedSequence([seed, epoch, rank]).generate_state(1)[0]
    )


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """Seeds the random generators at the start of every training epoch.

    Args:
        diff_rank_seed (bool): Give each rank its own seed (as mmengine's
            ``randomness.diff_rank_seed``). Defaults to False: all ranks
            draw alike, as mmengine's default.
    """

    priority = 'VERY_HIGH'

    def __init__(self, diff_rank_seed: bool = False) -> None:
        self.diff_rank_seed = diff_rank_seed

    def before_train_epoch(self, runner) -> None:
        rank = get_rank() if self.diff_rank_seed else 0
        seed = epoch_seed(runner.seed, runner.epoch, rank)
        random.seed(seed)
        np.random.seed(seed)
        seed_torch(seed)


def seed_torch(seed: int) -> None:
    """``torch.manual_seed(seed)``, without its accelerators' part where
    the machine has none.

    ``torch.manual_seed`` also queues the seed for CUDA's, XPU's and MTIA's
    lazy initialisation, and each queued call records a formatted stack
    trace: 0.17 ms warm and 2-3.4 ms right after a training epoch on a
    2-core Xeon, once an epoch (MNIST-LT's epochs are 16 iterations of
    about 25 ms). Without an accelerator those queued seeds never run, so
    seeding the CPU generator alone draws the same numbers.
    """
    if torch.accelerator.is_available():
        torch.manual_seed(seed)  # all devices, CUDA included
    else:
        torch.default_generator.manual_seed(seed)


@FUNCTIONS.register_module()
def seed_worker_by_epoch(worker_id: int) -> None:
    """A data loader's ``worker_init_fn``: seeds Python's and numpy's
    generators in a worker from the seed torch gave it (the loader's base
    seed, drawn in the main process each epoch, plus ``worker_id``).

    Use it with ``persistent_workers=False``::

        train_dataloader = dict(
            persistent_workers=False,
            worker_init_fn=dict(type='seed_worker_by_epoch'),
        )
    """
    seed = torch.initial_seed() % 2**32
    random.seed(seed)
    np.random.seed(seed)
