"""The normalised (cosine) classifier of LDAM-DRW.

`Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss
<https://arxiv.org/abs/1906.07413>`_: features and class weights are both
L2-normalised and there is no bias, so the logits are cosines in [-1, 1]
that ``LDAMLoss`` offsets by the margins and scales by ``s``.
"""

from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.runner import autocast
from mmpretrain.models.heads import ClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from ..losses import LDAMLoss


@MODELS.register_module()
class LDAMHead(ClsHead):
    """Cosine classifier head.

    The class weights start as the reference initialises them: uniform in
    [-1, 1], then each class vector rescaled to unit norm.

    The head owns the logit scale, as mmpretrain's ``ArcFaceClsHead`` does:
    predicted scores are ``softmax(scale * cosine)``, probabilities on the
    scale the model was trained at, and an ``LDAMLoss`` config without
    ``s`` gets ``s = scale``; one with another ``s`` is refused.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Feature size.
        scale (float): Logit scale ``s``, > 0. Defaults to 30, LDAM's.
        loss (dict): Defaults to ``dict(type='LDAMLoss')``.
        init_cfg (dict, optional): Defaults to None (the reference init).
        **kwargs: Passed to mmpretrain's ``ClsHead``.
    """

    def __init__(
        self,
        num_classes: int,
        in_channels: int,
        scale: float = 30.0,
        loss: dict = dict(type='LDAMLoss'),
        init_cfg: Optional[dict] = None,
        **kwargs,
    ) -> None:
        if not scale > 0:
            raise ValueError(f'scale must be > 0, got {scale}')
        if isinstance(loss, dict) and loss.get('type') in (
            'LDAMLoss',
            LDAMLoss,
        ):
            loss = {'s': scale, **loss}
        super().__init__(loss=loss, init_cfg=init_cfg, **kwargs)
        loss_scale = getattr(self.loss_module, 's', scale)
        if loss_scale != scale:
            raise ValueError(
                f'LDAMHead has scale={scale} but its loss has s={loss_scale}: '
                'set the scale on the head only'
            )
        if num_classes < 2:
            raise ValueError(f'num_classes must be >= 2, got {num_classes}')
        self.scale = scale
        self.num_classes = num_classes
        self.in_channels = in_channels
        weight = torch.empty(num_classes, in_channels).uniform_(-1, 1)
        self.weight = nn.Parameter(F.normalize(weight, dim=1))

    def forward(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """Cosine logits, shape (N, num_classes), in float32."""
        with autocast(enabled=False):
            x = F.normalize(self.pre_logits(feats).float(), dim=1)
            return F.linear(x, F.normalize(self.weight.float(), dim=1))

    def predict(
        self,
        feats: Tuple[torch.Tensor],
        data_samples: Optional[List[Optional[DataSample]]] = None,
    ) -> List[DataSample]:
        return self._get_predictions(self.scale * self(feats), data_samples)
