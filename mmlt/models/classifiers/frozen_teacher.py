"""A frozen model from a config and a checkpoint: a distillation teacher or
one of LFME's experts.

It is built and loaded on first use, so that ``mim test`` of a student
needs none, and it is kept out of the student's module tree: this holder
is no ``nn.Module``, so none of the model's weights is in the student's
``parameters()`` (the optimizer, DDP's buckets) or ``state_dict()`` (a
checkpoint holds the student only). The model stays in eval mode, without
gradients. Its checkpoint must be of the data it is meant for: mmengine
keeps the training set's metainfo in ``meta.dataset_meta``, and the class
counts recorded there must be the ones expected (the student's, or the
student's restricted to an expert's classes).
"""

import os.path as osp
from typing import List, Optional

import torch
import torch.nn as nn
from mmengine.config import Config
from mmpretrain.registry import MODELS

from mmlt.checkpoint_fit import load_fitting_checkpoint
from mmlt.class_counts import counts_summary, recorded_counts


def classifier_logits(model: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    """What ``model`` predicts from, (N, C): a multi-expert head's weighted
    mean of the experts' logits, another head's output."""
    feats = model.extract_feat(inputs)
    ensemble = getattr(model.head, 'ensemble_logits', None)
    return ensemble(feats) if ensemble else model.head(feats)


class FrozenTeacher:
    """Holds a frozen model built on first use (module docstring).

    Args:
        spec (dict): ``config`` (a config file, whose ``model`` is built)
            and ``checkpoint`` (its weights, which must fit that model
            exactly).
        role (str): What the model is to the student, for messages
            ('teacher', 'many-shot expert').
    """

    def __init__(self, spec: dict, role: str = 'teacher') -> None:
        if not isinstance(spec, dict) or not all(
            isinstance(spec.get(k), str) for k in ('config', 'checkpoint')
        ):
            raise ValueError(
                f'the {role} must be dict(config=CONFIG_FILE, '
                f'checkpoint=CHECKPOINT_FILE, ...), got {spec!r}'
            )
        if not osp.isfile(spec['config']):
            raise FileNotFoundError(
                f'{role} config {spec["config"]} not found (a path from '
                'the working directory)'
            )
        self.role = role
        self.config = spec['config']
        self.checkpoint = spec['checkpoint']
        self.model_cfg = Config.fromfile(self.config).model
        self._model: Optional[nn.Module] = None

    @property
    def num_classes(self) -> Optional[int]:
        """The classes its config's head has."""
        return (self.model_cfg.get('head') or {}).get('num_classes')

    def model(self, expected_counts: Optional[List[int]]) -> nn.Module:
        """The frozen model, built and loaded on the first call; raises if
        its checkpoint records other training counts than
        ``expected_counts`` (None: not checked)."""
        if self._model is None:
            # Its random initialisation, which the checkpoint overwrites,
            # must not draw from the training's generator: on the batch path
            # the crops come from it, and a resumed run builds the model at
            # another step than an uninterrupted one.
            with torch.random.fork_rng(devices=[]):
                model = MODELS.build(self.model_cfg)
            checkpoint = load_fitting_checkpoint(model, self.checkpoint)
            self._check_data(checkpoint, expected_counts)
            model.requires_grad_(False)
            model.eval()
            self._model = model
        return self._model

    def logits(
        self, inputs: torch.Tensor, expected_counts: Optional[List[int]]
    ) -> torch.Tensor:
        """Its logits on ``inputs``, (N, C), without gradients, the model
        moved to the inputs' device first."""
        model = self.model(expected_counts)
        if next(model.parameters()).device != inputs.device:
            model.to(inputs.device)
        with torch.no_grad():
            return classifier_logits(model, inputs)

    def _check_data(
        self, checkpoint: dict, expected: Optional[List[int]]
    ) -> None:
        meta = (checkpoint.get('meta') or {}).get('dataset_meta') or {}
        theirs = recorded_counts(meta)
        if theirs is None or expected is None or theirs == expected:
            return
        raise ValueError(
            f'the {self.role} checkpoint {self.checkpoint} was trained on '
            f'{counts_summary(theirs)} ({theirs}), the student expects '
            f'{counts_summary(expected)} ({expected}): use a {self.role} of '
            "the student's data set and imbalance"
        )
