"""Runs LFME's two self-paced schedules for an ``LFMEClassifier``.

`Learning From Multiple Experts <https://arxiv.org/abs/2001.01536>`_
(Xiang et al., ECCV 2020), as the official code (xiangly55/LFME,
``run_network_LFME.py``) runs them (:mod:`mmlt.models.lfme_weights`):

- before training, each expert's accuracy on the named split's images of
  its classes (``eval_distill_model``: top-1 over its own classes), and
  every training image's starting weight from its expert's confidence
  (``eval_instance_hardness``, the training images without augmentation);
- before each epoch ``e`` (from 1), the expert weights from the student's
  class-mean accuracy on each group of the named split (``shot_acc``),
  as the student stood after epoch ``e - 1`` (0 before the first, as the
  official code starts), and the epoch for the instance weights.

The split is the user's to name: ``val_dataloader`` has no default, so
the test split is never used unless a config says so. Every rank
evaluates the whole split (:mod:`.split_loader`); the student's
accuracies, which each rank's own batch-norm statistics can shift, are
rank 0's on every rank, so all ranks get the same weights. A resumed
run evaluates the loaded student again, so it gets the weights an
uninterrupted run had.
"""

from typing import Dict, List

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmpretrain.registry import HOOKS

from mmlt.class_counts import shot_groups
from mmlt.models.lfme_weights import (
    expert_weight,
    group_thresholds,
    initial_instance_weights,
)
from mmlt.utils import unwrap_model

from .split_loader import (
    check_loader_cfg,
    check_training_order,
    rank0_value,
    split_outputs,
    whole_split_loader,
)


def experts_of(model):
    """The experts' logits side by side, (N, sum |S_k|)."""
    return lambda inputs: torch.cat(model.expert_logits(inputs), 1)


@HOOKS.register_module()
class LFMEHook(Hook):
    """LFME's expert and instance weights (module docstring).

    Args:
        val_dataloader (dict): The split the accuracies are measured on
            (e.g. ``split='val'`` of MNIST-LT or Fashion-MNIST-LT):
            ``dataset``, ``batch_size`` (default 500) and ``num_workers``
            (default 0); read in order, whole on every rank.
        train_eval_dataloader (dict): The training split's data set with
            the test pipeline, as ``val_dataloader``; its labels must be
            the training set's, in order.
        decay_thresh (float): Below this share of an expert's accuracy
            the student is fully taught; in [0, 1). Defaults to 0.3.
    """

    priority = 'LOW'

    def __init__(
        self,
        val_dataloader: dict,
        train_eval_dataloader: dict,
        decay_thresh: float = 0.3,
    ) -> None:
        check_loader_cfg('val_dataloader', val_dataloader)
        check_loader_cfg('train_eval_dataloader', train_eval_dataloader)
        if not 0 <= decay_thresh < 1:
            raise ValueError(
                f'decay_thresh must be in [0, 1), got {decay_thresh}'
            )
        self.val_cfg = val_dataloader
        self.train_eval_cfg = train_eval_dataloader
        self.decay_thresh = decay_thresh

    def _model(self, runner):
        model = unwrap_model(runner.model)
        if not hasattr(model, 'set_initial_instance_weights'):
            raise TypeError(
                f'LFMEHook trains an LFMEClassifier, not '
                f'{type(model).__name__}'
            )
        return model

    def before_train(self, runner) -> None:
        model = self._model(runner)
        self.val_loader = whole_split_loader(runner, self.val_cfg)
        self.expert_acc = self._expert_accuracies(model)
        model.set_initial_instance_weights(
            self._instance_weights(runner, model)
        )
        print_log(
            f'LFME: expert accuracies on the named split {self.expert_acc}',
            logger='current',
        )

    def _expert_accuracies(self, model) -> List[float]:
        """Top-1 (percent) of each expert on the split's images of its
        classes, over its classes only."""
        logits, labels = split_outputs(
            model, self.val_loader, experts_of(model)
        )
        accuracies, start = [], 0
        for classes, expert in zip(model.expert_classes, model.experts):
            own = logits[:, start : start + len(classes)]
            start += len(classes)
            local = {c: i for i, c in enumerate(classes)}
            keep = np.flatnonzero(np.isin(labels, classes))
            if keep.size == 0:
                raise ValueError(
                    f'the split LFMEHook measures on has no image of the '
                    f"{expert.role}'s classes {classes}"
                )
            pred = own[keep].argmax(1).numpy()
            truth = np.array([local[c] for c in labels[keep]])
            accuracies.append(float((pred == truth).mean() * 100))
        return accuracies

    def _instance_weights(self, runner, model) -> np.ndarray:
        loader = whole_split_loader(runner, self.train_eval_cfg)
        logits, labels = split_outputs(model, loader, experts_of(model))
        check_training_order('LFMEHook', labels, runner)
        confidence, start = np.zeros(len(labels)), 0
        for classes in model.expert_classes:
            probs = F.softmax(logits[:, start : start + len(classes)], 1)
            start += len(classes)
            for i, c in enumerate(classes):
                mine = labels == c
                confidence[mine] = probs[torch.from_numpy(mine), i].numpy()
        groups = shot_groups(model.class_counts, model.many_thr, model.few_thr)
        thresholds = group_thresholds(model.class_counts, groups)
        return initial_instance_weights(confidence, labels, thresholds)

    def _student_accuracies(self, model) -> List[float]:
        """The student's class-mean top-1 (percent) over each expert's
        classes, on the split, predicting over all classes."""
        logits, labels = split_outputs(
            model,
            self.val_loader,
            lambda x: model.head(model.extract_feat(x)),
        )
        pred = logits.argmax(1).numpy()
        accuracies = []
        for classes in model.expert_classes:
            per_class = [
                (pred[labels == c] == c).mean() * 100
                for c in classes
                if (labels == c).any()
            ]
            accuracies.append(float(np.mean(per_class)))
        return accuracies

    def before_train_epoch(self, runner) -> None:
        model = self._model(runner)
        if runner.epoch == 0:
            student = [0.0] * len(self.expert_acc)
        else:
            student = rank0_value(self._student_accuracies(model))
        weights = [
            expert_weight(s, e, self.decay_thresh)
            for s, e in zip(student, self.expert_acc)
        ]
        model.set_schedule(runner.epoch + 1, runner.max_epochs, weights)
        self.last: Dict[str, list] = dict(student=student, weights=weights)
        print_log(
            f'LFME epoch {runner.epoch + 1}: student accuracies {student}, '
            f'expert weights {weights}',
            logger='current',
        )
