"""ResNet-10: OLTR's and LFME's ImageNet-LT backbone.

`Large-Scale Long-Tailed Recognition in an Open World
<https://arxiv.org/abs/1904.05160>`_ (Liu et al., CVPR 2019) trains a
ResNet-10 on ImageNet-LT (zhmiao/OpenLongTailRecognition-OLTR,
``models/ResNet10Feature.py``): the ImageNet ResNet's stem and four stages
of one basic block each (64, 128, 256, 512 channels), which LFME reuses.
mmpretrain's ``ResNet`` has no depth 10; this is it with one. Its
residual batch norms start at 1, as the official ``ResNet`` initialises
every batch norm (mmpretrain's default starts the last of each block at
0); the convolutions are Kaiming-normal (fan out), as both do.
"""

from mmpretrain.models.backbones import ResNet
from mmpretrain.models.backbones.resnet import BasicBlock
from mmpretrain.registry import MODELS


@MODELS.register_module()
class ResNet10(ResNet):
    """mmpretrain's ``ResNet`` at depth 10 (module docstring).

    Args:
        depth (int): 10, the only depth. Defaults to 10.
        zero_init_residual (bool): Start each block's last batch norm at
            0. Defaults to False (the official init).
        **kwargs: Passed to mmpretrain's ``ResNet`` (``out_indices``,
            ``frozen_stages``, ...).
    """

    arch_settings = {10: (BasicBlock, (1, 1, 1, 1))}

    def __init__(
        self, depth: int = 10, zero_init_residual: bool = False, **kwargs
    ) -> None:
        if depth != 10:
            raise ValueError(f'ResNet10 has depth 10, got depth={depth}')
        super().__init__(
            depth=depth, zero_init_residual=zero_init_residual, **kwargs
        )
