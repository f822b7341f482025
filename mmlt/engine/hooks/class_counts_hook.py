"""Hands the training set's class counts to the modules that need them."""

from typing import List, Optional, Sequence

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from mmlt.class_counts import (
    counts_consumers,
    counts_summary,
    recorded_counts,
    runner_counts,
    sampler_consumers,
)


@HOOKS.register_module()
class SetClassCountsHook(Hook):
    """Fills in class counts that the config left out, and checks that every
    split agrees on them.

    mmlt's default runtime lists it in ``default_hooks`` (key
    ``class_counts``), so every recipe has it without restating it. Before
    training, every :class:`~mmlt.class_counts.CountsConsumer` of the model
    without counts yet gets the training set's; counts given in the config
    are kept. mmlt's training samplers, consumers too, are handed the same
    counts and refuse counts other than their data set's. A test-only run
    (``mim test``) has no training set: there the counts are the training
    counts that the evaluated split records.

    The evaluated split's recorded counts decide each class's shot group, so
    they must be the training counts: they are checked against the training
    set's (before training) and against those saved in the checkpoint being
    evaluated (``mim test``), and a mismatch stops the run, naming both.

    Args:
        class_counts (Sequence[int], optional): Use these instead.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self, class_counts: Optional[Sequence[int]] = None) -> None:
        self.class_counts = class_counts
        self._train_counts: Optional[List[int]] = None
        self._checkpoint_counts: Optional[List[int]] = None

    def before_train(self, runner) -> None:
        counts = runner_counts(runner, self.class_counts)
        if self.class_counts is None:
            self._train_counts = counts
        # a sampler has its counts from its data set; the model's must match
        for sampler in sampler_consumers(runner.train_dataloader):
            sampler.set_class_counts(counts)
        self._fill(runner, counts)
        # a validation split of another profile is refused now, not at
        # the first validation, epochs later (the loop is built by now)
        val_loop = getattr(runner, '_val_loop', None)
        if hasattr(val_loop, 'dataloader'):
            recorded = recorded_counts(val_loop.dataloader.dataset)
            self._check_split(recorded, 'val')

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        meta = (checkpoint.get('meta') or {}).get('dataset_meta') or {}
        self._checkpoint_counts = recorded_counts(meta)

    def before_val(self, runner) -> None:
        self._fill_for_evaluation(runner, runner.val_dataloader, 'val')

    def before_test(self, runner) -> None:
        self._fill_for_evaluation(runner, runner.test_dataloader, 'test')

    def _fill_for_evaluation(self, runner, dataloader, name: str) -> None:
        recorded = recorded_counts(dataloader.dataset)
        self._check_split(recorded, name)
        counts = recorded if self.class_counts is None else self.class_counts
        if counts is None:
            targets = self._targets(runner)
            if targets:
                names = sorted(type(m).__name__ for m in targets)
                # The loss is not needed for evaluation, and a head that
                # needs the counts says so when it predicts.
                runner.logger.warning(
                    f'SetClassCountsHook: the {name} split records no '
                    'training class counts; give class_counts to the hook '
                    f'to set them on {names}'
                )
            return
        self._fill(runner, counts)

    def _check_split(self, recorded: Optional[List[int]], name: str) -> None:
        """Raises if the evaluated split records other training counts than
        the run trains on (or, testing, the checkpoint was trained on)."""
        if self._train_counts is not None:
            expected, source = self._train_counts, 'the training set has'
        else:
            expected = self._checkpoint_counts
            source = 'the checkpoint was trained on'
        if recorded is None or expected is None or recorded == expected:
            return
        raise ValueError(
            f'the {name} split records training class counts '
            f'{counts_summary(recorded)} ({recorded}), but {source} '
            f'{counts_summary(expected)} ({expected}): its shot groups '
            'would be wrong. Give the evaluated split the profile of the '
            'training set (e.g. the same imb_factor in '
            'val_dataloader.dataset and test_dataloader.dataset)'
        )

    @staticmethod
    def _targets(runner) -> list:
        return [
            m for m in counts_consumers(runner.model) if m.class_counts is None
        ]

    def _fill(self, runner, counts: Sequence[int]) -> None:
        targets = self._targets(runner)
        for module in targets:
            module.set_class_counts(counts)
        if targets:
            runner.logger.info(
                f'SetClassCountsHook: {counts_summary(counts)}, set on '
                f'{sorted({type(m).__name__ for m in targets})}'
            )
