"""A loss that is plain cross-entropy until an epoch, then itself.

Bag of Tricks' deferred CDT (the temperatures are 1 until the DRW epoch)
and the influence-balanced loss (plain cross-entropy until epoch 100 of
200) switch at an epoch that the loss holds. The epoch comes from
``TrainStepHook`` (:mod:`mmlt.train_step`), so a resumed run switches
where an uninterrupted one does.
"""

from typing import Optional

import torch

from mmlt.train_step import TrainStepState

from .softmax_target_loss import softmax_target_loss, weighted_nll


class DeferredStart:
    """Mixin of a :class:`ClassWeightedLoss`: ``start_epoch`` and the step.

    Before ``start_epoch`` the loss is cross-entropy, weighted only by
    weights a schedule set (``DRWHook``'s), not by the loss's own: the
    official recipes train plain cross-entropy there.
    """

    def init_start(self, start_epoch: int) -> None:
        if not isinstance(start_epoch, int) or start_epoch < 0:
            raise ValueError(
                f'start_epoch must be an int >= 0, got {start_epoch!r}'
            )
        self.start_epoch = start_epoch
        self.train_step = TrainStepState(type(self).__name__)

    def set_train_step(self, seed: int, epoch: int, iteration: int) -> None:
        """Sets the step (``TrainStepHook`` calls it before each one)."""
        self.train_step.set(seed, epoch, iteration)

    @property
    def started(self) -> bool:
        """Whether the loss is past its plain cross-entropy epochs."""
        if self.start_epoch == 0:
            return True
        self.train_step.require(
            f'is cross-entropy until start_epoch={self.start_epoch}'
        )
        return self.train_step.epoch >= self.start_epoch

    def warmup_cross_entropy(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        """The loss before ``start_epoch``."""
        scheduled = self._scheduled_weight
        weight = None if scheduled is None else scheduled.to(logits.device)
        return softmax_target_loss(
            logits,
            target,
            weighted_nll(target, weight, mass),
            workspace=self.workspace,
        )
