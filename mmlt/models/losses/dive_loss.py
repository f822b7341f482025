"""DiVE: distilling virtual examples from a Balanced Softmax teacher.

`Distilling Virtual Examples for Long-tailed Recognition
<https://arxiv.org/abs/2103.15042>`_ (He et al., ICCV 2021), as Bag of
Tricks' port runs it (zhangyongshun/BagofTricks-LT, ``DiVEKLD`` in
``lib/loss/loss_impl/kld_loss.py``, the ``dive`` combiner). With the
student's logits ``z``, the frozen teacher's ``t`` (a model trained with
Balanced Softmax) and the training prior ``pi``::

    L = alpha T^2 KL(q || softmax(z / T)) + (1 - alpha) BS(z, y)
    q = softmax(t / T)^p / sum_c softmax(t / T)_c^p

the KL averaged over the batch, ``BS`` Balanced Softmax (cross-entropy of
``z + log pi``). The gallery's settings are the defaults: ``T = 2``,
``p = 0.5``, ``alpha = 0.5``. The power ``p < 1`` flattens the teacher's
distribution, so that its tail classes' share (the "virtual examples")
carries more weight. ``q`` is computed as ``softmax(p t / T)``, the same
distribution (``distillation_kl``).
"""

from typing import Optional

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from .distillation_kl import check_teacher_logits, distillation_kl
from .logit_adjusted_loss import BalancedSoftmaxLoss
from .mixed_target import at_least_float32


def dive_loss_plain(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    target: torch.Tensor,
    *,
    log_prior: torch.Tensor,
    temperature: float = 2.0,
    power: float = 0.5,
    alpha: float = 0.5,
) -> torch.Tensor:
    """The DiVE loss written as the official code computes it (the test
    oracle of :class:`DiVELoss`): the teacher's softmax raised to ``power``
    and renormalised.

    Args:
        student_logits (torch.Tensor): ``z``, (N, C).
        teacher_logits (torch.Tensor): ``t``, (N, C).
        target (torch.Tensor): Class indices, (N,).
        log_prior (torch.Tensor): ``log pi``, (C,).
        temperature (float): ``T``. Defaults to 2.
        power (float): ``p``. Defaults to 0.5.
        alpha (float): The distillation term's share. Defaults to 0.5.

    Returns:
        torch.Tensor: Scalar loss.
    """
    z = at_least_float32(student_logits)
    log_p = F.log_softmax(z / temperature, dim=1)
    q = F.softmax(at_least_float32(teacher_logits) / temperature, 1) ** power
    q = (q / q.sum(1, keepdim=True)).detach()
    kl = temperature**2 * F.kl_div(log_p, q, reduction='batchmean')
    balanced = F.cross_entropy(z + log_prior, target)
    return alpha * kl + (1 - alpha) * balanced


@MODELS.register_module()
class DiVELoss(BalancedSoftmaxLoss):
    """DiVE (module docstring): the loss of a ``DistillationClassifier``'s
    head, whose teacher is a Balanced Softmax model of the same classes.

    The Balanced Softmax term is :class:`BalancedSoftmaxLoss`'s, so it gets
    its prior from the class counts and takes mixed labels as that loss
    does; the distillation term does not read the labels.

    Args:
        temperature (float): ``T``, > 0. Defaults to 2.
        power (float): ``p``, > 0 (1: plain distillation). Defaults to 0.5.
        alpha (float): The distillation term's share, in [0, 1]. Defaults
            to 0.5.
        **kwargs: :class:`BalancedSoftmaxLoss`'s (``class_counts``,
            ``loss_weight``, ...).
    """

    #: What ``DistillationClassifier`` checks its head's loss for.
    takes_teacher_logits = True

    def __init__(
        self,
        temperature: float = 2.0,
        power: float = 0.5,
        alpha: float = 0.5,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if not temperature > 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        if not power > 0:
            raise ValueError(f'power must be > 0, got {power}')
        if not 0 <= alpha <= 1:
            raise ValueError(f'alpha must be in [0, 1], got {alpha}')
        self.temperature = float(temperature)
        self.power = float(power)
        self.alpha = float(alpha)

    def forward(
        self,
        cls_score: torch.Tensor,
        label: torch.Tensor,
        teacher_logits: Optional[torch.Tensor] = None,
        **kwargs,
    ) -> torch.Tensor:
        """
        Args:
            cls_score (torch.Tensor): The student's logits, (N, C).
            label (torch.Tensor): Class indices (N,), or mixed scores
                (N, C).
            teacher_logits (torch.Tensor): The teacher's logits, (N, C), as
                ``DistillationClassifier`` gives them.
        """
        check_teacher_logits('DiVELoss', teacher_logits, cls_score.shape)
        balanced = super().forward(cls_score, label)
        distill = distillation_kl(
            cls_score, teacher_logits, self.temperature, self.power
        )
        return (
            self.alpha * self.loss_weight * distill
            + (1 - self.alpha) * balanced
        )
