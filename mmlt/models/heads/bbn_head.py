"""BBN's classifier: one linear classifier a branch, outputs mixed by α.

`BBN: Bilateral-Branch Network with Cumulative Learning for Long-Tailed
Visual Recognition <https://arxiv.org/abs/1912.02413>`_ (Zhou et al., CVPR
2020), eq. (3)-(4): ``z = α W_cᵀ f_c + (1 − α) W_rᵀ f_r`` and the loss
``α E(softmax z, y_c) + (1 − α) E(softmax z, y_r)``, where ``f_c, y_c``
come from the conventional (instance-sampled) branch and ``f_r, y_r`` from
the re-balancing (reversed-sampled) one. At test time both branches see the
same image and weigh 0.5.

The paper's code (Megvii-Nanjing/BBN) computes the same function with one
linear layer over ``2 [α f_c, (1 − α) f_r]`` (one bias, outputs doubled);
here each branch has its own ``nn.Linear`` (with bias), so each branch's
classifier can be read on its own (:meth:`BBNHead.branch_logits`).
"""

from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmpretrain.models.heads import ClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

#: The weight of each branch at test time.
TEST_ALPHA = 0.5


def check_alpha(alpha) -> float:
    if alpha is None:
        raise ValueError(
            "BBN's alpha is not set: add dict(type='CumulativeLearningHook') "
            'to custom_hooks, which sets it every epoch'
        )
    if not 0 <= alpha <= 1:
        raise ValueError(f'alpha must be in [0, 1], got {alpha}')
    return float(alpha)


@MODELS.register_module()
class BBNHead(ClsHead):
    """Two linear classifiers, ``fc_conventional`` and ``fc_rebalancing``,
    whose outputs are mixed by α.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Channels of each branch's feature.
        loss (dict): The loss ``E`` of both terms. Defaults to
            ``CrossEntropyLoss``.
        init_cfg (dict, optional): Defaults to ``LinearClsHead``'s, normal
            weights with std 0.01.
        **kwargs: ``ClsHead``'s (``topk``, ``cal_acc``).
    """

    def __init__(
        self,
        num_classes: int,
        in_channels: int,
        loss: dict = dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg: Optional[dict] = dict(
            type='Normal', layer='Linear', std=0.01
        ),
        **kwargs,
    ) -> None:
        if kwargs.get('cal_acc'):
            raise ValueError(
                'cal_acc=True is not supported: a BBN batch has two label sets'
            )
        super().__init__(loss=loss, init_cfg=init_cfg, **kwargs)
        if num_classes <= 0:
            raise ValueError(f'num_classes must be >= 1, got {num_classes}')
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.fc_conventional = nn.Linear(in_channels, num_classes)
        self.fc_rebalancing = nn.Linear(in_channels, num_classes)

    def branch_logits(
        self, feats: Sequence[torch.Tensor]
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """``(W_cᵀ f_c, W_rᵀ f_r)`` of the features ``(f_c, f_r)``, each
        (N, num_classes)."""
        f_c, f_r = feats
        return self.fc_conventional(f_c), self.fc_rebalancing(f_r)

    def forward(
        self, feats: Sequence[torch.Tensor], alpha: float = TEST_ALPHA
    ) -> torch.Tensor:
        """``z = α W_cᵀ f_c + (1 − α) W_rᵀ f_r``, (N, num_classes)."""
        alpha = check_alpha(alpha)
        z_c, z_r = self.branch_logits(feats)
        return alpha * z_c + (1 - alpha) * z_r

    def loss(
        self,
        feats: Sequence[torch.Tensor],
        data_samples: List[DataSample],
        alpha: Optional[float] = None,
        rebalancing_samples: Optional[List[DataSample]] = None,
    ) -> dict:
        """``α E(z, y_c) + (1 − α) E(z, y_r)``.

        Args:
            feats: ``(f_c, f_r)``, each (N, in_channels): the conventional
                branch's features of one batch and the re-balancing
                branch's of another.
            data_samples: The conventional batch's samples (``y_c``).
            alpha (float): The cumulative-learning weight, in [0, 1].
            rebalancing_samples: The re-balancing batch's samples
                (``y_r``), as many as ``data_samples``.
        """
        alpha = check_alpha(alpha)
        if rebalancing_samples is None or len(rebalancing_samples) != len(
            data_samples
        ):
            raise ValueError(
                'BBNHead.loss needs rebalancing_samples, one for each of '
                'data_samples'
            )
        z = self(feats, alpha)

        def term(samples):
            target = torch.cat([s.gt_label for s in samples]).to(z.device)
            return self.loss_module(z, target, avg_factor=z.size(0))

        loss = alpha * term(data_samples)
        return dict(loss=loss + (1 - alpha) * term(rebalancing_samples))

    def predict(
        self,
        feats: Sequence[torch.Tensor],
        data_samples: Optional[List[Optional[DataSample]]] = None,
    ) -> List[DataSample]:
        """Predictions from both branches of the same images, weighted
        0.5 each."""
        return self._get_predictions(self(feats, TEST_ALPHA), data_samples)
