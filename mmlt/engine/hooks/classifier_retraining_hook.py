"""Decoupled stage 2: re-train the classifier on a frozen representation.

`Decoupling Representation and Classifier for Long-Tailed Recognition
<https://arxiv.org/abs/1910.09217>`_ (Kang et al., ICLR 2020). Stage 1
trains the whole network with plain sampling; stage 2 loads it, freezes
everything but the classifier, and re-trains the classifier with
class-balanced sampling: from scratch (cRT) or only a scale per class (LWS,
``LWSLinearClsHead``).
"""

from typing import Sequence

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS
from torch.nn.modules.batchnorm import _BatchNorm

from mmlt.utils import unwrap_model


def _under(name: str, prefixes: Sequence[str]) -> bool:
    return any(name == p or name.startswith(p + '.') for p in prefixes)


@HOOKS.register_module()
class ClassifierRetrainingHook(Hook):
    """Freezes all parameters but ``trainable`` for a stage-2 run.

    Before training it checks that the run starts from a stage-1
    checkpoint (``load_from``) or resumes a stage-2 run, freezes the other
    parameters, and, on a fresh start, re-initialises the trainable
    modules (cRT). Frozen batch-norm layers are kept in eval mode, so that
    their statistics stay those of stage 1.

    Under distributed training the model wrapper must tolerate parameters
    without gradients: ``model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True)`` (the
    stage-2 configs set it).

    Args:
        trainable (Sequence[str]): Names (prefixes) of the parameters that
            train, relative to the model. Defaults to ``('head',)``.
        reinit (bool): Re-initialise the trainable modules before stage 2
            (cRT); False keeps the stage-1 values (LWS, MiSLAS). Defaults to
            True.
        update_norm_statistics (bool): Let the frozen batch-norm layers
            keep updating their running statistics on the stage-2 batches
            (their affine parameters stay frozen): MiSLAS's "shift
            learning" on BatchNorm (``shift_bn`` in its stage-2 configs).
            Defaults to False: the statistics stay those of stage 1.
    """

    priority = 'VERY_HIGH'

    def __init__(
        self,
        trainable: Sequence[str] = ('head',),
        reinit: bool = True,
        update_norm_statistics: bool = False,
    ) -> None:
        if isinstance(trainable, str) or not trainable:
            raise ValueError(
                'trainable must be a non-empty list of parameter name '
                f'prefixes, got {trainable!r}'
            )
        if not isinstance(update_norm_statistics, bool):
            raise TypeError(
                'update_norm_statistics must be True or False, got '
                f'{update_norm_statistics!r}'
            )
        self.trainable = tuple(trainable)
        self.reinit = reinit
        self.update_norm_statistics = update_norm_statistics

    def before_train(self, runner) -> None:
        if runner.cfg.get('load_from') is None and not runner.cfg.get(
            'resume'
        ):
            raise ValueError(
                'ClassifierRetrainingHook: a stage-2 run needs the stage-1 '
                'checkpoint: set load_from (e.g. --cfg-options '
                'load_from=work_dirs/STAGE1/epoch_N.pth)'
            )
        model = unwrap_model(runner.model)
        names = [n for n, _ in model.named_parameters()]
        if not any(_under(n, self.trainable) for n in names):
            raise ValueError(
                f'ClassifierRetrainingHook: no parameter of the model is '
                f'under trainable={list(self.trainable)}'
            )
        for name, param in model.named_parameters():
            param.requires_grad_(_under(name, self.trainable))
        # A resumed stage 2 (iter > 0) keeps what it has learned.
        reinit = self.reinit and runner.iter == 0
        if reinit:
            for name, module in model.named_modules():
                if _under(name, self.trainable) and hasattr(
                    module, 'reset_parameters'
                ):
                    module.reset_parameters()
        # the batch norms kept in eval mode (their statistics unchanged)
        self._frozen_norms = [
            m
            for m in model.modules()
            if isinstance(m, _BatchNorm)
            and not any(p.requires_grad for p in m.parameters(recurse=False))
        ]
        if self.update_norm_statistics:
            self._frozen_norms = []
        frozen = sum(
            p.numel() for p in model.parameters() if not p.requires_grad
        )
        runner.logger.info(
            f'ClassifierRetrainingHook: training {list(self.trainable)} '
            f'only ({frozen:,} parameters frozen)'
            + (', re-initialised' if reinit else '')
            + (
                ', batch-norm statistics updating'
                if self.update_norm_statistics
                else ''
            )
        )

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        # The train loop puts the whole model in train mode every epoch.
        for module in self._frozen_norms:
            module.eval()
