"""Fine-tuning without mixup: mixup off for the last epochs.

`Bag of Tricks for Long-Tailed Visual Recognition with Deep Convolutional
Neural Networks <https://ojs.aaai.org/index.php/AAAI/article/view/16458>`_
(Zhang et al., AAAI 2021) trains with input mixup and then fine-tunes for
a few epochs without it, which helps input mixup (and hurts manifold
mixup).
"""

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from mmlt.models.classifiers import ManifoldMixupClassifier
from mmlt.utils import unwrap_model


@HOOKS.register_module()
class MixupFinetuneHook(Hook):
    """Turns mixup off for the last ``num_last_epochs`` epochs.

    It switches both kinds of mixup in the model: mmpretrain's batch
    augments (``Mixup``, ``CutMix``, in the data preprocessor) and
    ``ManifoldMixupClassifier``'s. The state is derived from the epoch at
    the start of every epoch, so a run resumed inside the fine-tuning
    epochs trains without mixup.

    Args:
        num_last_epochs (int): Epochs at the end trained without mixup,
            >= 1 and below ``max_epochs``.
    """

    priority = 'NORMAL'

    def __init__(self, num_last_epochs: int) -> None:
        if not isinstance(num_last_epochs, int) or num_last_epochs < 1:
            raise ValueError(
                f'num_last_epochs must be an int >= 1, got {num_last_epochs}'
            )
        self.num_last_epochs = num_last_epochs

    def before_train(self, runner) -> None:
        model = unwrap_model(runner.model)
        preprocessor = getattr(model, 'data_preprocessor', None)
        self._preprocessor = preprocessor
        self._batch_augments = getattr(preprocessor, 'batch_augments', None)
        self._to_onehot = getattr(preprocessor, 'to_onehot', False)
        self._manifold = [
            m
            for m in model.modules()
            if isinstance(m, ManifoldMixupClassifier)
        ]
        if self._batch_augments is None and not self._manifold:
            raise ValueError(
                'MixupFinetuneHook found no mixup in the model: give '
                "model.train_cfg=dict(augments=dict(type='Mixup', ...)) or "
                "use type='ManifoldMixupClassifier'"
            )
        if self.num_last_epochs >= runner.max_epochs:
            raise ValueError(
                f'num_last_epochs={self.num_last_epochs} must be below '
                f'max_epochs={runner.max_epochs}: no epoch would mix'
            )
        self._switch_epoch = runner.max_epochs - self.num_last_epochs
        self._logged = False

    def before_train_epoch(self, runner) -> None:
        mix = runner.epoch < self._switch_epoch
        if self._batch_augments is not None:
            self._preprocessor.batch_augments = (
                self._batch_augments if mix else None
            )
            # mmpretrain's preprocessor turns on one-hot (integer) scores
            # for batch augments; without them, plain class indices are
            # what every loss takes.
            self._preprocessor.to_onehot = self._to_onehot if mix else False
        for module in self._manifold:
            module.mixup = mix
        if not mix and not self._logged:
            self._logged = True
            runner.logger.info(
                f'MixupFinetuneHook: epoch {runner.epoch}: mixup off for '
                f'the last {self.num_last_epochs} epochs (from epoch '
                f'{self._switch_epoch} on)'
            )
