"""The CIFAR ResNets of depth 6n+2 (He et al., 2016), as LDAM-DRW uses them.

`Deep Residual Learning for Image Recognition
<https://arxiv.org/abs/1512.03385>`_, section 4.2: a 3x3 stem, three stages
of n basic blocks with 16, 32 and 64 channels, strides 1, 2 and 2, and
parameter-free shortcuts (option A: stride-2 subsampling and zero-padded
channels). ResNet-32 (n = 5) is the network of the LDAM-DRW reference:
0.46 M parameters with a 10-way linear classifier, 64-d features.
"""

from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS


class BasicBlockA(nn.Module):
    """Two 3x3 convolutions with an option-A (parameter-free) shortcut."""

    def __init__(
        self, in_channels: int, out_channels: int, stride: int
    ) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(
            in_channels, out_channels, 3, stride, padding=1, bias=False
        )
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(
            out_channels, out_channels, 3, 1, padding=1, bias=False
        )
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.stride = stride
        self.extra_channels = out_channels - in_channels

    def shortcut(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride != 1:
            x = x[:, :, :: self.stride, :: self.stride]
        if self.extra_channels:
            half = self.extra_channels // 2
            x = F.pad(x, (0, 0, 0, 0, half, self.extra_channels - half))
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


#: Kaiming-normal (fan-in) convolutions, as the LDAM-DRW and RIDE references
#: initialise them.
KAIMING_CONV_INIT = dict(
    type='Kaiming',
    layer='Conv2d',
    mode='fan_in',
    nonlinearity='relu',
    distribution='normal',
)


def residual_stage(
    in_channels: int, out_channels: int, blocks: int, stride: int
) -> nn.Sequential:
    """``blocks`` basic blocks; the first has the stride and changes the
    width."""
    return nn.Sequential(
        BasicBlockA(in_channels, out_channels, stride),
        *(
            BasicBlockA(out_channels, out_channels, 1)
            for _ in range(blocks - 1)
        ),
    )


def check_depth(depth: int) -> int:
    """Blocks a stage of a CIFAR ResNet of ``depth`` (6n+2) has: n."""
    if not isinstance(depth, int) or depth < 8 or (depth - 2) % 6:
        raise ValueError(
            f'depth must be 6n+2 with n >= 1 (8, 14, 20, 32, ...), got {depth}'
        )
    return (depth - 2) // 6


@MODELS.register_module()
class CifarResNet(BaseBackbone):
    """CIFAR ResNet of depth 6n+2 with option-A shortcuts.

    Args:
        depth (int): 6n+2 with n >= 1: 8, 14, 20, 32, 44, 56, 110, ...
            Defaults to 32.
        in_channels (int): Image channels. Defaults to 3.
        base_channels (int): Channels of the first stage; the next two have
            2x and 4x. Defaults to 16.
        out_indices (Sequence[int]): Stages (0, 1, 2) whose outputs are
            returned. Defaults to (2, ).
        init_cfg (dict | list[dict], optional): Defaults to Kaiming-normal
            (fan-in) convolutions, as the reference initialises them.
    """

    def __init__(
        self,
        depth: int = 32,
        in_channels: int = 3,
        base_channels: int = 16,
        out_indices: Sequence[int] = (2,),
        init_cfg: Optional[dict] = KAIMING_CONV_INIT,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        blocks = check_depth(depth)
        if any(i not in (0, 1, 2) for i in out_indices):
            raise ValueError(
                f'out_indices must be stages in (0, 1, 2), got {out_indices}'
            )
        self.out_indices = tuple(out_indices)
        self.conv1 = nn.Conv2d(
            in_channels, base_channels, 3, 1, padding=1, bias=False
        )
        self.bn1 = nn.BatchNorm2d(base_channels)
        self.stages = nn.ModuleList()
        channels = base_channels
        for i in range(3):
            out_channels = base_channels * 2**i
            self.stages.append(
                residual_stage(channels, out_channels, blocks, 2 if i else 1)
            )
            channels = out_channels
        self.out_channels = channels

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        x = F.relu(self.bn1(self.conv1(x)))
        outs = []
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)
