"""OLTR's modulated attention on the last feature map, then pooling.

`Large-Scale Long-Tailed Recognition in an Open World
<https://arxiv.org/abs/1904.05160>`_ (Liu et al., CVPR 2019), as the
official code computes it (zhmiao/OpenLongTailRecognition-OLTR,
``layers/ModulatedAttLayer.py``, and the tail of
``models/ResNetFeature.py`` with ``use_modulatedatt`` and ``use_fc``, its
stage-2 setting). With the feature map ``x`` (N, C, H, W)::

    A    = softmax(theta(x)^T phi(x))            (HW, HW) non-local attention
    mask = conv_mask(g(x) A^T)                   (N, C, H, W)
    s    = softmax(fc_spatial(flatten(x)))       (N, HW) spatial attention
    x'   = x + s * mask
    v    = relu(fc(avgpool(x')))                 (fc only with out_channels)

``theta``, ``phi`` and ``g`` are 1x1 convolutions to ``C / reduction``
channels (Kaiming-normal weights, zero bias), ``conv_mask`` a 1x1
convolution back to ``C`` without bias, initialised to zero: at the start
of stage 2 ``x' = x``, the stage-1 features. ``fc_spatial`` reads the
whole map, so the map size is fixed (7 x 7 in the official ResNets; the
official pooling is a 7 x 7 average, i.e. global).
"""

from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS


def modulated_attention(
    x: torch.Tensor,
    theta: nn.Module,
    phi: nn.Module,
    g: nn.Module,
    conv_mask: nn.Module,
    fc_spatial: nn.Module,
) -> torch.Tensor:
    """``x'`` (N, C, H, W) of ``x`` (N, C, H, W) (module docstring)."""
    n, _, h, w = x.shape
    queries = theta(x).flatten(2).transpose(1, 2)  # (N, HW, C')
    keys = phi(x).flatten(2)  # (N, C', HW)
    values = g(x).flatten(2).transpose(1, 2)  # (N, HW, C')
    attention = (queries @ keys).softmax(dim=-1)  # (N, HW, HW)
    non_local = (attention @ values).transpose(1, 2).reshape(n, -1, h, w)
    spatial = fc_spatial(x.flatten(1)).softmax(dim=1).view(n, 1, h, w)
    return x + spatial * conv_mask(non_local)


@MODELS.register_module()
class ModulatedAttentionNeck(BaseModule):
    """OLTR's stage-2 feature tail (module docstring): the modulated
    attention on the backbone's last feature map, global average pooling
    and, with ``out_channels``, a linear layer and ReLU. Returns a
    one-tuple of the features, (N, out_channels or in_channels).

    Args:
        in_channels (int): ``C``, the last map's channels.
        feat_size (int | Sequence[int]): ``(H, W)`` of the last map (an
            int for a square one): 7 for MNIST-LT's 28 x 28 images on
            ``CifarResNet``, 8 for CIFAR's 32 x 32.
        reduction (int): ``C / C'``, >= 1, dividing ``C``. Defaults to 2.
        out_channels (int, optional): The linear layer's size (the
            official ``use_fc``, 512 in its ResNet-10); None: no layer.
            Defaults to None.
        init_cfg (dict, optional): Defaults to None (the official init).
    """

    def __init__(
        self,
        in_channels: int,
        feat_size: Union[int, Sequence[int]],
        reduction: int = 2,
        out_channels: Optional[int] = None,
        init_cfg: Optional[dict] = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        if isinstance(feat_size, int):
            feat_size = (feat_size, feat_size)
        self.feat_size = tuple(int(s) for s in feat_size)
        if len(self.feat_size) != 2 or min(self.feat_size) < 1:
            raise ValueError(
                f'feat_size must be H or (H, W) >= 1, got {feat_size!r}'
            )
        if reduction < 1 or in_channels % reduction:
            raise ValueError(
                f'reduction must be >= 1 and divide in_channels '
                f'({in_channels}), got {reduction}'
            )
        inner = in_channels // reduction
        self.in_channels = in_channels
        self.theta = nn.Conv2d(in_channels, inner, 1)
        self.phi = nn.Conv2d(in_channels, inner, 1)
        self.g = nn.Conv2d(in_channels, inner, 1)
        self.conv_mask = nn.Conv2d(inner, in_channels, 1, bias=False)
        area = self.feat_size[0] * self.feat_size[1]
        self.fc_spatial = nn.Linear(area * in_channels, area)
        for conv in (self.theta, self.phi, self.g):
            nn.init.kaiming_normal_(conv.weight)
            nn.init.zeros_(conv.bias)
        nn.init.zeros_(self.conv_mask.weight)
        self.fc = (
            nn.Linear(in_channels, out_channels)
            if out_channels is not None
            else None
        )

    def forward(self, inputs: Tuple[torch.Tensor, ...]) -> Tuple[torch.Tensor]:
        x = inputs[-1]
        if x.ndim != 4 or tuple(x.shape[1:]) != (
            self.in_channels,
            *self.feat_size,
        ):
            raise ValueError(
                'ModulatedAttentionNeck expects feature maps (N, '
                f'{self.in_channels}, {self.feat_size[0]}, '
                f'{self.feat_size[1]}) (in_channels, feat_size), got '
                f'{tuple(x.shape)}'
            )
        x = modulated_attention(
            x, self.theta, self.phi, self.g, self.conv_mask, self.fc_spatial
        )
        v = x.mean(dim=(2, 3))
        if self.fc is not None:
            v = F.relu(self.fc(v))
        return (v,)
