"""Tells the losses that depend on it which training step it is."""

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from mmlt.train_step import train_step_consumers


@HOOKS.register_module()
class TrainStepHook(Hook):
    """Before every training iteration, hands each
    :class:`~mmlt.train_step.TrainStepConsumer` of the model the run's
    seed, the epoch and the iteration (both 0-based, as mmengine counts
    them, and restored by ``--resume``).

    mmlt's default runtime lists it in ``default_hooks`` (key
    ``train_step``); it does nothing for a model without such a module.
    """

    priority = 'HIGH'

    def before_train(self, runner) -> None:
        self._consumers = train_step_consumers(runner.model)

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        for module in self._consumers:
            module.set_train_step(runner.seed, runner.epoch, runner.iter)
