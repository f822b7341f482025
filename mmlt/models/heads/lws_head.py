"""Learnable weight scaling (LWS) of a linear classifier.

`Decoupling Representation and Classifier for Long-Tailed Recognition
<https://arxiv.org/abs/1910.09217>`_ (Kang et al., ICLR 2020): in stage 2
the representation and the classifier's weights stay fixed and only a
scale ``f_j`` per class is learned, with class-balanced sampling; the
logits become ``f_j * (w_j . x + b_j)``.
"""

from typing import Tuple

import torch
import torch.nn as nn
from mmpretrain.models.heads import LinearClsHead
from mmpretrain.registry import MODELS


@MODELS.register_module()
class LWSLinearClsHead(LinearClsHead):
    """mmpretrain's linear head with a learnable scale per class.

    The scales start at 1, so a stage-1 ``LinearClsHead`` checkpoint loads
    into it unchanged (the missing ``scales`` are reported and kept at 1).
    Train them alone with ``ClassifierRetrainingHook(trainable=
    ['head.scales'], reinit=False)``.

    Args:
        **kwargs: Passed to ``LinearClsHead`` (num_classes, in_channels,
            loss, ...).
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scales = nn.Parameter(torch.ones(self.num_classes))

    def forward(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        return self.scales * super().forward(feats)
