"""RIDE: LDAM per expert plus a diversity term against the ensemble.

`Long-tailed Recognition by Routing Diverse Distribution-Aware Experts
<https://arxiv.org/abs/2010.01809>`_ (Wang et al., ICLR 2021), the official
``RIDELoss`` (frank-xwang/RIDE-LongTailRecognition, ``model/loss.py``). With
``z_e = s cos_e`` the experts' logits and ``zbar`` their mean::

    L = sum_e [ LDAM_w(cos_e, y)
                + lambda mean(T)^2 KL(softmax(zbar / T) || softmax(z_e / T)) ]

``zbar`` detached, the KL averaged over the batch, ``lambda`` the
``diversity_factor`` (negative: each expert is pushed away from the
ensemble). Until the DRW epoch ``w`` is uniform and ``T`` the
``base_diversity_temperature``; from it ``w`` are ``DRWHook``'s
class-balanced weights and ``T`` is per class (per logit column),
``T_c = T_base * t_c / max t`` with ``t_c = C pi_c r + 1 - r``
(``reweight_factor`` ``r``, prior ``pi``), so rare classes' logits are
sharpened. The official loss switches both at its ``reweight_epoch``; here
both follow ``DRWHook``.

Where this follows the paper rather than the code: with ``diversity_factor
= 0`` the official loss trains every expert's LDAM term on the ensemble's
logits instead of its own; here each expert keeps its own (independent
LDAM experts), so the ablation is what the paper describes.
"""

from typing import Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from mmlt.class_counts import check_counts

from .ldam_loss import ldam_loss, ldam_margins
from .mixed_target import at_least_float32
from .multi_expert_loss import MultiExpertLoss
from .workspace import Workspace


def ride_temperatures(
    class_counts: Sequence[int], reweight_factor: float
) -> torch.Tensor:
    """``t_c = C pi_c r + 1 - r``, divided by its largest; shape (C,)."""
    counts = torch.as_tensor(check_counts(class_counts), dtype=torch.float64)
    t = len(counts) * counts / counts.sum() * reweight_factor
    t = t + 1 - reweight_factor
    return (t / t.max()).float()


def ride_loss(
    cosine: torch.Tensor,
    target: torch.Tensor,
    *,
    margins: torch.Tensor,
    s: float,
    diversity_factor: float,
    temperature: Union[float, torch.Tensor],
    class_weight: Optional[torch.Tensor] = None,
    workspace: Optional[Workspace] = None,
) -> torch.Tensor:
    """The RIDE loss (module docstring), summed over the experts.

    Args:
        cosine (torch.Tensor): The experts' cosine logits, shape (E, N, C).
        target (torch.Tensor): Class indices, shape (N,).
        margins (torch.Tensor): LDAM's per-class margins, shape (C,).
        s (float): Logit scale.
        diversity_factor (float): ``lambda``.
        temperature (float | torch.Tensor): The diversity temperature, a
            number or per class, shape (C,).
        class_weight (torch.Tensor, optional): Per-class weights of the
            LDAM terms, shape (C,).
        workspace (Workspace, optional): Buffers kept between calls.

    Returns:
        torch.Tensor: Scalar loss.
    """
    logits = s * at_least_float32(cosine)
    mean_temperature = (
        temperature.mean().item()
        if torch.is_tensor(temperature)
        else temperature
    )
    with torch.no_grad():
        ensemble = F.softmax(logits.mean(dim=0) / temperature, dim=1)
    loss = logits.new_zeros(())
    for cosine_e, logits_e in zip(cosine, logits):
        loss = loss + ldam_loss(
            cosine_e,
            target,
            margins=margins,
            s=s,
            class_weight=class_weight,
            workspace=workspace,
        )
        log_p = F.log_softmax(logits_e / temperature, dim=1)
        kl = F.kl_div(log_p, ensemble, reduction='batchmean')
        loss = loss + diversity_factor * mean_temperature**2 * kl
    return loss


@MODELS.register_module()
class RIDELoss(MultiExpertLoss):
    """RIDE's distribution-aware diversity loss over the experts' cosines.

    Args:
        diversity_factor (float): ``lambda``, finite. Defaults to -0.2,
            the official default (ImageNet-LT, iNaturalist); the official
            CIFAR configs use -0.45.
        base_diversity_temperature (float): ``T_base``, > 0. Defaults to 1.
        reweight_factor (float): ``r`` of the per-class temperatures, in
            [0, 1]. Defaults to 0.05.
        max_m (float): LDAM's largest margin, > 0. Defaults to 0.5.
        s (float): Logit scale. Defaults to 30; ``MultiExpertClsHead``
            gives the loss its own scale.
        class_counts (Sequence[int], optional): Training images per class;
            ``SetClassCountsHook`` fills them in.
        **kwargs: ``class_weight``, ``loss_weight`` (and ``weighting``,
            ``beta``), as :class:`~mmlt.models.losses.ClassWeightedLoss`;
            ``DRWHook`` replaces the class weights at its epoch.
    """

    uses_counts = True

    def __init__(
        self,
        diversity_factor: float = -0.2,
        base_diversity_temperature: float = 1.0,
        reweight_factor: float = 0.05,
        max_m: float = 0.5,
        s: float = 30.0,
        **kwargs,
    ) -> None:
        super().__init__(s=s, **kwargs)
        if not torch.isfinite(torch.tensor(float(diversity_factor))):
            raise ValueError(
                f'diversity_factor must be finite, got {diversity_factor}'
            )
        if not base_diversity_temperature > 0:
            raise ValueError(
                'base_diversity_temperature must be > 0, got '
                f'{base_diversity_temperature}'
            )
        if not 0 <= reweight_factor <= 1:
            raise ValueError(
                f'reweight_factor must be in [0, 1], got {reweight_factor}'
            )
        if not max_m > 0:
            raise ValueError(f'max_m must be > 0, got {max_m}')
        self.diversity_factor = float(diversity_factor)
        self.base_diversity_temperature = float(base_diversity_temperature)
        self.reweight_factor = float(reweight_factor)
        self.max_m = max_m

    def diversity_temperature(self, device=None) -> Union[float, torch.Tensor]:
        """``T``: per class, shape (C,), once a schedule (``DRWHook``) has
        switched the class weights; ``T_base`` before."""
        if self._scheduled_weight is None:
            return self.base_diversity_temperature
        t = self.derived(
            'ride_temperatures',
            lambda c: ride_temperatures(c, self.reweight_factor),
            device,
        )
        return self.base_diversity_temperature * t

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        device = logits.device
        return ride_loss(
            logits,
            target,
            margins=self.derived(
                'margins', lambda c: ldam_margins(c, self.max_m), device
            ),
            s=self.s,
            diversity_factor=self.diversity_factor,
            temperature=self.diversity_temperature(device),
            class_weight=self.active_class_weight(device),
            workspace=self.workspace,
        )
