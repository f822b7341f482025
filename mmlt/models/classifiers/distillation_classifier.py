"""A student image classifier trained beside a frozen teacher.

Knowledge distillation as RIDE's distilled variant (`arXiv:2010.01809
<https://arxiv.org/abs/2010.01809>`_) uses it, and as the knowledge-transfer
methods (DiVE, LFME) do: a teacher built from its own config and
checkpoint gives its logits on the student's (preprocessed) training
images, and the student's head hands them to its loss as
``teacher_logits``. The teacher is frozen and kept out of the student's
module tree: none of its weights is in ``parameters()`` (so none in the
optimizer, none in DDP's buckets) or in ``state_dict()`` (a checkpoint
holds the student only), it stays in eval mode and runs without gradients.
It is built and loaded at the first training step, so that ``mim test`` of
a distilled student needs no teacher. Its checkpoint must be of the
student's classes and data set: the training class counts it records
(mmengine keeps the training set's metainfo in ``meta.dataset_meta``) must
be the student's, which ``SetClassCountsHook`` hands this model as it does
every counts consumer.

mmrazor's ``SingleTeacherDistill`` does this (with recorders and
connectors for features too); its 1.0 release requires mmcv < 2.2, which
mmpretrain 1.2 does not install, so mmlt carries this one piece: a
teacher's logits beside the student's.
"""

import os.path as osp
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
from mmengine.config import Config
from mmpretrain.models.classifiers import ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from mmlt.checkpoint_fit import load_fitting_checkpoint
from mmlt.class_counts import check_counts, counts_summary, recorded_counts

from ..heads.multi_expert_head import loss_class


def classifier_logits(model: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    """What ``model`` predicts from, (N, C): a multi-expert head's weighted
    mean of the experts' logits, another head's output."""
    feats = model.extract_feat(inputs)
    ensemble = getattr(model.head, 'ensemble_logits', None)
    return ensemble(feats) if ensemble else model.head(feats)


def head_classes(model_cfg: dict) -> Optional[int]:
    return (model_cfg.get('head') or {}).get('num_classes')


@MODELS.register_module()
class DistillationClassifier(ImageClassifier):
    """An ``ImageClassifier`` whose training loss also sees a frozen
    teacher's logits (module docstring).

    Args:
        teacher (dict): ``config`` (the teacher's config file, whose
            ``model`` is built) and ``checkpoint`` (its weights, which must
            fit that model exactly).
        **kwargs: ``ImageClassifier``'s; the head's loss must take
            ``teacher_logits`` (``RIDEDistillLoss``, ``DiVELoss``).
    """

    def __init__(self, teacher: dict, **kwargs) -> None:
        super().__init__(**kwargs)
        if not isinstance(teacher, dict) or not all(
            isinstance(teacher.get(k), str) for k in ('config', 'checkpoint')
        ):
            raise ValueError(
                'teacher must be dict(config=CONFIG_FILE, '
                f'checkpoint=CHECKPOINT_FILE), got {teacher!r}'
            )
        kind = loss_class(self.head.loss_module)
        if not getattr(kind, 'takes_teacher_logits', False):
            raise ValueError(
                "DistillationClassifier's head needs a loss that takes the "
                f"teacher's logits (RIDEDistillLoss, DiVELoss), got "
                f'{kind.__name__}'
            )
        if not osp.isfile(teacher['config']):
            raise FileNotFoundError(
                f'teacher config {teacher["config"]} not found (a path from '
                'the working directory)'
            )
        self.teacher_config = teacher['config']
        self.teacher_checkpoint = teacher['checkpoint']
        self._teacher_cfg = Config.fromfile(teacher['config']).model
        ours, theirs = self.head.num_classes, head_classes(self._teacher_cfg)
        if theirs != ours:
            raise ValueError(
                f'the teacher ({self.teacher_config}) classifies {theirs} '
                f'classes, the student {ours}: distil from a teacher of the '
                'same classes'
            )
        # a tuple: not a submodule, so not in parameters() or state_dict()
        self._teacher = ()
        #: The student's training counts, which the teacher's must equal.
        self.class_counts: Optional[List[int]] = None

    def set_class_counts(self, class_counts: Sequence[int]) -> None:
        self.class_counts = check_counts(class_counts).tolist()

    @property
    def teacher(self) -> nn.Module:
        """The frozen teacher, built and loaded on first use."""
        if not self._teacher:
            model = MODELS.build(self._teacher_cfg)
            checkpoint = load_fitting_checkpoint(
                model, self.teacher_checkpoint
            )
            self._check_teacher_data(checkpoint)
            model.requires_grad_(False)
            model.eval()
            self._teacher = (model,)
        return self._teacher[0]

    def _check_teacher_data(self, checkpoint: dict) -> None:
        """Raises if the teacher's checkpoint records other training class
        counts than the student trains on (another data set or imbalance)."""
        meta = (checkpoint.get('meta') or {}).get('dataset_meta') or {}
        theirs, ours = recorded_counts(meta), self.class_counts
        if theirs is None or ours is None or theirs == ours:
            return
        raise ValueError(
            f'the teacher checkpoint {self.teacher_checkpoint} was trained '
            f'on {counts_summary(theirs)} ({theirs}), the student trains on '
            f'{counts_summary(ours)} ({ours}): distil from a teacher of the '
            "student's data set and imbalance"
        )

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]):
        teacher = self.teacher
        if next(teacher.parameters()).device != inputs.device:
            teacher.to(inputs.device)
        with torch.no_grad():
            teacher_logits = classifier_logits(teacher, inputs)
        feats = self.extract_feat(inputs)
        return self.head.loss(
            feats, data_samples, teacher_logits=teacher_logits
        )
