"""Remix: mixup whose labels favour the rarer class of each pair.

`Remix: Rebalanced Mixup <https://arxiv.org/abs/2007.03943>`_ (Chou et
al., ECCV 2020 Workshops) mixes images as mixup does, ``lam * x_a + (1 -
lam) * x_b``, but when class ``a`` has at least ``kappa`` times the images
of ``b`` and its share ``lam`` is below ``tau``, the whole label goes to
``b`` (and symmetrically).

The Bag of Tricks port (zhangyongshun/BagofTricks-LT,
``lib/core/combiner.py``) multiplies its per-row weights by batch-mean
cross-entropies, which in effect averages the label weights over the batch.
mmlt applies them per sample, as the paper does: row ``i`` is scored
``lam_i * onehot(a_i) + (1 - lam_i) * onehot(b_i)``, which every mmlt loss
reads as a two-class mixture.
"""

from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmpretrain.registry import BATCH_AUGMENTS
from torch import Tensor

from mmlt.class_counts import check_counts


def remix_label_weights(
    lam: float, counts_a: Tensor, counts_b: Tensor, kappa=3.0, tau=0.5
) -> Tensor:
    """Remix's label mass on each row's own class.

    Args:
        lam (float): The batch's mixing ratio, the image share of ``a``.
        counts_a (Tensor): (N,) training images of each row's class ``a``.
        counts_b (Tensor): (N,) those of the class ``b`` mixed into it.
        kappa (float): Count ratio from which a class is the pair's head
            (``>=``: a ratio of exactly ``kappa`` counts).
        tau (float): Share below which a head class loses its label.

    Returns:
        Tensor: float32 ``lam_i``, shape (N,), on the counts' device: 0
        where ``n_a / n_b >= kappa`` and ``lam < tau``, 1 where ``n_b / n_a
        >= kappa`` and ``1 - lam < tau``, ``lam`` elsewhere.
    """
    # float64 division, so that a ratio written as kappa (11 / 10 for
    # kappa=1.1) compares equal to it rather than a rounding off
    n_a, n_b = counts_a.double(), counts_b.double()
    to_b = (n_a / n_b >= kappa) & (lam < tau)
    to_a = (n_b / n_a >= kappa) & (1 - lam < tau)
    lam_i = torch.full_like(n_a, lam, dtype=torch.float32)
    return lam_i.masked_fill(to_b, 0.0).masked_fill(to_a, 1.0)


@BATCH_AUGMENTS.register_module()
class Remix:
    """Remix batch augmentation, beside mmpretrain's ``Mixup``; a
    :class:`~mmlt.class_counts.CountsConsumer`, like mmlt's losses.

    Args:
        alpha (float): Beta(alpha, alpha) draws the batch's ``lam``; > 0.
        kappa (float): Count ratio making a class a pair's head; > 1.
        tau (float): Image share below which the head class's label goes
            to the tail class; in [0, 1].
        class_counts (Sequence[int], optional): Training images per class;
            None until ``SetClassCountsHook`` sets them.
    """

    def __init__(
        self,
        alpha: float = 1.0,
        kappa: float = 3.0,
        tau: float = 0.5,
        class_counts: Optional[Sequence[int]] = None,
    ) -> None:
        if not alpha > 0:
            raise ValueError(f'alpha must be > 0, got {alpha}')
        if not kappa > 1:
            raise ValueError(f'kappa must be > 1, got {kappa}')
        if not 0 <= tau <= 1:
            raise ValueError(f'tau must be in [0, 1], got {tau}')
        self.alpha, self.kappa, self.tau = alpha, kappa, tau
        self.class_counts: Optional[List[int]] = None
        if class_counts is not None:
            self.set_class_counts(class_counts)

    def set_class_counts(self, class_counts: Sequence[int]) -> None:
        self.class_counts = check_counts(class_counts).tolist()

    def _labels(self, scores: Tensor) -> Tensor:
        # Remix mixes the labels itself: soft rows (label smoothing, a
        # mixing augment before it) have no one class to look up
        if self.class_counts is None:
            raise RuntimeError(
                'Remix needs the training class counts: give class_counts, '
                "or train from mmlt's default runtime, whose "
                'SetClassCountsHook sets them'
            )
        if scores.ndim != 2 or scores.size(1) != len(self.class_counts):
            raise ValueError(
                f'class_counts has {len(self.class_counts)} classes but the '
                f'batch scores have shape {tuple(scores.shape)}'
            )
        binary = ((scores == 0) | (scores == 1)).all(dim=1)
        if not (binary & (scores.sum(dim=1) == 1)).all():
            raise ValueError(
                'Remix takes one-hot batch scores; got soft ones (label '
                'smoothing, or a mixing augment before it)'
            )
        return scores.argmax(dim=1)

    def mix(
        self, batch_inputs: Tensor, batch_scores: Tensor
    ) -> Tuple[Tensor, Tensor]:
        """The inputs mixed by one ``lam``, each score row by its weight.

        Args:
            batch_inputs (Tensor): (N, C, H, W) images.
            batch_scores (Tensor): (N, num_classes) one-hot float labels.
        """
        labels = self._labels(batch_scores)
        counts = torch.as_tensor(self.class_counts, device=labels.device)
        # drawn as mmpretrain's Mixup draws them: a seed gives both the
        # same lam and pairs
        lam = float(np.random.beta(self.alpha, self.alpha))
        index = torch.randperm(batch_inputs.size(0))
        lam_i = remix_label_weights(
            lam, counts[labels], counts[labels[index]], self.kappa, self.tau
        ).to(batch_scores.dtype)[:, None]
        mixed_inputs = lam * batch_inputs + (1 - lam) * batch_inputs[index]
        mixed_scores = lam_i * batch_scores + (1 - lam_i) * batch_scores[index]
        return mixed_inputs, mixed_scores

    def __call__(
        self, batch_inputs: Tensor, batch_score: Tensor
    ) -> Tuple[Tensor, Tensor]:
        """Mix the batch inputs and one-hot batch scores."""
        return self.mix(batch_inputs, batch_score.float())
