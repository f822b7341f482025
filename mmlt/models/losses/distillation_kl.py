"""The distillation term of knowledge distillation (Hinton et al., 2015),
shared by RIDE's distilled variant and DiVE.

``T^2 KL(q || softmax(z / T))``, averaged over the batch, with the
teacher's target ``q = softmax(t / T)``; DiVE (He et al., ICCV 2021)
flattens it with a power, ``q ∝ softmax(t / T)^p``. Since
``softmax(x)^p / sum softmax(x)^p = softmax(p x)``, the flattened target
is computed as ``softmax(p t / T)``: the same distribution as the official
code's power-then-renormalise, without the underflow of raising small
probabilities to a power.
"""

from typing import Optional

import torch
import torch.nn.functional as F

from .mixed_target import at_least_float32


def check_teacher_logits(
    loss_name: str, teacher_logits: Optional[torch.Tensor], shape: tuple
) -> None:
    """Raises unless a distillation loss got the teacher's logits, of the
    student's ``shape`` (N, C)."""
    if teacher_logits is None:
        raise ValueError(
            f"{loss_name} needs the teacher's logits: train its head in a "
            'DistillationClassifier'
        )
    if tuple(teacher_logits.shape) != tuple(shape):
        raise ValueError(
            f'the teacher gives logits of shape '
            f'{tuple(teacher_logits.shape)}, the student {tuple(shape)}'
        )


def distillation_kl(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    temperature: float,
    power: float = 1.0,
) -> torch.Tensor:
    """``T^2 KL(q || softmax(z / T))``, ``q = softmax(t / T)^p``
    renormalised, averaged over the batch; the teacher's side carries no
    gradient.

    Args:
        student_logits (torch.Tensor): ``z``, (N, C).
        teacher_logits (torch.Tensor): ``t``, (N, C).
        temperature (float): ``T``.
        power (float): ``p``; 1 is plain distillation. Defaults to 1.

    Returns:
        torch.Tensor: Scalar loss, float32 for half-precision logits.
    """
    log_p = F.log_softmax(at_least_float32(student_logits) / temperature, 1)
    with torch.no_grad():
        scaled = at_least_float32(teacher_logits) * (power / temperature)
        q = F.softmax(scaled, 1)
    kl = F.kl_div(log_p, q.to(log_p.dtype), reduction='batchmean')
    return temperature**2 * kl
