"""What the multi-expert losses (RIDE's, SADE's) share: they take every
expert's cosine logits, stacked as (E, N, C), and scale them by ``s``
themselves, as ``LDAMLoss`` takes ``LDAMHead``'s cosines; a
``MultiExpertClsHead`` gives them its own scale.
"""

from typing import Optional

import torch

from .class_weighted_loss import ClassWeightedLoss


class MultiExpertLoss(ClassWeightedLoss):
    """Base of the losses over a ``MultiExpertClsHead``'s output.

    Args:
        s (float): Logit scale, > 0. Defaults to 30.
        **kwargs: ``class_counts``, ``weighting``, ``beta``,
            ``class_weight``, ``loss_weight``, as
            :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    #: What ``MultiExpertClsHead`` checks its loss for.
    takes_expert_logits = True
    #: The experts the loss is defined for; None: any number.
    num_experts: Optional[int] = None

    def __init__(self, s: float = 30.0, **kwargs) -> None:
        super().__init__(**kwargs)
        if not s > 0:
            raise ValueError(f's must be > 0, got {s}')
        self.s = s

    def forward(
        self, cls_score: torch.Tensor, label: torch.Tensor, **kwargs
    ) -> torch.Tensor:
        """The loss of the experts' cosines against class indices.

        Args:
            cls_score (torch.Tensor): Cosine logits, shape (E, N, C).
            label (torch.Tensor): Class indices, shape (N,).
            **kwargs: mmpretrain's ``avg_factor`` is accepted and not used.
        """
        name = type(self).__name__
        if cls_score.ndim != 3:
            raise ValueError(
                f"{name} takes the experts' cosine logits stacked, shape "
                f'(E, N, C), as MultiExpertClsHead gives them; got '
                f'{tuple(cls_score.shape)}'
            )
        if self.num_experts is not None and len(cls_score) != (
            self.num_experts
        ):
            raise ValueError(
                f'{name} is defined for {self.num_experts} experts, got the '
                f'logits of {len(cls_score)}'
            )
        if label.ndim != 1:
            raise ValueError(
                f'{name} takes class indices of shape (N,): mixed labels '
                f'(mixup, CutMix) are not supported; got {tuple(label.shape)}'
            )
        # the shared checks: counts, shapes, class count, label range
        self.prepare_inputs(cls_score[0], label)
        loss = self.compute(cls_score, label, None)
        self.check_finite(loss, cls_score)
        return self.loss_weight * loss
