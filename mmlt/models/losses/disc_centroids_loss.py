"""OLTR's discriminative centroid loss on the direct features.

`Large-Scale Long-Tailed Recognition in an Open World
<https://arxiv.org/abs/1904.05160>`_ (Liu et al., CVPR 2019), as the
official code computes it (zhmiao/OpenLongTailRecognition-OLTR,
``loss/DiscCentroidsLoss.py``, weighted by its stage-2 config). With the
direct features ``f`` (N, D), their labels ``y`` and the class centroids
``c`` (C, D)::

    attract = sum_i ||f_i - c_{y_i}||^2 / (2 N)
    repel   = max(0, m - sum_{i, j != y_i} ||f_i - c_j||^2 / (N C))
    L = w (attract + r repel)              (m = 10, r = 0.01, w = 0.01)

The repelling mean divides by ``N C`` although the ``N`` own-class terms
are left out (set to 0), as the official code does.

Gradients: the features get the gradient of ``L``, and the centroids that
of ``w r repel``; from the attracting term, though, the centroids get
center loss's update (Wen et al., ECCV 2016) in place of a gradient:
class ``j``'s is ``sum_{i: y_i = j} (c_j - f_i) / (1 + n_j) / N``, with
``n_j`` its images in the batch, whatever the weight ``w`` (the official
backward ignores its incoming gradient). So the centroids move at their
own optimizer's rate (0.01 in the official config), not at ``w`` times
it. mmlt multiplies that update by the incoming gradient over ``w``: the
official value when nothing else scales the loss, and still right when
fp16 loss scaling or gradient accumulation does.
"""

import torch
import torch.nn as nn
from mmpretrain.registry import MODELS

from .mixed_target import at_least_float32


class _CentroidAttraction(torch.autograd.Function):
    """``sum_i ||f_i - c_{y_i}||^2 / (2 N)`` whose centroid gradient is
    center loss's update times ``grad_output * centroid_grad_scale``."""

    @staticmethod
    def forward(ctx, features, labels, centroids, centroid_grad_scale):
        ctx.save_for_backward(features, labels, centroids)
        ctx.centroid_grad_scale = centroid_grad_scale
        diff = features - centroids.index_select(0, labels)
        return diff.pow(2).sum() / (2 * features.size(0))

    @staticmethod
    def backward(ctx, grad_output):
        features, labels, centroids = ctx.saved_tensors
        n = features.size(0)
        toward_centroid = centroids.index_select(0, labels) - features
        grad_features = grad_centroids = None
        if ctx.needs_input_grad[0]:
            grad_features = -grad_output * toward_centroid / n
        if ctx.needs_input_grad[2]:
            in_batch = torch.ones_like(centroids[:, 0]).index_add_(
                0, labels, torch.ones_like(features[:, 0])
            )
            update = (
                torch.zeros_like(centroids).index_add_(
                    0, labels, toward_centroid
                )
                / in_batch[:, None]
            )
            grad_centroids = grad_output * ctx.centroid_grad_scale * update / n
        return grad_features, None, grad_centroids, None


def disc_centroids_loss(
    features: torch.Tensor,
    labels: torch.Tensor,
    centroids: torch.Tensor,
    margin: float = 10.0,
    repel_weight: float = 0.01,
    loss_weight: float = 0.01,
) -> torch.Tensor:
    """The weighted discriminative centroid loss ``L`` (module docstring).

    Args:
        features (torch.Tensor): ``f``, (N, D).
        labels (torch.Tensor): ``y``, (N,) class indices in [0, C).
        centroids (torch.Tensor): ``c``, (C, D).
        margin (float): ``m``. Defaults to 10.
        repel_weight (float): ``r``. Defaults to 0.01.
        loss_weight (float): ``w``. Defaults to 0.01.

    Returns:
        torch.Tensor: Scalar loss, float32 for half-precision features.
    """
    if features.ndim != 2 or centroids.ndim != 2:
        raise ValueError(
            'features must be (N, D) and centroids (C, D), got '
            f'{tuple(features.shape)} and {tuple(centroids.shape)}'
        )
    if features.size(1) != centroids.size(1):
        raise ValueError(
            f'features have {features.size(1)} dimensions but the '
            f'centroids {centroids.size(1)}'
        )
    num_classes = centroids.size(0)
    if labels.shape != features.shape[:1]:
        raise ValueError(
            f'labels must be ({features.size(0)},) class indices, got '
            f'shape {tuple(labels.shape)}'
        )
    if labels.numel() and not 0 <= labels.min() <= labels.max() < num_classes:
        raise ValueError(
            f'labels must be class indices in [0, {num_classes}), got '
            f'{labels.min().item()}..{labels.max().item()}'
        )
    f = at_least_float32(features)
    c = centroids.to(f.dtype)
    attract = _CentroidAttraction.apply(f, labels, c, 1.0 / loss_weight)
    sq_dist = (
        f.pow(2).sum(1, keepdim=True)
        + c.pow(2).sum(1)[None, :]
        - 2 * f @ c.t()
    )
    own = torch.zeros_like(sq_dist, dtype=torch.bool)
    own[torch.arange(f.size(0), device=f.device), labels] = True
    others = sq_dist.masked_fill(own, 0.0).sum() / sq_dist.numel()
    repel = torch.clamp(margin - others, min=0.0)
    return loss_weight * (attract + repel_weight * repel)


@MODELS.register_module()
class DiscCentroidsLoss(nn.Module):
    """OLTR's discriminative centroid loss (module docstring); called by
    ``MetaEmbeddingHead`` with its direct features, labels and centroids.

    Args:
        margin (float): ``m``, >= 0. Defaults to 10 (the official code's).
        repel_weight (float): ``r``, >= 0. Defaults to 0.01.
        loss_weight (float): ``w``, > 0: the feature loss's weight of the
            official stage-2 configs. Defaults to 0.01.
    """

    def __init__(
        self,
        margin: float = 10.0,
        repel_weight: float = 0.01,
        loss_weight: float = 0.01,
    ) -> None:
        super().__init__()
        for name, value in (
            ('margin', margin),
            ('repel_weight', repel_weight),
        ):
            if not value >= 0:
                raise ValueError(f'{name} must be >= 0, got {value}')
        if not loss_weight > 0:
            raise ValueError(f'loss_weight must be > 0, got {loss_weight}')
        self.margin = margin
        self.repel_weight = repel_weight
        self.loss_weight = loss_weight

    def forward(
        self,
        features: torch.Tensor,
        labels: torch.Tensor,
        centroids: torch.Tensor,
    ) -> torch.Tensor:
        return disc_centroids_loss(
            features,
            labels,
            centroids,
            self.margin,
            self.repel_weight,
            self.loss_weight,
        )
