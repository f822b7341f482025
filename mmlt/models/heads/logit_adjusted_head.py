"""Post-hoc logit adjustment of a linear classifier at test time.

`Long-tail learning via logit adjustment <https://arxiv.org/abs/2007.07314>`_
(Menon et al., ICLR 2021): a model trained with plain cross-entropy predicts
with ``z_j - tau * log pi_j``, ``pi`` the training class prior, which moves
decisions towards the rare classes. Training is unchanged.
"""

from typing import List, Optional, Sequence, Tuple

import torch
from mmpretrain.models.heads import LinearClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from mmlt.class_counts import check_counts, log_prior


@MODELS.register_module()
class LogitAdjustedLinearClsHead(LinearClsHead):
    """mmpretrain's linear head that subtracts ``tau * log prior`` when it
    predicts.

    The class counts come from ``SetClassCountsHook`` (from the training set
    when training; from the evaluated split's recorded training counts for a
    test-only run) unless given.

    Args:
        posthoc_tau (float): Adjustment strength, >= 0; 0 predicts as
            ``LinearClsHead``. Defaults to 1.
        class_counts (Sequence[int], optional): Training images per class;
            None until ``SetClassCountsHook`` sets them.
        **kwargs: Passed to ``LinearClsHead`` (num_classes, in_channels,
            loss, ...).
    """

    def __init__(
        self,
        posthoc_tau: float = 1.0,
        class_counts: Optional[Sequence[int]] = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if not posthoc_tau >= 0:
            raise ValueError(f'posthoc_tau must be >= 0, got {posthoc_tau}')
        self.posthoc_tau = posthoc_tau
        self.class_counts: Optional[list] = None
        self.register_buffer('log_prior', None, persistent=False)
        if class_counts is not None:
            self.set_class_counts(class_counts)

    def set_class_counts(self, class_counts: Sequence[int]) -> None:
        counts = check_counts(class_counts).tolist()
        if len(counts) != self.num_classes:
            raise ValueError(
                f'class_counts has {len(counts)} classes but the head has '
                f'num_classes={self.num_classes}'
            )
        self.class_counts = counts
        self.log_prior = log_prior(counts).to(self.fc.weight.device)

    def predict(
        self,
        feats: Tuple[torch.Tensor],
        data_samples: Optional[List[Optional[DataSample]]] = None,
    ) -> List[DataSample]:
        cls_score = self(feats)
        if self.posthoc_tau > 0:
            if self.log_prior is None:
                raise RuntimeError(
                    'LogitAdjustedLinearClsHead has no class counts: give '
                    "class_counts=[...], or run from mmlt's default runtime, "
                    'whose SetClassCountsHook sets them'
                )
            cls_score = cls_score - self.posthoc_tau * self.log_prior.to(
                cls_score
            )
        return self._get_predictions(cls_score, data_samples)
