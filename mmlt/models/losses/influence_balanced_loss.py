"""Influence-balanced loss (IB).

`Influence-Balanced Loss for Imbalanced Visual Classification
<https://arxiv.org/abs/2110.02444>`_ (Park et al., ICCV 2021; official code
pseulki/IB-Loss, ``losses.py`` and ``cifar_train.py``): each image's
class-weighted cross-entropy is divided by an estimate of its influence
on the decision boundary, ``||softmax(z) - onehot(y)||_1 * ||h||_1``, with
``h`` the pooled feature the classifier sees:

    l_i = w_{y_i} CE(z_i, y_i) * alpha / (||p_i - onehot(y_i)||_1 ||h_i||_1
          + 1e-3)

averaged over the batch (a plain mean: not divided by the weights' sum,
as the official code does). The weights default to inverse frequency
normalised to sum to C (the official ``IBReweight``). The official recipe
trains plain cross-entropy until epoch 100 of 200 (``start_epoch``) and
drops the learning rate 100-fold there (``configs/ib_loss``).

As in the official code, the influence factor is not detached: the
gradient flows through ``p`` and through ``||h||_1`` into the backbone.
The feature norm comes from the head (:class:`FeatureNormLinearClsHead`).
"""

from typing import Optional

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from .class_weighted_loss import ClassWeightedLoss
from .deferred_start import DeferredStart
from .mixed_target import at_least_float32

EPSILON = 1e-3


def check_feature_norm(feature_norm: torch.Tensor, rows: int) -> None:
    """Raises unless ``feature_norm`` has shape (rows,)."""
    if feature_norm.shape != (rows,):
        raise ValueError(
            f'feature_norm must have shape ({rows},), one L1 norm a row of '
            f'the logits, got {tuple(feature_norm.shape)}'
        )


def influence_balanced_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    feature_norm: torch.Tensor,
    *,
    alpha: float,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """The influence-balanced loss of a batch.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        feature_norm (torch.Tensor): ``||h_i||_1``, shape (N,); the
            gradient flows through it.
        alpha (float): Scale of the influence factor, > 0.
        class_weight (torch.Tensor, optional): ``w``, shape (C,).
        sample_weight (torch.Tensor, optional): Per-row masses ``m``, shape
            (N,) (mixup's): the loss is ``sum m_i l_i / sum m_i``.

    Returns:
        torch.Tensor: Scalar loss.
    """
    check_feature_norm(feature_norm, target.numel())
    x = at_least_float32(logits)
    onehot = F.one_hot(target, x.size(1)).to(x.dtype)
    gradient_norm = (x.softmax(dim=1) - onehot).abs().sum(dim=1)
    influence = gradient_norm * feature_norm.to(x.dtype)
    weight = None if class_weight is None else class_weight.to(x.dtype)
    ce = F.cross_entropy(x, target, weight=weight, reduction='none')
    per_row = ce * (alpha / (influence + EPSILON))
    if sample_weight is None:
        return per_row.mean()
    m = sample_weight.to(x.dtype)
    return (m * per_row).sum() / m.sum()


@MODELS.register_module()
class InfluenceBalancedLoss(DeferredStart, ClassWeightedLoss):
    """Influence-balanced loss; plain cross-entropy before ``start_epoch``.

    It needs the feature's L1 norm, which :class:`FeatureNormLinearClsHead`
    hands it (``feature_norm=``, shape (N,)); ``takes_feature_norm`` tells
    the head so.

    Args:
        alpha (float): Scale of the influence factor, > 0. Defaults to
            1000, the official recipe's.
        start_epoch (int): First epoch (0-based) of the IB loss; plain
            cross-entropy before it. Defaults to 0; the official CIFAR
            recipe uses 100 of 200.
        weighting (str, optional): Class weights from the counts. None
            (the default) is 'inverse' (``1 / n_j``, summing to C, the
            official), or 'none' when ``class_weight`` is given.
        **kwargs: ``class_counts``, ``beta``, ``class_weight``,
            ``loss_weight``, as :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    takes_feature_norm = True

    def __init__(
        self,
        alpha: float = 1000.0,
        start_epoch: int = 0,
        weighting: Optional[str] = None,
        **kwargs,
    ) -> None:
        if not alpha > 0:
            raise ValueError(f'alpha must be > 0, got {alpha}')
        if weighting is None:
            explicit = kwargs.get('class_weight') is not None
            weighting = 'none' if explicit else 'inverse'
        super().__init__(weighting=weighting, **kwargs)
        self.alpha = alpha
        self.init_start(start_epoch)
        self._feature_norm: Optional[torch.Tensor] = None

    def forward(
        self,
        cls_score: torch.Tensor,
        label: torch.Tensor,
        feature_norm: Optional[torch.Tensor] = None,
        **kwargs,
    ) -> torch.Tensor:
        """As :meth:`ClassWeightedLoss.forward`, with ``feature_norm``
        (shape (N,)) from the head."""
        if feature_norm is None:
            raise ValueError(
                'InfluenceBalancedLoss needs feature_norm, the L1 norm of '
                "each image's feature: use the head type="
                "'FeatureNormLinearClsHead', which hands it to the loss"
            )
        # checked here too: before start_epoch the formula does not run
        check_feature_norm(feature_norm, cls_score.size(0))
        self._feature_norm = feature_norm
        try:
            return super().forward(cls_score, label, **kwargs)
        finally:
            self._feature_norm = None

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        if not self.started:
            return self.warmup_cross_entropy(logits, target, mass)
        feature_norm = self._feature_norm
        if target.numel() == 2 * feature_norm.numel():
            # mixed labels: each row once per label class (mixed_target)
            feature_norm = torch.cat([feature_norm, feature_norm])
        return influence_balanced_loss(
            logits,
            target,
            feature_norm,
            alpha=self.alpha,
            class_weight=self.active_class_weight(logits.device),
            sample_weight=mass,
        )
