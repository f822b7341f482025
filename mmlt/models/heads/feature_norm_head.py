"""A linear head that hands its feature's L1 norm to the loss.

The influence-balanced loss (:class:`~mmlt.models.InfluenceBalancedLoss`)
divides each image's loss by ``||h||_1``, the norm of the pooled feature
the classifier sees (pseulki/IB-Loss's ResNet returns it beside the
logits). mmpretrain's ``ClsHead.loss`` passes its keyword arguments on to
the loss module, which is how this head hands it over.
"""

from typing import List, Tuple

import torch
from mmpretrain.models.heads import LinearClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample


@MODELS.register_module()
class FeatureNormLinearClsHead(LinearClsHead):
    """mmpretrain's linear head that, in training, passes
    ``feature_norm=||h||_1`` (shape (N,), differentiable) to a loss whose
    ``takes_feature_norm`` is True; any other loss gets what
    ``LinearClsHead`` gives it, and prediction is unchanged.

    Args:
        **kwargs: Passed to ``LinearClsHead`` (num_classes, in_channels,
            loss, ...).
    """

    def loss(
        self,
        feats: Tuple[torch.Tensor],
        data_samples: List[DataSample],
        **kwargs,
    ) -> dict:
        if not getattr(self.loss_module, 'takes_feature_norm', False):
            return super().loss(feats, data_samples, **kwargs)
        pre_logits = self.pre_logits(feats)
        cls_score = self.fc(pre_logits)
        feature_norm = pre_logits.flatten(1).abs().sum(dim=1)
        return self._get_loss(
            cls_score, data_samples, feature_norm=feature_norm, **kwargs
        )
