"""LFME's student loss: cross-entropy plus each expert's distillation on
its own classes.

`Learning From Multiple Experts: Self-paced Knowledge Distillation for
Long-tailed Classification <https://arxiv.org/abs/2001.01536>`_ (Xiang et
al., ECCV 2020), as ``batch_loss`` of the official code (xiangly55/LFME,
``run_network_LFME.py``) computes it. With the student's logits ``z``
(N, C), each image's instance weight ``s_i`` and expert ``k``'s logits
``t_k`` over its classes ``S_k``::

    z' = s * z                           (each row scaled by its s_i)
    L = CE(z', y) + sum_k w_k KL(softmax(t_k / T) || softmax(z'[:, S_k] / T))

every KL averaged over the batch (the official ``F.kl_div`` mean over
``N |S_k|`` elements times ``|S_k|``), without the ``T^2`` of Hinton's
distillation, over every image of the batch (not only those of ``S_k``),
``T = 2``. As the official code does, the instance weights scale the
*logits*, so both terms see the scaled ones: a weight below 1 flattens a
hard image's prediction rather than down-weighting its loss. The expert
weights ``w_k`` and the instance weights are the self-paced schedules of
:mod:`mmlt.models.lfme_weights`.
"""

from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from .distillation_kl import check_teacher_logits, distillation_kl
from .mixed_target import at_least_float32


def lfme_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    expert_logits: Sequence[torch.Tensor],
    expert_classes: Sequence[torch.Tensor],
    expert_weights: Sequence[float],
    instance_weights: Optional[torch.Tensor] = None,
    temperature: float = 2.0,
) -> torch.Tensor:
    """The LFME loss (module docstring).

    Args:
        logits (torch.Tensor): ``z``, (N, C).
        target (torch.Tensor): Class indices, (N,).
        expert_logits (Sequence[torch.Tensor]): ``t_k``, (N, |S_k|) each.
        expert_classes (Sequence[torch.Tensor]): ``S_k``, (|S_k|,) class
            indices each, in the order of the expert's classes.
        expert_weights (Sequence[float]): ``w_k``.
        instance_weights (torch.Tensor, optional): ``s``, (N,); None: 1.
        temperature (float): ``T``. Defaults to 2.

    Returns:
        torch.Tensor: Scalar loss, float32 for half-precision logits.
    """
    z = at_least_float32(logits)
    if instance_weights is not None:
        z = z * instance_weights.to(z.dtype)[:, None]
    loss = F.cross_entropy(z, target)
    for teacher, classes, weight in zip(
        expert_logits, expert_classes, expert_weights
    ):
        # distillation_kl is T^2 KL; LFME's has no T^2
        kl = distillation_kl(z[:, classes], teacher, temperature)
        loss = loss + weight * kl / temperature**2
    return loss


def lfme_loss_plain(
    logits: torch.Tensor,
    target: torch.Tensor,
    expert_logits: Sequence[torch.Tensor],
    expert_classes: Sequence[torch.Tensor],
    expert_weights: Sequence[float],
    instance_weights: torch.Tensor,
    temperature: float = 2.0,
) -> torch.Tensor:
    """:func:`lfme_loss` written as the official code computes it (the
    test oracle): ``F.kl_div``'s element mean times the subset's size."""
    z = logits.float() * instance_weights.float().unsqueeze(-1)
    loss = F.cross_entropy(z, target)
    for teacher, classes, weight in zip(
        expert_logits, expert_classes, expert_weights
    ):
        student = F.log_softmax(z[:, classes] / temperature, dim=1)
        target_dist = F.softmax(teacher.float() / temperature, dim=1)
        # F.kl_div's 'mean' (its element mean), written out: torch warns
        # that its meaning will change
        elementwise = F.kl_div(student, target_dist, reduction='sum')
        kl = elementwise / student.numel() * len(classes)
        loss = loss + kl * weight
    return loss


@MODELS.register_module()
class LFMELoss(nn.Module):
    """LFME's student loss (module docstring): the loss of an
    ``LFMEClassifier``'s head, which hands it the experts' logits and
    classes and both schedules' weights.

    Args:
        temperature (float): ``T``, > 0. Defaults to 2, the official.
        loss_weight (float): Scales the whole loss. Defaults to 1.
    """

    #: What ``LFMEClassifier`` checks its head's loss for.
    takes_expert_logits = True

    def __init__(self, temperature: float = 2.0, loss_weight: float = 1.0):
        super().__init__()
        if not temperature > 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.temperature = float(temperature)
        self.loss_weight = float(loss_weight)

    def forward(
        self,
        cls_score: torch.Tensor,
        label: torch.Tensor,
        expert_logits: Optional[Sequence[torch.Tensor]] = None,
        expert_classes: Sequence[torch.Tensor] = (),
        expert_weights: Sequence[float] = (),
        instance_weights: Optional[torch.Tensor] = None,
        **kwargs,
    ) -> torch.Tensor:
        """
        Args:
            cls_score (torch.Tensor): The student's logits, (N, C).
            label (torch.Tensor): Class indices, (N,).
            expert_logits, expert_classes, expert_weights,
            instance_weights: As :func:`lfme_loss` takes them, from
                ``LFMEClassifier``.
        """
        if expert_logits is None:
            raise ValueError(
                "LFMELoss needs the experts' logits: train its head in an "
                'LFMEClassifier'
            )
        if label.dim() != 1:
            raise ValueError(
                'LFMELoss takes class indices (N,), got labels of shape '
                f'{tuple(label.shape)} (mixed labels are not part of LFME)'
            )
        for teacher, classes in zip(expert_logits, expert_classes):
            check_teacher_logits(
                'LFMELoss', teacher, (len(cls_score), len(classes))
            )
        return self.loss_weight * lfme_loss(
            cls_score,
            label,
            expert_logits,
            expert_classes,
            expert_weights,
            instance_weights,
            self.temperature,
        )
