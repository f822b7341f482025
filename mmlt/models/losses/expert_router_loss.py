"""RIDE's expert-assignment router loss (its second stage).

`Long-tailed Recognition by Routing Diverse Distribution-Aware Experts
<https://arxiv.org/abs/2010.01809>`_ (Wang et al., ICLR 2021), the official
``ea_resnet_cifar.py`` / ``EAModel`` (frank-xwang/RIDE-LongTailRecognition).
With the experts frozen, router ``i`` (``i = 0 .. E-2``) sees the running
ensemble of experts ``0 .. i`` and is trained to say whether adding the
next experts helps: its target is 1 where the ensemble of ``0 .. i`` is
wrong and some larger ensemble ``0 .. j`` (``j > i``) is right. The loss is
binary cross-entropy with logits, the positives weighted by ``pos_weight``
(100 in every official router config), averaged over the samples and the
``E - 1`` routers.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from .mixed_target import at_least_float32


def router_targets(expert_logits: torch.Tensor, target: torch.Tensor):
    """Whether each router should call the next expert.

    The ensemble of experts ``0 .. i`` predicts the argmax of the sum of
    their logits (the official code's, equal to the mean's).

    Args:
        expert_logits (torch.Tensor): The experts' logits, (E, N, C).
        target (torch.Tensor): Class indices, (N,).

    Returns:
        torch.Tensor: bool, (E - 1, N).
    """
    correct = expert_logits.cumsum(0).argmax(-1) == target
    # whether some larger ensemble (j > i) is right
    later = correct.flip(0).cumsum(0).flip(0)[1:] > 0
    return ~correct[:-1] & later


def expert_router_loss(
    router_logits: torch.Tensor,
    expert_logits: torch.Tensor,
    target: torch.Tensor,
    pos_weight: float,
) -> torch.Tensor:
    """The router loss (module docstring).

    Args:
        router_logits (torch.Tensor): Router ``i``'s logit per sample,
            (E - 1, N).
        expert_logits (torch.Tensor): The experts' logits, (E, N, C).
        target (torch.Tensor): Class indices, (N,).
        pos_weight (float): Weight of the positive targets.

    Returns:
        torch.Tensor: Scalar loss.
    """
    router_logits = at_least_float32(router_logits)
    routes = router_targets(expert_logits, target).to(router_logits.dtype)
    return F.binary_cross_entropy_with_logits(
        router_logits,
        routes,
        pos_weight=routes.new_tensor(pos_weight),
    )


@MODELS.register_module()
class ExpertRouterLoss(nn.Module):
    """Binary cross-entropy of RIDE's routers against "the next experts
    help" (module docstring); ``ExpertRouterClsHead``'s loss.

    Args:
        pos_weight (float): Weight of the positive targets, > 0. Defaults
            to 100, every official router config's.
        loss_weight (float): Defaults to 1.
    """

    #: What ``ExpertRouterClsHead`` checks its loss for.
    takes_router_logits = True

    def __init__(self, pos_weight: float = 100.0, loss_weight: float = 1.0):
        super().__init__()
        if not pos_weight > 0:
            raise ValueError(f'pos_weight must be > 0, got {pos_weight}')
        self.pos_weight = float(pos_weight)
        self.loss_weight = loss_weight

    def forward(
        self,
        router_logits: torch.Tensor,
        expert_logits: torch.Tensor,
        label: torch.Tensor,
    ) -> torch.Tensor:
        """
        Args:
            router_logits (torch.Tensor): (E - 1, N).
            expert_logits (torch.Tensor): The experts' logits, (E, N, C).
            label (torch.Tensor): Class indices, (N,).
        """
        if expert_logits.ndim != 3 or router_logits.shape != (
            len(expert_logits) - 1,
            expert_logits.shape[1],
        ):
            raise ValueError(
                'ExpertRouterLoss takes router logits (E - 1, N) and expert '
                f'logits (E, N, C), got {tuple(router_logits.shape)} and '
                f'{tuple(expert_logits.shape)}'
            )
        if label.shape != (expert_logits.shape[1],):
            raise ValueError(
                f'ExpertRouterLoss takes class indices of shape (N,), got '
                f'{tuple(label.shape)}'
            )
        return self.loss_weight * expert_router_loss(
            router_logits, expert_logits, label, self.pos_weight
        )
