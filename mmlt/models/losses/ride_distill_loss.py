"""RIDE with knowledge distillation from a larger RIDE teacher.

`Long-tailed Recognition by Routing Diverse Distribution-Aware Experts
<https://arxiv.org/abs/2010.01809>`_ (Wang et al., ICLR 2021), the official
``RIDELossWithDistill`` (frank-xwang/RIDE-LongTailRecognition,
``model/loss.py``): with ``zbar`` the mean of the student experts' logits
and ``t`` the teacher's (the mean of its experts')::

    L = E * [ L_RIDE + alpha T^2 KL(softmax(t / T) || softmax(zbar / T)) ]

the KL averaged over the batch, ``T`` the ``distill_temperature`` (1.5 in
the official CIFAR config), ``alpha`` the ``distill_factor`` (1). The
factor ``E`` (the student's experts) is the official code's: it adds the
whole RIDE loss and the distillation term once per expert, with the same
values each time. mmlt keeps it, so that the official learning rate means
the same here.
"""

import torch
from mmpretrain.registry import MODELS

from .distillation_kl import check_teacher_logits, distillation_kl
from .mixed_target import at_least_float32
from .ride_loss import RIDELoss


@MODELS.register_module()
class RIDEDistillLoss(RIDELoss):
    """``RIDELoss`` plus the distillation term (module docstring); the loss
    of a ``DistillationClassifier``'s ``MultiExpertClsHead``.

    Args:
        distill_temperature (float): ``T``, > 0. Defaults to 1.5, the
            official CIFAR config's.
        distill_factor (float): ``alpha``, >= 0. Defaults to 1, the
            official.
        **kwargs: :class:`RIDELoss`'s.
    """

    #: What ``DistillationClassifier`` checks its head's loss for.
    takes_teacher_logits = True

    def __init__(
        self,
        distill_temperature: float = 1.5,
        distill_factor: float = 1.0,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if not distill_temperature > 0:
            raise ValueError(
                f'distill_temperature must be > 0, got {distill_temperature}'
            )
        if not distill_factor >= 0:
            raise ValueError(
                f'distill_factor must be >= 0, got {distill_factor}'
            )
        self.distill_temperature = float(distill_temperature)
        self.distill_factor = float(distill_factor)

    def forward(
        self,
        cls_score: torch.Tensor,
        label: torch.Tensor,
        teacher_logits: torch.Tensor = None,
        **kwargs,
    ) -> torch.Tensor:
        """
        Args:
            cls_score (torch.Tensor): The student experts' cosines,
                (E, N, C).
            label (torch.Tensor): Class indices, (N,).
            teacher_logits (torch.Tensor): The teacher's logits, (N, C), as
                ``DistillationClassifier`` gives them.
        """
        # the experts' logits checked there: (E, N, C)
        ride = super().forward(cls_score, label)
        check_teacher_logits(
            'RIDEDistillLoss', teacher_logits, cls_score.shape[1:]
        )
        student = self.s * at_least_float32(cls_score).mean(0)
        distill = distillation_kl(
            student, teacher_logits, self.distill_temperature
        )
        return len(cls_score) * (
            ride + self.loss_weight * self.distill_factor * distill
        )
