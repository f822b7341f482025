"""Softmax equalization loss (SEQL).

`Equalization Loss for Long-Tailed Object Recognition
<https://arxiv.org/abs/2003.05176>`_ (Tan et al., CVPR 2020), the softmax
form Bag of Tricks ports (zhangyongshun/BagofTricks-LT,
``lib/loss/loss_impl/equalization_loss.py``): ``p_y = e^{z_y} / sum_k w_k
e^{z_k}`` with ``w_k = 1 - beta_k T(n_k) (1 - y_k)``: a rare class's logit
(``T(n_k) = 1`` when ``n_k / N < threshold``) leaves the denominator of a
row whose label it is not, with probability ``gamma`` per element
(``beta_k ~ Bernoulli(gamma)``), so the rare classes get fewer
discouraging gradients from the frequent classes' images.

Where mmlt differs from the port, on purpose:

- the loss is ``logsumexp`` over the kept logits minus ``z_y``, where the
  port divides ``exp(z)`` by a sum of ``exp(z)`` and overflows to NaN for
  logits above 88 (float32);
- the draws come from a generator seeded by (seed, epoch, iteration)
  (``TrainStepHook``), so a resumed run draws the masks an uninterrupted
  one does; the port draws from torch's global generator on the CPU.
"""

from typing import Optional

import torch
from mmpretrain.registry import MODELS

from mmlt.class_counts import check_counts
from mmlt.train_step import TrainStepState, step_seed

from .class_weighted_loss import ClassWeightedLoss
from .mixed_target import at_least_float32
from .softmax_target_loss import weighted_mean


def check_threshold(threshold: float) -> None:
    """Raises unless ``threshold`` is in (0, 1)."""
    if not 0 < threshold < 1:
        raise ValueError(f'threshold must be in (0, 1), got {threshold}')


def rare_classes(class_counts, threshold: float) -> torch.Tensor:
    """``T(n_k) = n_k / N < threshold``, bool, shape (C,)."""
    check_threshold(threshold)
    counts = torch.as_tensor(check_counts(class_counts), dtype=torch.float64)
    return counts / counts.sum() < threshold


def softmax_eql_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    rare: torch.Tensor,
    draws: torch.Tensor,
    class_weight: Optional[torch.Tensor] = None,
    sample_weight: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """``-z_y + log sum_{k kept} e^{z_k}``, averaged.

    Args:
        logits (torch.Tensor): Shape (N, C); half precision is computed in
            float32.
        target (torch.Tensor): Class indices, shape (N,).
        rare (torch.Tensor): ``T(n_k)``, bool, shape (C,).
        draws (torch.Tensor): ``beta``, bool, shape (N, C): where a rare
            negative class is dropped.
        class_weight (torch.Tensor, optional): Per-class weights, shape
            (C,); the mean is weighted by them (none in the port).
        sample_weight (torch.Tensor, optional): Per-row masses, shape (N,)
            (mixup's), weighting the mean like ``class_weight``.

    Returns:
        torch.Tensor: Scalar loss.
    """
    x = at_least_float32(logits)
    if draws.shape != x.shape or rare.shape != x.shape[1:]:
        raise ValueError(
            f'draws must have the logits shape {tuple(x.shape)} and rare '
            f'({x.size(1)},), got {tuple(draws.shape)} and '
            f'{tuple(rare.shape)}'
        )
    dropped = draws & rare
    # the row's own class is never dropped: the sum is never empty
    dropped[torch.arange(x.size(0), device=x.device), target] = False
    kept = x.masked_fill(dropped, float('-inf'))
    per_row = kept.logsumexp(dim=1) - x.gather(1, target[:, None]).squeeze(1)
    return weighted_mean(per_row, target, class_weight, sample_weight)


@MODELS.register_module()
class SoftmaxEQLLoss(ClassWeightedLoss):
    """Softmax equalization loss; the rare classes come from the counts.

    Every call draws a fresh mask from a generator that
    ``set_train_step`` seeds (``TrainStepHook`` calls it before each
    training step), so the masks are a function of (seed, epoch,
    iteration). A row of mixed labels counts as one row per label class
    (:mod:`mmlt.models.losses.mixed_target`), each keeping its own class.

    Args:
        threshold (float): ``lambda``: a class is rare when its share of
            the training images is below it; in (0, 1). Defaults to 0.005
            (Bag of Tricks' CIFAR-100-LT value; 0.05 on CIFAR-10-LT).
        gamma (float): Probability of dropping a rare negative, in [0, 1].
            Defaults to 0.9 (Bag of Tricks').
        **kwargs: ``class_counts``, ``weighting``, ``beta``,
            ``class_weight``, ``loss_weight``, as
            :class:`~mmlt.models.losses.ClassWeightedLoss`.
    """

    uses_counts = True

    def __init__(
        self, threshold: float = 0.005, gamma: float = 0.9, **kwargs
    ) -> None:
        check_threshold(threshold)
        if not 0 <= gamma <= 1:
            raise ValueError(f'gamma must be in [0, 1], got {gamma}')
        super().__init__(**kwargs)
        self.threshold = threshold
        self.gamma = gamma
        self.train_step = TrainStepState(type(self).__name__)
        self._generators = {}

    def set_train_step(self, seed: int, epoch: int, iteration: int) -> None:
        """Seeds the masks of this step."""
        self.train_step.set(seed, epoch, iteration)
        self._generators.clear()

    def _generator(self, device: torch.device) -> torch.Generator:
        generator = self._generators.get(device)
        if generator is None:
            self.train_step.require('draws a random mask every step')
            step = self.train_step
            generator = torch.Generator(device).manual_seed(
                step_seed(step.seed, step.epoch, step.iteration)
            )
            self._generators[device] = generator
        return generator

    def compute(
        self,
        logits: torch.Tensor,
        target: torch.Tensor,
        mass: Optional[torch.Tensor],
    ) -> torch.Tensor:
        rare = self.derived(
            'rare', lambda c: rare_classes(c, self.threshold), logits.device
        )
        uniform = torch.rand(
            logits.shape,
            generator=self._generator(logits.device),
            device=logits.device,
        )
        return softmax_eql_loss(
            logits,
            target,
            rare=rare,
            draws=uniform < self.gamma,
            class_weight=self.active_class_weight(logits.device),
            sample_weight=mass,
        )
