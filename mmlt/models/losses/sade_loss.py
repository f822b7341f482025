"""SADE: three experts, each skilled in another class distribution.

`Self-Supervised Aggregation of Diverse Experts for Test-Agnostic
Long-Tailed Recognition <https://arxiv.org/abs/2107.09249>`_ (Zhang et al.,
NeurIPS 2022), the official ``DiverseExpertLoss``
(Vanint/SADE-AgnosticLT, ``model/loss.py``). With ``z_e = s cos_e`` the
experts' logits, ``pi`` the training prior and ``pi_rev`` the prior
reversed by rank::

    L = CE(z_1, y)                             # forward-LT expert
      + CE(z_2 + log pi, y)                    # uniform (Balanced Softmax)
      + CE(z_3 + log pi - tau log pi_rev, y)   # backward-LT (inverse)

each averaged over the batch. ``pi_rev`` gives the class with the k-th
largest count the k-th smallest prior: a permutation of ``pi`` (it sums to
1), not ``1 / pi``.

Where this differs from the code: the official ``log(pi + 1e-9)`` is
``log pi`` here (every count is >= 1, so the prior is > 0); and classes
with equal counts are ranked by class index (a stable sort), where the
official ``torch.sort`` leaves their order to the implementation (on
CIFAR-100-LT ρ = 100 the four 5-image classes tie).
"""

from typing import Optional, Sequence

import torch
from mmpretrain.registry import MODELS

from mmlt.class_counts import check_counts, log_prior

from .multi_expert_loss import MultiExpertLoss
from .softmax_target_loss import softmax_target_loss, weighted_nll
from .workspace import Workspace


def rank_reversed_prior(class_counts: Sequence[int]) -> torch.Tensor:
    """``pi_rev``: the prior of the class of mirrored rank, shape (C,).

    The classes ranked from the largest count, the class of rank ``k``
    gets the ``k``-th smallest prior. Equal counts rank by class index, the
    lower first, so a profile that falls with the index (CIFAR-LT's) gives
    ``pi_rev[c] = pi[C - 1 - c]``.
    """
    counts = torch.as_tensor(check_counts(class_counts), dtype=torch.float64)
    prior = counts / counts.sum()
    descending, order = torch.sort(prior, descending=True, stable=True)
    reversed_prior = torch.empty_like(prior)
    reversed_prior[order] = descending.flip(0)
    return reversed_prior.float()


def sade_logit_biases(class_counts: Sequence[int], tau: float) -> torch.Tensor:
    """The three experts' biases added to their logits, shape (3, C): 0,
    ``log pi`` and ``log pi - tau log pi_rev``."""
    log_pi = log_prior(class_counts)
    log_rev = rank_reversed_prior(class_counts).log()
    return torch.stack(
        [torch.zeros_like(log_pi), log_pi, log_pi - tau * log_rev]
    )


def sade_loss(
    cosine: torch.Tensor,
    target: torch.Tensor,
    *,
    s: float,
    biases: torch.Tensor,
    class_weight: Optional[torch.Tensor] = None,
    workspace: Optional[Workspace] = None,
) -> torch.Tensor:
    """The SADE loss (module docstring), fused per expert.

    Args:
        cosine (torch.Tensor): The three experts' cosine logits, shape
            (3, N, C).
        target (torch.Tensor): Class indices, shape (N,).
        s (float): Logit scale.
        biases (torch.Tensor): Each expert's logit bias, shape (3, C)
            (:func:`sade_logit_biases`).
        class_weight (torch.Tensor, optional): Per-class weights of every
            term, shape (C,); the official loss has none.
        workspace (Workspace, optional): Buffers kept between calls.

    Returns:
        torch.Tensor: Scalar loss.
    """
    row_loss = weighted_nll(target, class_weight, None)
    return sum(
        softmax_target_loss(
            cosine_e,
            target,
            row_loss,
            scale=s,
            class_bias=bias_e,
            workspace=workspace,
        )
        for cosine_e, bias_e in zip(cosine, biases)
    )


@MODELS.register_module()
class SADELoss(MultiExpertLoss):
    """SADE's skill-diverse loss over three experts' cosines.

    Args:
        tau (float): Strength of the inverse expert's reversed prior,
            >= 0. Defaults to 2, the official CIFAR-100-LT and ImageNet-LT
            value (iNaturalist and Places-LT use 1).
        s (float): Logit scale. Defaults to 30; ``MultiExpertClsHead``
            gives the loss its own scale.
        class_counts (Sequence[int], optional): Training images per class;
            ``SetClassCountsHook`` fills them in.
        **kwargs: ``class_weight``, ``loss_weight`` (and ``weighting``,
            ``beta``), as :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    uses_counts = True
    num_experts = 3

    def __init__(self, tau: float = 2.0, s: float = 30.0, **kwargs) -> None:
        super().__init__(s=s, **kwargs)
        if not tau >= 0:
            raise ValueError(f'tau must be >= 0, got {tau}')
        self.tau = float(tau)

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        device = logits.device
        return sade_loss(
            logits,
            target,
            s=self.s,
            biases=self.derived(
                'sade_biases', lambda c: sade_logit_biases(c, self.tau), device
            ),
            class_weight=self.active_class_weight(device),
            workspace=self.workspace,
        )
