"""The multi-expert ResNet and ResNeXt of RIDE (and SADE) on ImageNet-scale
data.

`Long-tailed Recognition by Routing Diverse Distribution-Aware Experts
<https://arxiv.org/abs/2010.01809>`_ (Wang et al., ICLR 2021), the official
``fb_resnets/RIDEResNet.py`` and ``RIDEResNeXt.py``
(frank-xwang/RIDE-LongTailRecognition): the stem and the first two stages
of a ResNet-50 (or ResNeXt-50, 32x4d) are shared, and each expert has its
own third and fourth stages. With reduced widths (the official
``reduce_dimension``, which every official ImageNet-LT and iNaturalist
config sets) those stages have 3/4 of the channels (planes 192 and 384
instead of 256 and 512; 1536 features out). The stages are mmpretrain's
own (``ResNet.make_res_layer``), initialised as the official code does
them: convolutions Kaiming-normal by fan-out, batch norms 1 and 0, no
zero-initialised residual.
"""

from typing import Optional, Tuple

import torch
import torch.nn as nn
from mmpretrain.models.backbones import ResNet, ResNeXt
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS

from .multi_expert_cifar_resnet import check_num_experts

OFFICIAL_INIT = [
    dict(type='Kaiming', layer='Conv2d', mode='fan_out'),
    dict(type='Constant', val=1, layer=['_BatchNorm']),
]


@MODELS.register_module()
class MultiExpertResNet(BaseBackbone):
    """An mmpretrain ResNet whose last ``4 - shared_stages`` stages are one
    copy per expert.

    The output is a tuple with each expert's last feature map (a
    ``GlobalAveragePooling`` neck and a ``MultiExpertClsHead`` follow).

    Args:
        depth (int): 50, 101 or 152 (mmpretrain's bottleneck ResNets; 18
            and 34 too). Defaults to 50.
        num_experts (int): >= 1. Defaults to 3.
        shared_stages (int): Stages (after the stem) the experts share, 1
            to 3. Defaults to 2, the official (3 is its ``share_layer3``).
        reduced_widths (bool): The experts' stages at 3/4 of the width.
            Defaults to False.
        init_cfg (list[dict], optional): Defaults to the official init.
        **kwargs: mmpretrain ``ResNet``'s other settings (``in_channels``,
            ``norm_cfg``, ``deep_stem``, ...), for the whole network.
    """

    base_type = ResNet

    def __init__(
        self,
        depth: int = 50,
        num_experts: int = 3,
        shared_stages: int = 2,
        reduced_widths: bool = False,
        init_cfg: Optional[list] = OFFICIAL_INIT,
        **kwargs,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.num_experts = check_num_experts(num_experts)
        if shared_stages not in (1, 2, 3):
            raise ValueError(
                f'shared_stages must be 1, 2 or 3 (the experts need a stage '
                f'of their own), got {shared_stages!r}'
            )
        for key in ('num_stages', 'out_indices', 'frozen_stages'):
            if key in kwargs:
                raise ValueError(
                    f'{type(self).__name__} sets {key} itself (four stages, '
                    'the last one out, none frozen)'
                )
        base = self.base_type(
            depth=depth, zero_init_residual=False, init_cfg=None, **kwargs
        )
        # the stem and the shared stages: mmpretrain's own forward on
        # the first stages, the shared feature map out
        names = base.res_layers
        for name in names[shared_stages:]:
            delattr(base, name)
        base.res_layers = names[:shared_stages]
        base.out_indices = (shared_stages - 1,)
        self.shared = base
        self.shared_stages = shared_stages

        def planes(i: int) -> int:
            width = base.base_channels * 2**i
            return width * 3 // 4 if reduced_widths else width

        def expert() -> nn.Sequential:
            stages = []
            in_channels = base.base_channels * 2 ** (shared_stages - 1)
            in_channels *= base.expansion
            for i in range(shared_stages, 4):
                out_channels = planes(i) * base.expansion
                stages.append(
                    base.make_res_layer(
                        block=base.block,
                        num_blocks=base.stage_blocks[i],
                        in_channels=in_channels,
                        out_channels=out_channels,
                        expansion=base.expansion,
                        stride=base.strides[i],
                        dilation=base.dilations[i],
                        style=base.style,
                        avg_down=base.avg_down,
                        with_cp=base.with_cp,
                        conv_cfg=base.conv_cfg,
                        norm_cfg=base.norm_cfg,
                    )
                )
                in_channels = out_channels
            return nn.Sequential(*stages)

        self.experts = nn.ModuleList(expert() for _ in range(num_experts))
        self.out_channels = planes(3) * base.expansion

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Each expert's last feature map, a tuple of ``num_experts``
        tensors of shape (N, out_channels, H, W)."""
        (shared,) = self.shared(x)
        return tuple(expert(shared) for expert in self.experts)


@MODELS.register_module()
class MultiExpertResNeXt(MultiExpertResNet):
    """:class:`MultiExpertResNet` on mmpretrain's ResNeXt (the official
    ResNeXt-50 is ``groups=32, width_per_group=4``, the defaults here):
    with reduced widths an expert's grouped convolutions have 3/4 of the
    channels too.

    Args:
        groups (int): Defaults to 32.
        width_per_group (int): Defaults to 4.
        **kwargs: :class:`MultiExpertResNet`'s.
    """

    base_type = ResNeXt

    def __init__(
        self, groups: int = 32, width_per_group: int = 4, **kwargs
    ) -> None:
        super().__init__(
            groups=groups, width_per_group=width_per_group, **kwargs
        )
