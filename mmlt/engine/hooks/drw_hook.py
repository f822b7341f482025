"""DRW: deferred re-weighting.

`Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss
<https://arxiv.org/abs/1906.07413>`_ (Cao et al., NeurIPS 2019): train with
the loss's own (uniform) class weights until ``drw_epoch``, then with
class-balanced weights (effective number, ``beta``).
"""

from typing import Optional, Sequence

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from mmlt.class_counts import (
    class_balanced_weights,
    runner_counts,
    weight_consumers,
)


@HOOKS.register_module()
class DRWHook(Hook):
    """Switches the losses to class-balanced weights at ``drw_epoch``.

    The state is derived from the epoch at the start of every epoch, so a
    run resumed before or after the switch trains with the right weights.

    Precedence: from ``drw_epoch`` on, the DRW weights replace whatever
    weights a loss has of its own (a ``weighting`` or ``class_weight`` in
    its config); before it, the loss's own apply. The hook warns about
    such a loss before training and logs the switch.

    Args:
        drw_epoch (int): First epoch (0-based) with re-weighting. Defaults to
            160, the reference's (of 200).
        beta (float): Effective-number beta, in [0, 1). Defaults to 0.9999.
        class_counts (Sequence[int], optional): Defaults to the training
            dataset's counts.
    """

    priority = 'NORMAL'

    def __init__(
        self,
        drw_epoch: int = 160,
        beta: float = 0.9999,
        class_counts: Optional[Sequence[int]] = None,
    ) -> None:
        if not isinstance(drw_epoch, int) or drw_epoch < 0:
            raise ValueError(f'drw_epoch must be an int >= 0, got {drw_epoch}')
        if not 0 <= beta < 1:
            raise ValueError(f'beta must be in [0, 1), got {beta}')
        self.drw_epoch = drw_epoch
        self.beta = beta
        self.class_counts = class_counts

    def before_train(self, runner) -> None:
        losses = weight_consumers(runner.model)
        if not losses:
            raise ValueError(
                'DRWHook found no loss whose class weights it can switch '
                "in the model; use one of mmlt's losses: "
                'WeightedCrossEntropyLoss in place of CrossEntropyLoss, or '
                'LDAMLoss, SoftmaxFocalLoss, BalancedSoftmaxLoss, ...'
            )
        if self.drw_epoch >= runner.max_epochs:
            runner.logger.warning(
                f'DRWHook: drw_epoch={self.drw_epoch} >= max_epochs='
                f'{runner.max_epochs}: re-weighting never starts'
            )
        for loss in losses:
            if loss.weight_source != 'none':
                runner.logger.warning(
                    f'DRWHook: {type(loss).__name__} has its own class '
                    f'weights ({loss.weight_source}); DRW replaces them from '
                    f'epoch {self.drw_epoch} on'
                )
        counts = runner_counts(runner, self.class_counts)
        self._weight = class_balanced_weights(counts, self.beta)
        self._logged = False

    def before_train_epoch(self, runner) -> None:
        if runner.epoch < self.drw_epoch:
            return
        for loss in weight_consumers(runner.model):
            loss.set_class_weight(self._weight, source='DRWHook')
        if not self._logged:
            self._logged = True
            runner.logger.info(
                f'DRWHook: epoch {runner.epoch}: class-balanced weights '
                f'(beta={self.beta}, {self._weight.min():.3f}..'
                f'{self._weight.max():.3f}) from epoch {self.drw_epoch} on'
            )
