"""One cosine classifier per expert, the experts' logits averaged.

RIDE (`arXiv:2010.01809 <https://arxiv.org/abs/2010.01809>`_) and SADE
(`arXiv:2107.09249 <https://arxiv.org/abs/2107.09249>`_) give each expert
of a multi-expert backbone a normalised linear classifier (no bias) whose
cosines are scaled by ``s = 30``; the prediction is the mean of the
experts' scaled logits. The losses (:class:`~mmlt.models.RIDELoss`,
:class:`~mmlt.models.SADELoss`) take every expert's cosines, stacked.
"""

from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.runner import autocast
from mmpretrain.models.heads import ClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample


def loss_class(loss) -> Optional[type]:
    """The class a loss config (or module) builds, if it can be told."""
    if not isinstance(loss, dict):
        return type(loss)
    kind = loss.get('type')
    return MODELS.get(kind) if isinstance(kind, str) else kind


@MODELS.register_module()
class MultiExpertClsHead(ClsHead):
    """``num_experts`` cosine classifiers over the experts' pooled features.

    Each expert's class vectors start as the official code initialises
    them (uniform in [-1, 1], each rescaled to unit norm, as
    :class:`~mmlt.models.LDAMHead`'s). ``forward`` gives the cosines of all
    experts, shape (E, N, C), which is what the loss takes; the head owns
    the scale, as ``LDAMHead`` does: a loss config without ``s`` gets
    ``s = scale``, one with another ``s`` is refused.

    Prediction is ``softmax(sum_e w_e * scale * cos_e)`` with
    ``expert_weights`` ``w`` (a buffer, saved with the model), ``1 / E``
    each unless set otherwise: the mean of the experts' logits. Each
    predicted sample also carries ``expert_logits``, shape (E, C), the
    experts' scaled logits (``mim test --out`` dumps them).

    Args:
        num_classes (int): Number of classes, >= 2.
        in_channels (int): Feature size of each expert.
        num_experts (int): Experts, as many as the backbone's, >= 1.
        scale (float): Logit scale ``s``, > 0. Defaults to 30, RIDE's and
            SADE's.
        loss (dict): A multi-expert loss. Defaults to
            ``dict(type='RIDELoss')``.
        init_cfg (dict, optional): Defaults to None (the official init).
        **kwargs: ``ClsHead``'s ``topk``; ``cal_acc`` is refused.
    """

    #: The attribute its loss's class must have True, and what that is.
    loss_kind = 'takes_expert_logits'
    loss_kind_name = "a loss over the experts' logits (RIDELoss, SADELoss)"

    def __init__(
        self,
        num_classes: int,
        in_channels: int,
        num_experts: int,
        scale: float = 30.0,
        loss: dict = dict(type='RIDELoss'),
        init_cfg: Optional[dict] = None,
        **kwargs,
    ) -> None:
        if kwargs.get('cal_acc'):
            raise ValueError(
                'MultiExpertClsHead does not take cal_acc=True: the loss is '
                "the experts', the accuracy would be the ensemble's"
            )
        if not scale > 0:
            raise ValueError(f'scale must be > 0, got {scale}')
        if num_classes < 2:
            raise ValueError(f'num_classes must be >= 2, got {num_classes}')
        if not isinstance(num_experts, int) or num_experts < 1:
            raise ValueError(
                f'num_experts must be an int >= 1, got {num_experts!r}'
            )
        kind = loss_class(loss)
        if not getattr(kind, self.loss_kind, False):
            raise ValueError(
                f'{type(self).__name__} needs {self.loss_kind_name}, got '
                f'{getattr(kind, "__name__", kind)}'
            )
        # a loss of the experts' cosines takes the head's scale
        scaled = getattr(kind, 'takes_expert_logits', False)
        if isinstance(loss, dict) and scaled:
            loss = {'s': scale, **loss}
        super().__init__(loss=loss, init_cfg=init_cfg, **kwargs)
        loss_scale = self.loss_module.s if scaled else scale
        if loss_scale != scale:
            raise ValueError(
                f'MultiExpertClsHead has scale={scale} but its loss has '
                f's={loss_scale}: set the scale on the head only'
            )
        loss_experts = getattr(self.loss_module, 'num_experts', None)
        if loss_experts is not None and loss_experts != num_experts:
            raise ValueError(
                f'MultiExpertClsHead has num_experts={num_experts} but '
                f'{type(self.loss_module).__name__} is defined for '
                f'{loss_experts} experts'
            )
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.num_experts = num_experts
        self.scale = scale
        weight = torch.empty(num_experts, num_classes, in_channels)
        self.weight = nn.Parameter(F.normalize(weight.uniform_(-1, 1), dim=2))
        self.register_buffer(
            'expert_weights', torch.full((num_experts,), 1.0 / num_experts)
        )

    def forward(self, feats: Sequence[torch.Tensor]) -> torch.Tensor:
        """The experts' cosine logits, shape (E, N, num_classes), float32.

        Args:
            feats: One pooled feature per expert, each (N, in_channels),
                as ``GlobalAveragePooling`` gives a multi-expert backbone's
                outputs.
        """
        if len(feats) != self.num_experts:
            raise ValueError(
                f'the backbone gives {len(feats)} expert features but '
                f'MultiExpertClsHead has num_experts={self.num_experts}'
            )
        with autocast(enabled=False):
            x = F.normalize(torch.stack(list(feats)).float(), dim=2)
            w = F.normalize(self.weight.float(), dim=2)
            return torch.bmm(x, w.transpose(1, 2))

    def expert_logits(self, feats: Sequence[torch.Tensor]) -> torch.Tensor:
        """The experts' scaled logits, ``scale * cos``, (E, N, num_classes)."""
        return self.scale * self(feats)

    def ensemble_logits(
        self,
        feats: Sequence[torch.Tensor],
        logits: Optional[torch.Tensor] = None,
    ) -> torch.Tensor:
        """The logits the prediction is the softmax of, (N, num_classes):
        ``sum_e w_e * scale * cos_e`` (``logits``, the experts' scaled
        logits, when computed already)."""
        if logits is None:
            logits = self.expert_logits(feats)
        return torch.einsum('e,enc->nc', self.expert_weights, logits)

    def class_indices(
        self, data_samples: List[DataSample], device: torch.device
    ) -> torch.Tensor:
        """The samples' classes, (N,); mixed labels are refused."""
        if 'gt_score' in data_samples[0]:
            raise ValueError(
                f'{type(self.loss_module).__name__} takes class indices: '
                'mixed labels (mixup, CutMix) are not supported'
            )
        return torch.cat([s.gt_label for s in data_samples]).to(device)

    def loss(
        self,
        feats: Sequence[torch.Tensor],
        data_samples: List[DataSample],
        **kwargs,
    ) -> dict:
        cosine = self(feats)
        target = self.class_indices(data_samples, cosine.device)
        return dict(loss=self.loss_module(cosine, target, **kwargs))

    def predict(
        self,
        feats: Sequence[torch.Tensor],
        data_samples: Optional[List[Optional[DataSample]]] = None,
    ) -> List[DataSample]:
        """Predictions from the weighted sum of the experts' logits; each
        sample keeps its ``expert_logits`` (E, num_classes)."""
        logits = self.expert_logits(feats)
        combined = self.ensemble_logits(feats, logits)
        samples = self._get_predictions(combined, data_samples)
        for i, sample in enumerate(samples):
            sample.set_field(logits[:, i], 'expert_logits', dtype=torch.Tensor)
        return samples
