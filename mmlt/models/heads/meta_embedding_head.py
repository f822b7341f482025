"""OLTR's dynamic meta-embedding and cosine-norm classifier.

`Large-Scale Long-Tailed Recognition in an Open World
<https://arxiv.org/abs/1904.05160>`_ (Liu et al., CVPR 2019), as the
official code computes them (zhmiao/OpenLongTailRecognition-OLTR,
``models/MetaEmbeddingClassifier.py``, ``models/CosNormClassifier.py``).
With the direct feature ``v`` (N, D) and the memory of class centroids
``M`` (C, D)::

    gamma = s_r / min_j ||v - M_j||          (reachability, s_r = 10)
    o     = softmax(hallucinator(v)) @ M     (the memory feature)
    e     = tanh(selector(v))                (the concept selector)
    v_meta = gamma * (v + e * o)
    logits = s * v_meta / (1 + ||v_meta||) . W_j / ||W_j||    (s = 16)

The cosine-norm classifier's squashing ``||x|| / (1 + ||x||) * x / ||x||``
is written ``x / (1 + ||x||)``: the same value, defined at ``x = 0``. The
nearest distance is clamped at 1e-12, so a feature on a centroid gets a
large reachability rather than an infinite one. The memory is the
centroids of the discriminative centroid loss, read without gradient (the
official ``centroids.data``); they start as the stage-1 class means
(``ClassCentroidsHook``).
"""

import math
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.runner import autocast
from mmpretrain.models.heads import ClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample


def meta_embedding(
    features: torch.Tensor,
    centroids: torch.Tensor,
    hallucination: torch.Tensor,
    selection: torch.Tensor,
    reachability_scale: float = 10.0,
) -> Tuple[torch.Tensor, torch.Tensor]:
    """The meta-embedding ``v_meta`` and the infused feature ``e * o``.

    Args:
        features (torch.Tensor): ``v``, (N, D).
        centroids (torch.Tensor): ``M``, (C, D).
        hallucination (torch.Tensor): The hallucinator's logits, (N, C).
        selection (torch.Tensor): The selector's output before tanh,
            (N, D).
        reachability_scale (float): ``s_r``. Defaults to 10.

    Returns:
        tuple: ``v_meta`` (N, D) and ``e * o`` (N, D).
    """
    distances = torch.cdist(
        features, centroids, compute_mode='donot_use_mm_for_euclid_dist'
    )
    nearest = distances.min(dim=1, keepdim=True).values.clamp_min(1e-12)
    reachability = reachability_scale / nearest
    memory_feature = hallucination.softmax(dim=1) @ centroids
    infused = selection.tanh() * memory_feature
    return reachability * (features + infused), infused


def cosnorm_logits(
    x: torch.Tensor, weight: torch.Tensor, scale: float = 16.0
) -> torch.Tensor:
    """The cosine-norm classifier's logits, (N, C), of ``x`` (N, D) and
    the class weights ``W`` (C, D)."""
    squashed = x / (1 + x.norm(dim=1, keepdim=True))
    return scale * squashed @ (weight / weight.norm(dim=1, keepdim=True)).t()


@MODELS.register_module()
class MetaEmbeddingHead(ClsHead):
    """OLTR's stage-2 classifier (module docstring) and its training loss.

    The hallucinator is ``fc``, the name of mmpretrain's
    ``LinearClsHead`` classifier, so that loading the stage-1 checkpoint
    (``load_from``) starts it from the stage-1 classifier, as the
    official code does. The selector and the cosine-norm weights start
    as the official code's (torch's ``Linear`` default; uniform in
    ``±1/sqrt(D)``); the centroids start at 0 until
    ``ClassCentroidsHook`` sets them.

    The training loss is ``loss`` on the logits plus ``centroid_loss`` on
    the direct features (the official ``PerformanceLoss`` and
    ``FeatureLoss``), logged as ``loss_cls`` and ``loss_centroids``
    beside their sum, ``loss``. Both need class indices: mixed labels
    (mixup, CutMix) are refused. The head computes in float32 under
    autocast.

    Args:
        num_classes (int): Number of classes, >= 2.
        in_channels (int): ``D``, the neck's feature size.
        reachability_scale (float): ``s_r``, > 0. Defaults to 10.
        cosnorm_scale (float): ``s``, > 0. Defaults to 16.
        loss (dict): The loss on the logits. Defaults to cross-entropy.
        centroid_loss (dict): The loss on the direct features. Defaults
            to ``dict(type='DiscCentroidsLoss')``.
        init_cfg (dict, optional): Defaults to None (the official init).
        **kwargs: Passed to mmpretrain's ``ClsHead``.
    """

    def __init__(
        self,
        num_classes: int,
        in_channels: int,
        reachability_scale: float = 10.0,
        cosnorm_scale: float = 16.0,
        loss: dict = dict(type='CrossEntropyLoss', loss_weight=1.0),
        centroid_loss: dict = dict(type='DiscCentroidsLoss'),
        init_cfg: Optional[dict] = None,
        **kwargs,
    ) -> None:
        super().__init__(loss=loss, init_cfg=init_cfg, **kwargs)
        if num_classes < 2:
            raise ValueError(f'num_classes must be >= 2, got {num_classes}')
        for name, value in (
            ('reachability_scale', reachability_scale),
            ('cosnorm_scale', cosnorm_scale),
        ):
            if not value > 0:
                raise ValueError(f'{name} must be > 0, got {value}')
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.reachability_scale = reachability_scale
        self.cosnorm_scale = cosnorm_scale
        self.fc = nn.Linear(in_channels, num_classes)
        self.selector = nn.Linear(in_channels, in_channels)
        bound = 1 / math.sqrt(in_channels)
        self.cosnorm_weight = nn.Parameter(
            torch.empty(num_classes, in_channels).uniform_(-bound, bound)
        )
        self.centroids = nn.Parameter(torch.zeros(num_classes, in_channels))
        self.centroid_loss = MODELS.build(centroid_loss)

    def pre_logits(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """The direct feature ``v``, (N, D): the neck's last output."""
        return feats[-1]

    def set_centroids(self, centroids: torch.Tensor) -> None:
        """Sets the memory (and the centroid loss's centroids), (C, D)."""
        if tuple(centroids.shape) != tuple(self.centroids.shape):
            raise ValueError(
                f'centroids must have shape {tuple(self.centroids.shape)} '
                f'(num_classes, in_channels), got {tuple(centroids.shape)}'
            )
        with torch.no_grad():
            self.centroids.copy_(centroids)

    def _logits(self, features: torch.Tensor) -> torch.Tensor:
        with autocast(enabled=False):
            v = features.float()
            v_meta, _ = meta_embedding(
                v,
                self.centroids.detach().float(),
                self.fc(v),
                self.selector(v),
                self.reachability_scale,
            )
            return cosnorm_logits(
                v_meta, self.cosnorm_weight.float(), self.cosnorm_scale
            )

    def forward(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """The logits, (N, num_classes), float32."""
        return self._logits(self.pre_logits(feats))

    def loss(
        self,
        feats: Tuple[torch.Tensor],
        data_samples: List[DataSample],
        **kwargs,
    ) -> dict:
        features = self.pre_logits(feats)
        if any('gt_score' in s for s in data_samples):
            raise ValueError(
                'MetaEmbeddingHead needs class indices: its centroid loss '
                'has no mixed-label form (remove mixup / CutMix batch '
                'augments)'
            )
        logits = self._logits(features)
        labels = torch.cat([s.gt_label for s in data_samples])
        return {
            'loss_cls': self._get_loss(logits, data_samples, **kwargs)['loss'],
            'loss_centroids': self.centroid_loss(
                features, labels.to(features.device), self.centroids
            ),
        }
