"""Hands the training set's class counts to the modules that need them."""

from typing import List, Optional, Sequence

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmpretrain.registry import HOOKS

from mmlt.datasets import get_class_counts


def unwrap(model):
    """The model inside a DDP (or other mmengine) wrapper."""
    return model.module if is_model_wrapper(model) else model


def modules_with(model, method: str) -> list:
    """Modules of ``model`` (unwrapped) that have ``method``."""
    return [m for m in unwrap(model).modules() if hasattr(m, method)]


def train_class_counts(
    runner, explicit: Optional[Sequence[int]] = None
) -> List[int]:
    """``explicit`` if given, else the counts of the runner's training set.

    Checks the length against the head's ``num_classes`` when there is one.
    """
    counts = (
        list(explicit)
        if explicit is not None
        else get_class_counts(runner.train_dataloader.dataset)
    )
    head = getattr(unwrap(runner.model), 'head', None)
    num_classes = getattr(head, 'num_classes', None)
    if num_classes is not None and len(counts) != num_classes:
        raise ValueError(
            f'the class counts have {len(counts)} classes but '
            f'the head has num_classes={num_classes}'
        )
    return counts


@HOOKS.register_module()
class SetClassCountsHook(Hook):
    """Fills in class counts that the config left out.

    Before training, every module of the model with a ``set_class_counts``
    method and no counts yet (``class_counts is None``) gets the counts of
    the training dataset; counts given explicitly in the config are kept.
    A test-only run (``mim test``) has no training set: there the counts are
    the training counts that the evaluated split records in its metainfo.

    Args:
        class_counts (Sequence[int], optional): Use these instead.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self, class_counts: Optional[Sequence[int]] = None) -> None:
        self.class_counts = class_counts

    def before_train(self, runner) -> None:
        self.fill(
            runner, lambda: train_class_counts(runner, self.class_counts)
        )

    def before_val(self, runner) -> None:
        self.fill_for_evaluation(runner, runner.val_dataloader)

    def before_test(self, runner) -> None:
        self.fill_for_evaluation(runner, runner.test_dataloader)

    def fill_for_evaluation(self, runner, dataloader) -> None:
        def get_counts():
            if self.class_counts is not None:
                return list(self.class_counts)
            return dataloader.dataset.metainfo.get('train_class_counts')

        self.fill(runner, get_counts)

    def fill(self, runner, get_counts) -> None:
        targets = [
            m
            for m in modules_with(runner.model, 'set_class_counts')
            if getattr(m, 'class_counts', None) is None
        ]
        if not targets:
            return
        counts = get_counts()
        if counts is None:
            # Only evaluation gets here: the loss is not needed then, and a
            # head that needs the counts says so when it predicts.
            runner.logger.warning(
                'SetClassCountsHook: the evaluated dataset records no '
                "'train_class_counts'; give class_counts to the hook to set "
                f'them on {sorted({type(m).__name__ for m in targets})}'
            )
            return
        for module in targets:
            module.set_class_counts(counts)
        runner.logger.info(
            f'SetClassCountsHook: {len(counts)} classes, counts {min(counts)}'
            f'..{max(counts)}, set on '
            f'{sorted({type(m).__name__ for m in targets})}'
        )
