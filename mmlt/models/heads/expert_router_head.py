"""RIDE's expert-assignment router: a multi-expert head that consults the
experts one after another.

`Long-tailed Recognition by Routing Diverse Distribution-Aware Experts
<https://arxiv.org/abs/2010.01809>`_ (Wang et al., ICLR 2021), its second
stage as the official ``ea_resnet_cifar.py`` builds it
(frank-xwang/RIDE-LongTailRecognition). Router ``i`` (``i = 0 .. E-2``)
decides, from what experts ``0 .. i`` have given, whether expert ``i + 1``
is consulted::

    h_i = relu(W_i f_i / |f_i|)              (hidden_channels,)
    r_i = V [topk(zbar_i, k), h_i] + b       (a logit)

``f_i`` is expert ``i``'s pooled feature, ``zbar_i`` the mean of the
scaled logits of experts ``0 .. i`` (its ``k`` largest values, sorted), ``W_i``
one hidden layer per router and ``V`` one output layer they share. At test
time a sample goes on to the next expert while ``sigmoid(r_i) >
threshold``, and its prediction is the mean of the experts it used.

The official code evaluates an expert only on the samples routed to it,
which is where the saving in computation comes from; here every expert runs
and the routing picks the same experts and gives the same prediction (a
router only sees the experts before it), so ``num_experts_used`` (and
:class:`~mmlt.evaluation.ExpertUsageMetric`) says what a routed model
costs, not what this one spends.
"""

from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.runner import autocast
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from .multi_expert_head import MultiExpertClsHead


def router_logits(
    feats: torch.Tensor,
    expert_logits: torch.Tensor,
    hidden: Sequence[nn.Module],
    output: nn.Module,
    top_k: int,
) -> torch.Tensor:
    """Router ``i``'s logit for every sample (module docstring).

    Args:
        feats (torch.Tensor): The experts' pooled features, (E, N, D).
        expert_logits (torch.Tensor): The experts' scaled logits, (E, N, C).
        hidden (Sequence[nn.Module]): ``E - 1`` layers, D to hidden.
        output (nn.Module): The shared layer, hidden + ``top_k`` to 1.
        top_k (int): How many of the ensemble's largest logits it sees.

    Returns:
        torch.Tensor: (E - 1, N).
    """
    steps = torch.arange(1, len(expert_logits) + 1, device=feats.device)
    mean_logits = expert_logits.cumsum(0) / steps.view(-1, 1, 1)
    logits = []
    for i, layer in enumerate(hidden):
        h = F.relu(layer(F.normalize(feats[i], dim=1)))
        top = mean_logits[i].topk(top_k, dim=1).values
        logits.append(output(torch.cat([top, h], dim=1)).squeeze(1))
    return torch.stack(logits)


def routed_expert_counts(
    router_logits: torch.Tensor, threshold: float
) -> torch.Tensor:
    """How many experts each sample uses: 1, plus one for each router in
    a row, from the first, that says "next".

    Args:
        router_logits (torch.Tensor): (E - 1, N).
        threshold (float): Probability above which a router says "next".

    Returns:
        torch.Tensor: int64, (N,), in [1, E].
    """
    next_expert = torch.sigmoid(router_logits) > threshold
    return 1 + next_expert.long().cumprod(0).sum(0)


def routed_prediction(
    expert_logits: torch.Tensor, num_used: torch.Tensor
) -> torch.Tensor:
    """The mean of the logits of each sample's first ``num_used`` experts.

    Args:
        expert_logits (torch.Tensor): (E, N, C).
        num_used (torch.Tensor): int64, (N,), in [1, E].

    Returns:
        torch.Tensor: (N, C).
    """
    sums = expert_logits.cumsum(0)
    index = (num_used - 1).view(1, -1, 1).expand(1, *sums.shape[1:])
    return sums.gather(0, index)[0] / num_used.unsqueeze(1)


@MODELS.register_module()
class ExpertRouterClsHead(MultiExpertClsHead):
    """A :class:`MultiExpertClsHead` with RIDE's routers; its loss trains
    the routers only (module docstring).

    It is RIDE's second stage: a stage-1 ``MultiExpertClsHead`` checkpoint
    loads into it (its ``weight`` and ``expert_weights``), the routers
    (``router_hidden``, ``router_fc``) start from the official
    initialisation (Kaiming-normal weights), and ``ClassifierRetrainingHook``
    trains those two only. Each predicted sample carries
    ``num_experts_used``; ``expert_weights`` is not used (a routed
    prediction is the plain mean of the experts used).

    Args:
        num_classes (int): Number of classes, >= 2.
        in_channels (int): Feature size of each expert.
        num_experts (int): Experts, >= 2.
        top_k (int): How many of the ensemble's largest logits a router
            sees, in [1, num_classes]. The official configs use 30 on
            CIFAR-100-LT and ImageNet-LT (ResNet-10), 50 on ImageNet-LT
            (ResNet-50, ResNeXt-50) and iNaturalist; the official model's
            default is 5. Defaults to 30.
        hidden_channels (int): Width of each router's hidden layer, >= 1.
            Defaults to 16, the official.
        threshold (float): A router calls the next expert when its
            probability is above this, in (0, 1). Defaults to 0.5, the
            official.
        scale (float): Logit scale, > 0. Defaults to 30.
        loss (dict): Defaults to ``dict(type='ExpertRouterLoss')``.
        init_cfg (dict, optional): Defaults to None.
        **kwargs: ``ClsHead``'s ``topk``.
    """

    loss_kind = 'takes_router_logits'
    loss_kind_name = "a loss over the routers' logits (ExpertRouterLoss)"

    def __init__(
        self,
        num_classes: int,
        in_channels: int,
        num_experts: int,
        top_k: int = 30,
        hidden_channels: int = 16,
        threshold: float = 0.5,
        scale: float = 30.0,
        loss: dict = dict(type='ExpertRouterLoss'),
        init_cfg: Optional[dict] = None,
        **kwargs,
    ) -> None:
        if not isinstance(num_experts, int) or num_experts < 2:
            raise ValueError(
                f'ExpertRouterClsHead routes between experts: num_experts '
                f'must be an int >= 2, got {num_experts!r}'
            )
        if not isinstance(top_k, int) or not 1 <= top_k <= num_classes:
            raise ValueError(
                f'top_k must be an int in [1, num_classes={num_classes}], '
                f'got {top_k!r}'
            )
        if not isinstance(hidden_channels, int) or hidden_channels < 1:
            raise ValueError(
                f'hidden_channels must be an int >= 1, got {hidden_channels!r}'
            )
        if not 0 < threshold < 1:
            raise ValueError(f'threshold must be in (0, 1), got {threshold}')
        super().__init__(
            num_classes=num_classes,
            in_channels=in_channels,
            num_experts=num_experts,
            scale=scale,
            loss=loss,
            init_cfg=init_cfg,
            **kwargs,
        )
        self.top_k = top_k
        self.threshold = threshold
        self.router_hidden = nn.ModuleList(
            nn.Linear(in_channels, hidden_channels)
            for _ in range(num_experts - 1)
        )
        self.router_fc = nn.Linear(hidden_channels + top_k, 1)
        for layer in [*self.router_hidden, self.router_fc]:
            nn.init.kaiming_normal_(layer.weight)

    def routes(self, feats: Sequence[torch.Tensor]):
        """The experts' scaled logits (E, N, C) and the routers' logits
        (E - 1, N), in float32."""
        logits = self.expert_logits(feats)
        with autocast(enabled=False):
            routers = router_logits(
                torch.stack(list(feats)).float(),
                logits,
                self.router_hidden,
                self.router_fc,
                self.top_k,
            )
        return logits, routers

    def loss(
        self,
        feats: Sequence[torch.Tensor],
        data_samples: List[DataSample],
        **kwargs,
    ) -> dict:
        logits, routers = self.routes(feats)
        target = self.class_indices(data_samples, logits.device)
        return dict(loss=self.loss_module(routers, logits, target))

    def predict(
        self,
        feats: Sequence[torch.Tensor],
        data_samples: Optional[List[Optional[DataSample]]] = None,
    ) -> List[DataSample]:
        """Routed predictions; each sample keeps its ``expert_logits``
        (E, num_classes) and ``num_experts_used``."""
        logits, routers = self.routes(feats)
        num_used = routed_expert_counts(routers, self.threshold)
        combined = routed_prediction(logits, num_used)
        samples = self._get_predictions(combined, data_samples)
        for i, sample in enumerate(samples):
            sample.set_field(logits[:, i], 'expert_logits', dtype=torch.Tensor)
            sample.set_field(
                num_used[i], 'num_experts_used', dtype=torch.Tensor
            )
        return samples
