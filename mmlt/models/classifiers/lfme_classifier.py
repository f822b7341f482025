"""LFME's student: an image classifier distilled from one frozen expert per
shot group.

`Learning From Multiple Experts: Self-paced Knowledge Distillation for
Long-tailed Classification <https://arxiv.org/abs/2001.01536>`_ (Xiang et
al., ECCV 2020). Each expert is a model trained on one shot group's
classes only (``ShotSubset``); the student's head gets every expert's
logits on the batch, the classes each covers, the expert weights and the
batch's instance weights, which its ``LFMELoss`` combines. ``LFMEHook``
sets both schedules (:mod:`mmlt.models.lfme_weights`): the expert weights
each epoch from accuracies on a split the user names, the instance
weights once from the experts' confidence on the training images. The
experts are :class:`~.frozen_teacher.FrozenTeacher` s: not in the
student's parameters or checkpoint, each checked against the student's
training counts restricted to its classes.
"""

from typing import List, Optional, Sequence

import numpy as np
import torch
from mmpretrain.models.classifiers import ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from mmlt.class_counts import check_counts
from mmlt.datasets.shot_subset import shot_classes

from ..heads.multi_expert_head import loss_class
from ..lfme_weights import scheduled_instance_weights
from .frozen_teacher import FrozenTeacher


@MODELS.register_module()
class LFMEClassifier(ImageClassifier):
    """An ``ImageClassifier`` taught by LFME's experts (module docstring).

    Args:
        experts (list[dict]): One per shot group: ``shot`` ('many',
            'medium' or 'few'), ``config`` and ``checkpoint`` (a model
            trained on that group's classes, e.g. by
            ``configs/lfme/lfme-expert-*``).
        many_thr (int): The groups' thresholds, as the experts' data
            (``ShotSubset``) had them. Defaults to 100.
        few_thr (int): Defaults to 20.
        **kwargs: ``ImageClassifier``'s; the head's loss must be
            ``LFMELoss``.
    """

    def __init__(
        self,
        experts: Sequence[dict],
        many_thr: int = 100,
        few_thr: int = 20,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        kind = loss_class(self.head.loss_module)
        if not getattr(kind, 'takes_expert_logits', False):
            raise ValueError(
                f"LFMEClassifier's head needs LFMELoss, got {kind.__name__}"
            )
        if not experts or not isinstance(experts, (list, tuple)):
            raise ValueError(
                'experts must be a list of dict(shot=..., config=..., '
                f'checkpoint=...), got {experts!r}'
            )
        shots = [
            e.get('shot') if isinstance(e, dict) else None for e in experts
        ]
        if len(set(shots)) != len(shots):
            raise ValueError(f'one expert a shot group, got {shots}')
        self.shots = shots
        self.experts = [
            FrozenTeacher(e, f'{e.get("shot")}-shot expert') for e in experts
        ]
        self.many_thr, self.few_thr = many_thr, few_thr
        self.class_counts: Optional[List[int]] = None
        self.expert_classes: List[List[int]] = []
        #: set by LFMEHook: each expert's weight, the epoch (from 1) and
        #: the schedule's length, and every training image's weight at 0
        self.expert_weights = [1.0] * len(experts)
        self.epoch, self.max_epochs = 1, 2
        self.initial_instance_weights: Optional[torch.Tensor] = None

    def set_class_counts(self, class_counts: Sequence[int]) -> None:
        self.class_counts = check_counts(class_counts).tolist()
        self.expert_classes = [
            shot_classes(self.class_counts, shot, self.many_thr, self.few_thr)
            for shot in self.shots
        ]
        for shot, expert, classes in zip(
            self.shots, self.experts, self.expert_classes
        ):
            if expert.num_classes != len(classes):
                raise ValueError(
                    f'the {expert.role} ({expert.config}) classifies '
                    f'{expert.num_classes} classes; the student has '
                    f'{len(classes)} {shot}-shot classes {classes} '
                    f'(many_thr={self.many_thr}, few_thr={self.few_thr})'
                )

    def expert_counts(self, k: int) -> List[int]:
        return [self.class_counts[c] for c in self.expert_classes[k]]

    def expert_logits(self, inputs: torch.Tensor) -> List[torch.Tensor]:
        """Each expert's logits over its classes, (N, |S_k|)."""
        if self.class_counts is None:
            raise RuntimeError(
                'LFMEClassifier has no class counts: train it with '
                "mmlt's default runtime (SetClassCountsHook)"
            )
        return [
            expert.logits(inputs, self.expert_counts(k))
            for k, expert in enumerate(self.experts)
        ]

    def set_schedule(
        self, epoch: int, max_epochs: int, expert_weights: Sequence[float]
    ) -> None:
        self.epoch, self.max_epochs = int(epoch), int(max_epochs)
        self.expert_weights = [float(w) for w in expert_weights]

    def set_initial_instance_weights(self, weights: np.ndarray) -> None:
        self.initial_instance_weights = torch.as_tensor(
            weights, dtype=torch.float32
        )

    def batch_instance_weights(
        self, data_samples: List[DataSample], device: torch.device
    ) -> torch.Tensor:
        if self.initial_instance_weights is None:
            raise RuntimeError(
                'LFMEClassifier has no instance weights: add LFMEHook to '
                'custom_hooks (configs/lfme/_base_lfme.py does)'
            )
        index = torch.tensor([int(s.sample_idx) for s in data_samples])
        initial = self.initial_instance_weights[index].to(device)
        return scheduled_instance_weights(initial, self.epoch, self.max_epochs)

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]):
        teachers = self.expert_logits(inputs)
        feats = self.extract_feat(inputs)
        return self.head.loss(
            feats,
            data_samples,
            expert_logits=teachers,
            expert_classes=[
                torch.tensor(c, device=inputs.device)
                for c in self.expert_classes
            ],
            expert_weights=self.expert_weights,
            instance_weights=self.batch_instance_weights(
                data_samples, inputs.device
            ),
        )
