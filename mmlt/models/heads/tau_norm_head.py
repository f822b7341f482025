"""τ-normalised classifier: post-hoc rescaling of a linear head's weights.

`Decoupling Representation and Classifier for Long-Tailed Recognition
<https://arxiv.org/abs/1910.09217>`_ (Kang et al., ICLR 2020): the weight
vectors of a classifier trained on long-tailed data have norms that grow
with their class's size; predicting with ``w_j / ||w_j|| ** tau`` evens
them out. ``tau = 0`` is the plain classifier, ``tau = 1`` divides by the
norm.
"""

from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from mmpretrain.models.heads import LinearClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample


def tau_normalised_weight(weight: torch.Tensor, tau: float) -> torch.Tensor:
    """``w_j / ||w_j|| ** tau`` for each row ``w_j`` of a (C, D) weight."""
    norms = weight.norm(dim=1, keepdim=True).clamp(min=1e-12)
    return weight / norms.pow(tau)


@MODELS.register_module()
class TauNormLinearClsHead(LinearClsHead):
    """mmpretrain's linear head that predicts with τ-normalised weights.

    It trains, and loads checkpoints, as ``LinearClsHead``: τ-norm is
    applied to a stage-1 checkpoint at test time (``tools/tau_norm.py``
    sweeps ``tau`` on a validation split). The bias is kept as it is.

    Args:
        tau (float): Normalisation strength, >= 0. Defaults to 1.
        **kwargs: Passed to ``LinearClsHead`` (num_classes, in_channels,
            loss, ...).
    """

    def __init__(self, tau: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        if not tau >= 0:
            raise ValueError(f'tau must be >= 0, got {tau}')
        self.tau = tau

    def predict(
        self,
        feats: Tuple[torch.Tensor],
        data_samples: Optional[List[Optional[DataSample]]] = None,
    ) -> List[DataSample]:
        weight = tau_normalised_weight(self.fc.weight, self.tau)
        cls_score = F.linear(self.pre_logits(feats), weight, self.fc.bias)
        return self._get_predictions(cls_score, data_samples)
