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
student's classes and data set: the training class counts it records must
be the student's, which ``SetClassCountsHook`` hands this model as it does
every counts consumer (:class:`~.frozen_teacher.FrozenTeacher`).

mmrazor's ``SingleTeacherDistill`` does this (with recorders and
connectors for features too); its 1.0 release requires mmcv < 2.2, which
mmpretrain 1.2 does not install, so mmlt carries this one piece: a
teacher's logits beside the student's.
"""

from typing import List, Optional, Sequence

import torch
import torch.nn as nn
from mmpretrain.models.classifiers import ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from mmlt.class_counts import check_counts

from ..heads.multi_expert_head import loss_class
from .frozen_teacher import FrozenTeacher, classifier_logits

__all__ = ['DistillationClassifier', 'classifier_logits']


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
        frozen = FrozenTeacher(teacher, 'teacher')
        kind = loss_class(self.head.loss_module)
        if not getattr(kind, 'takes_teacher_logits', False):
            raise ValueError(
                "DistillationClassifier's head needs a loss that takes the "
                f"teacher's logits (RIDEDistillLoss, DiVELoss), got "
                f'{kind.__name__}'
            )
        ours, theirs = self.head.num_classes, frozen.num_classes
        if theirs != ours:
            raise ValueError(
                f'the teacher ({frozen.config}) classifies {theirs} '
                f'classes, the student {ours}: distil from a teacher of the '
                'same classes'
            )
        self.frozen_teacher = frozen
        #: The student's training counts, which the teacher's must equal.
        self.class_counts: Optional[List[int]] = None

    def set_class_counts(self, class_counts: Sequence[int]) -> None:
        self.class_counts = check_counts(class_counts).tolist()

    @property
    def teacher(self) -> nn.Module:
        """The frozen teacher, built and loaded on first use."""
        return self.frozen_teacher.model(self.class_counts)

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]):
        teacher_logits = self.frozen_teacher.logits(inputs, self.class_counts)
        feats = self.extract_feat(inputs)
        return self.head.loss(
            feats, data_samples, teacher_logits=teacher_logits
        )
