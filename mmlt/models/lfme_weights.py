"""LFME's two self-paced schedules: how much each expert teaches, and how
hard each training image counts.

`Learning From Multiple Experts: Self-paced Knowledge Distillation for
Long-tailed Classification <https://arxiv.org/abs/2001.01536>`_ (Xiang et
al., ECCV 2020), as its official code (xiangly55/LFME,
``run_network_LFME.py``, ``data/dataloader_LFME.py``) computes them:

- **Expert weight** (``get_distill_loss_weight``): 1 while the student's
  accuracy on an expert's classes is below ``decay_thresh`` times the
  expert's; then ``(acc_expert - acc_student) / acc_expert / (1 -
  decay_thresh)``, floored at 0, so the expert stops teaching once the
  student matches it.
- **Instance weight**: each training image's starting weight is the
  probability its subset's expert gives its label
  (``eval_instance_hardness``), min-max scaled within its class to
  ``[t_c, 1]`` (``set_scale_classwise_instance_weight_with_shot``): easy
  images near 1, hard ones near ``t_c``. ``t_c`` is 1 for the few-shot
  classes (all their images count fully) and the few-shot group's mean
  class count over the class's group's mean for the others (the medium
  group's where no class is few-shot); the official
  code hard-codes ImageNet-LT's means (12, 53 and 230), here they come
  from the training counts. Over training the weight grows linearly,
  ``w_i + (1 - w_i) e / E`` with ``E`` half the epochs
  (``instance_weight_scheduler``), reaching 1 at mid-training and, as the
  official code has it, not clamped: ``2 - w_i`` at the end.
"""

from typing import Sequence

import numpy as np
import torch


def expert_weight(
    student_acc: float, expert_acc: float, decay_thresh: float = 0.3
) -> float:
    """How much an expert teaches, from the student's and the expert's
    accuracy on its classes (any one scale, e.g. percent)."""
    if student_acc < expert_acc * decay_thresh:
        return 1.0
    gap = expert_acc - student_acc
    return max(gap / expert_acc / (1 - decay_thresh), 0.0)


def group_thresholds(
    class_counts: Sequence[int], groups: Sequence[str]
) -> np.ndarray:
    """``t_c`` of every class (C,): the rarest group's mean class count
    (the few-shot group's, or the medium one's where no class is
    few-shot, CIFAR-10-LT's case) over the mean of the class's own group,
    so 1 for the rarest group.

    Args:
        class_counts (Sequence[int]): Training images per class, (C,).
        groups (Sequence[str]): Each class's group, (C,): 'many', 'medium'
            or 'few'.
    """
    counts = np.asarray(class_counts, dtype=np.float64)
    groups = np.asarray(groups)
    mean = {g: counts[groups == g].mean() for g in set(groups.tolist())}
    rarest = min(mean.values())
    return np.array([rarest / mean[g] for g in groups])


def initial_instance_weights(
    confidence: np.ndarray, labels: np.ndarray, thresholds: np.ndarray
) -> np.ndarray:
    """Each image's weight at epoch 0: its experts' confidence min-max
    scaled within its class to ``[t_c, 1]``.

    Args:
        confidence (np.ndarray): The probability the image's subset expert
            gives its label, (N,).
        labels (np.ndarray): Each image's class, (N,).
        thresholds (np.ndarray): ``t_c`` of each class, (C,).

    Returns:
        np.ndarray: (N,) weights in ``[t_c, 1]``. A class whose images are
        all equally confident (one image, say) gets 1, where the official
        code divides 0 by 0.
    """
    weights = np.ones(len(labels), dtype=np.float64)
    for cls, low in enumerate(thresholds):
        members = np.flatnonzero(labels == cls)
        if members.size == 0:
            continue
        conf = confidence[members]
        spread = conf.max() - conf.min()
        if spread > 0:
            weights[members] = (conf - conf.min()) / spread * (1 - low) + low
    return weights


def scheduled_instance_weights(
    initial: torch.Tensor, epoch: int, max_epochs: int
) -> torch.Tensor:
    """``w + (1 - w) e / E``, ``E = max_epochs / 2``: the weights of
    training epoch ``e`` (counted from 1, as the official loop does),
    unclamped.

    Args:
        initial (torch.Tensor): The batch's starting weights, (N,).
        epoch (int): ``e``, 1 .. ``max_epochs``.
        max_epochs (int): The schedule's epochs.
    """
    half = max_epochs / 2
    return (1 - initial) / half * epoch + initial
