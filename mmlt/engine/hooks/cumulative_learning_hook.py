"""BBN's cumulative learning: the weight α of the conventional branch,
a function of the epoch.

`BBN: Bilateral-Branch Network with Cumulative Learning for Long-Tailed
Visual Recognition <https://arxiv.org/abs/1912.02413>`_ (Zhou et al., CVPR
2020): ``α = 1 − (T / T_max)²`` in epoch ``T`` of ``T_max`` (the parabolic
decay), so training moves from the conventional branch (universal
patterns) to the re-balancing branch (the tail). The paper's ablation also
tries the other schedules offered here. As in the paper's code, the first
epoch has ``T = 0`` (α = 1); mmengine counts epochs from 0 too.
"""

import math
from typing import Callable, Dict

from mmengine.hooks import Hook
from mmengine.runner import EpochBasedTrainLoop
from mmpretrain.registry import HOOKS

from ...datasets.samplers import BilateralBranchSampler
from ...utils import unwrap_model

#: α of a schedule at the training progress ``t = T / T_max`` in [0, 1).
SCHEDULES: Dict[str, Callable[[float], float]] = {
    'parabolic_decay': lambda t: 1 - t**2,
    'linear_decay': lambda t: 1 - t,
    'cosine_decay': lambda t: math.cos(t * math.pi / 2),
    'parabolic_increment': lambda t: t**2,
    'equal': lambda t: 0.5,
}


def cumulative_alpha(schedule: str, epoch: int, max_epochs: int) -> float:
    """α in ``epoch`` (0-based) of ``max_epochs`` under ``schedule``."""
    check_schedule(schedule)
    if not 0 <= epoch < max_epochs:
        raise ValueError(
            f'epoch must be in [0, max_epochs={max_epochs}), got {epoch}'
        )
    return float(SCHEDULES[schedule](epoch / max_epochs))


def check_schedule(schedule: str) -> None:
    if schedule not in SCHEDULES:
        raise ValueError(
            f'schedule must be one of {sorted(SCHEDULES)}, got {schedule!r}'
        )


@HOOKS.register_module()
class CumulativeLearningHook(Hook):
    """Sets ``BBNClassifier.alpha`` at the start of every training epoch.

    α depends on the epoch alone (nothing is kept between epochs), so a
    run resumed with ``--resume`` has the same α in every epoch as an
    uninterrupted one. It is logged as ``train/bbn_alpha``.

    Before training it checks the run is set up for BBN: a model with
    ``alpha`` (``BBNClassifier``), a ``BilateralBranchSampler`` and an even
    batch size.

    Args:
        schedule (str): One of :data:`SCHEDULES`. Defaults to
            'parabolic_decay', the paper's.
    """

    priority = 'NORMAL'

    def __init__(self, schedule: str = 'parabolic_decay') -> None:
        check_schedule(schedule)
        self.schedule = schedule

    def before_train(self, runner) -> None:
        model = unwrap_model(runner.model)
        if not hasattr(model, 'alpha'):
            raise TypeError(
                'CumulativeLearningHook needs a BBNClassifier, got '
                f'{type(model).__name__}'
            )
        if not isinstance(runner.train_loop, EpochBasedTrainLoop):
            raise ValueError(
                'CumulativeLearningHook sets alpha by epoch: use an '
                'epoch-based train_cfg (by_epoch=True), got '
                f'{type(runner.train_loop).__name__}'
            )
        loader = runner.train_dataloader
        sampler = getattr(loader, 'sampler', None)
        if not isinstance(sampler, BilateralBranchSampler):
            raise ValueError(
                'BBN trains on pairs: set train_dataloader.sampler='
                "dict(type='BilateralBranchSampler'), got "
                f'{type(sampler).__name__}'
            )
        if loader.batch_size is None or loader.batch_size % 2:
            raise ValueError(
                'train_dataloader.batch_size must be even for BBN (pairs of '
                f'a conventional and a re-balancing image), got '
                f'{loader.batch_size}'
            )

    def before_train_epoch(self, runner) -> None:
        alpha = cumulative_alpha(
            self.schedule, runner.epoch, runner.max_epochs
        )
        unwrap_model(runner.model).alpha = alpha
        runner.message_hub.update_scalar('train/bbn_alpha', alpha)
