"""The multi-expert CIFAR ResNet of RIDE and SADE.

`Long-tailed Recognition by Routing Diverse Distribution-Aware Experts
<https://arxiv.org/abs/2010.01809>`_ (Wang et al., ICLR 2021) and
`Self-Supervised Aggregation of Diverse Experts for Test-Agnostic
Long-Tailed Recognition <https://arxiv.org/abs/2107.09249>`_ (Zhang et al.,
NeurIPS 2022) build the same network (their official ``ride_resnet_cifar``
and ``expert_resnet_cifar`` differ only in what they return): the stem and
the first stage of a CIFAR ResNet are shared, and each expert has its own
second and third stages. With reduced widths (the official
``reduce_dimension``, which every RIDE and SADE CIFAR config sets) the
expert stages have 3/4 of the channels: 24 and 48 in ResNet-32, so that
three experts cost about 1.5x one ResNet-32.
"""

from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS

from .cifar_resnet import KAIMING_CONV_INIT, check_depth, residual_stage


def check_num_experts(num_experts) -> int:
    if not isinstance(num_experts, int) or num_experts < 1:
        raise ValueError(
            f'num_experts must be an int >= 1, got {num_experts!r}'
        )
    return num_experts


@MODELS.register_module()
class MultiExpertCifarResNet(BaseBackbone):
    """A CIFAR ResNet of depth 6n+2 whose last stages are one copy per
    expert.

    The output is a tuple with each expert's last feature map, so a
    ``GlobalAveragePooling`` neck pools each and a
    ``MultiExpertClsHead`` classifies each.

    Args:
        depth (int): 6n+2 with n >= 1. Defaults to 32.
        num_experts (int): >= 1. Defaults to 3, RIDE's and SADE's.
        in_channels (int): Image channels. Defaults to 3.
        base_channels (int): Channels of the first stage; the later stages
            have 2x and 4x (3/4 of that with ``reduced_widths``). Defaults
            to 16.
        shared_stages (int): Stages (after the stem) the experts share, 1
            or 2. Defaults to 1, the official networks'.
        reduced_widths (bool): Expert stages at 3/4 of the width (24 and
            48 channels in ResNet-32). Defaults to False.
        init_cfg (dict | list[dict], optional): Defaults to Kaiming-normal
            (fan-in) convolutions, as the official code initialises them.
    """

    def __init__(
        self,
        depth: int = 32,
        num_experts: int = 3,
        in_channels: int = 3,
        base_channels: int = 16,
        shared_stages: int = 1,
        reduced_widths: bool = False,
        init_cfg: Optional[dict] = KAIMING_CONV_INIT,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        blocks = check_depth(depth)
        self.num_experts = check_num_experts(num_experts)
        if shared_stages not in (1, 2):
            raise ValueError(
                f'shared_stages must be 1 or 2 (the experts need a stage of '
                f'their own), got {shared_stages!r}'
            )
        self.shared_stages = shared_stages
        widths = [base_channels * 2**i for i in range(3)]
        if reduced_widths:
            widths[shared_stages:] = [
                w * 3 // 4 for w in widths[shared_stages:]
            ]
        # stage i maps channels[i] to channels[i + 1]
        channels = [base_channels, *widths]

        def stage(i: int) -> nn.Sequential:
            return residual_stage(
                channels[i], channels[i + 1], blocks, 2 if i else 1
            )

        self.conv1 = nn.Conv2d(
            in_channels, base_channels, 3, 1, padding=1, bias=False
        )
        self.bn1 = nn.BatchNorm2d(base_channels)
        self.shared = nn.Sequential(*map(stage, range(shared_stages)))
        self.experts = nn.ModuleList(
            nn.Sequential(*map(stage, range(shared_stages, 3)))
            for _ in range(num_experts)
        )
        self.out_channels = widths[-1]

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Each expert's last feature map, a tuple of ``num_experts``
        tensors of shape (N, out_channels, H, W)."""
        shared = self.shared(F.relu(self.bn1(self.conv1(x))))
        return tuple(expert(shared) for expert in self.experts)
