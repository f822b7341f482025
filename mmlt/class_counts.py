"""Class counts: the training profile every long-tail method reads.

This module is the one home of the per-class training counts ``n_j``:

- where a dataset records them (:data:`METAINFO_KEY`, :func:`record_counts`)
  and where they are read back, from a dataset (:func:`dataset_counts`) or a
  Runner (:func:`runner_counts`);
- their validation (:func:`check_counts`);
- what is derived from them: shot groups (:func:`shot_groups`), per-class
  weights (:func:`class_weights` and its schemes) and the log prior
  (:func:`log_prior`);
- the interface of the modules that consume them (:class:`CountsConsumer`,
  :class:`WeightConsumer`), which ``SetClassCountsHook`` and ``DRWHook``
  iterate over (:func:`counts_consumers`, :func:`weight_consumers`).

Class-balanced weights follow `Class-Balanced Loss Based on Effective Number
of Samples <https://arxiv.org/abs/1901.05555>`_ (Cui et al., CVPR 2019); the
log prior is the one of logit adjustment (Menon et al., ICLR 2021).
"""

from typing import List, Optional, Protocol, Sequence, Union, runtime_checkable

import numpy as np
import torch

from .utils import unwrap_model

#: The metainfo key under which every split of an mmlt dataset records the
#: *training* counts, so that a test split knows each class's shot group.
METAINFO_KEY = 'train_class_counts'

#: Shot groups, from the most to the least frequent classes.
SHOT_GROUPS = ('many', 'medium', 'few')

#: Named per-class weighting schemes (:func:`class_weights`).
WEIGHTINGS = (
    'none',
    'inverse',
    'sqrt_inverse',
    'class_balanced',
    'cost_sensitive',
)


def _plain(value):
    """A numpy scalar as the Python number it holds, for messages."""
    return value.item() if isinstance(value, np.generic) else value


def check_counts(
    class_counts: Sequence[int], name: str = 'class_counts'
) -> np.ndarray:
    """The counts as an int64 array of shape (C,); raises unless every class
    has a whole count >= 1 and there are at least 2 classes.

    Args:
        class_counts (Sequence[int]): ``n_j``, shape (C,).
        name (str): The parameter's name, for the error.
    """
    try:
        counts = np.asarray(class_counts, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f'{name} must be a list of whole class counts, got '
            f'{class_counts!r}'
        ) from None
    if counts.ndim != 1 or counts.size < 2:
        raise ValueError(
            f'{name} must be a list of at least 2 class counts, got '
            f'{class_counts!r}'
        )
    bad = np.flatnonzero(~(counts >= 1) | (counts != np.round(counts)))
    if bad.size:
        raise ValueError(
            f'{name} must hold whole counts >= 1 (a class with no training '
            f'images has no margin, weight or prior): class {bad[0]} has '
            f'{_plain(counts[bad[0]])}'
        )
    return counts.astype(np.int64)


def record_counts(metainfo: dict, class_counts: Sequence[int]) -> None:
    """Records the training counts in a dataset's metainfo."""
    metainfo[METAINFO_KEY] = [int(n) for n in class_counts]


def recorded_counts(dataset_or_meta) -> Optional[List[int]]:
    """The training counts a dataset (or its metainfo dict) records, or None.

    Dataset wrappers (``dataset.dataset``) are looked through.
    """
    if isinstance(dataset_or_meta, dict):
        counts = dataset_or_meta.get(METAINFO_KEY)
        return None if counts is None else [int(n) for n in counts]
    counts = recorded_counts(getattr(dataset_or_meta, 'metainfo', None) or {})
    inner = getattr(dataset_or_meta, 'dataset', None)
    if counts is None and inner is not None:
        return recorded_counts(inner)
    return counts


def counts_summary(counts: Sequence[int]) -> str:
    """A profile of class counts in a few words, for messages."""
    return f'{len(counts)} classes, {min(counts)}..{max(counts)} images'


def dataset_counts(dataset) -> List[int]:
    """Images per class of a training set, class 0 first.

    The counts the dataset records (:func:`recorded_counts`) when it does;
    otherwise they are counted from its labels (``get_gt_labels``), with
    dataset wrappers looked through. The length is the number of classes the
    metainfo names, when it names them, so classes without images show up
    as zeros (and :func:`check_counts` refuses them).
    """
    counts = recorded_counts(dataset)
    if counts is not None:
        return counts
    if hasattr(dataset, 'get_gt_labels'):
        labels = np.asarray(dataset.get_gt_labels(), dtype=np.int64)
        metainfo = getattr(dataset, 'metainfo', None) or {}
        num_classes = len(metainfo.get('classes') or []) or (
            int(labels.max()) + 1 if labels.size else 0
        )
        return np.bincount(labels, minlength=num_classes).tolist()
    inner = getattr(dataset, 'dataset', None)
    if inner is not None:
        return dataset_counts(inner)
    raise TypeError(
        f'Cannot count the classes of {type(dataset).__name__}: it records '
        f"no '{METAINFO_KEY}' and has no get_gt_labels(); give the class "
        'counts explicitly'
    )


def runner_counts(
    runner, explicit: Optional[Sequence[int]] = None
) -> List[int]:
    """``explicit`` when given, else the counts of the runner's training set.

    Raises when their length disagrees with the head's ``num_classes``.
    """
    counts = (
        [int(n) for n in explicit]
        if explicit is not None
        else dataset_counts(runner.train_dataloader.dataset)
    )
    head = getattr(unwrap_model(runner.model), 'head', None)
    num_classes = getattr(head, 'num_classes', None)
    if num_classes is not None and len(counts) != num_classes:
        raise ValueError(
            f'the class counts have {len(counts)} classes but the head has '
            f'num_classes={num_classes}'
        )
    return counts


def shot_groups(
    class_counts: Sequence[int], many_thr: int = 100, few_thr: int = 20
) -> List[str]:
    """Shot group of each class from its training count.

    'many': more than ``many_thr`` images; 'few': fewer than ``few_thr``;
    'medium': the rest (``few_thr`` to ``many_thr`` inclusive).
    """
    if few_thr > many_thr:
        raise ValueError(
            f'few_thr ({few_thr}) must not exceed many_thr ({many_thr})'
        )
    return [
        'many' if n > many_thr else 'few' if n < few_thr else 'medium'
        for n in class_counts
    ]


def _as_weights(weights: np.ndarray) -> torch.Tensor:
    return torch.tensor(weights, dtype=torch.float32)


def class_balanced_weights(
    class_counts: Sequence[int], beta: float
) -> torch.Tensor:
    """Inverse effective numbers, normalised to sum to the number of classes.

    ``w_j = (1 - beta) / (1 - beta ** n_j)``, then ``w * C / sum(w)``;
    ``beta = 0`` gives uniform weights.

    Args:
        class_counts (Sequence[int]): ``n_j``, shape (C,).
        beta (float): In [0, 1).

    Returns:
        torch.Tensor: float32 weights, shape (C,).
    """
    if not 0 <= beta < 1:
        raise ValueError(f'beta must be in [0, 1), got {beta}')
    counts = check_counts(class_counts)
    weights = (1.0 - beta) / (1.0 - np.power(beta, counts, dtype=np.float64))
    return _as_weights(weights / weights.sum() * len(counts))


def inverse_frequency_weights(
    class_counts: Sequence[int], power: float = 1.0
) -> torch.Tensor:
    """``w_j ∝ n_j ** -power``, normalised to sum to C; shape (C,).

    ``power = 1`` is inverse frequency, ``0.5`` square-root inverse frequency.
    """
    counts = check_counts(class_counts).astype(np.float64)
    weights = counts**-power
    return _as_weights(weights / weights.sum() * len(counts))


def cost_sensitive_weights(class_counts: Sequence[int]) -> torch.Tensor:
    """Cost-sensitive CE (CS_CE) weights ``w_j = n_min / n_j``; shape (C,)."""
    counts = check_counts(class_counts).astype(np.float64)
    return _as_weights(counts.min() / counts)


def class_weights(
    class_counts: Sequence[int], weighting: str, beta: float = 0.9999
) -> Optional[torch.Tensor]:
    """Per-class weights of a named scheme, shape (C,) (None for 'none').

    Args:
        class_counts (Sequence[int]): ``n_j``, shape (C,).
        weighting (str): One of :data:`WEIGHTINGS`.
        beta (float): Effective-number beta for 'class_balanced'.
    """
    check_weighting(weighting)
    if weighting == 'none':
        return None
    if weighting == 'class_balanced':
        return class_balanced_weights(class_counts, beta)
    if weighting == 'cost_sensitive':
        return cost_sensitive_weights(class_counts)
    power = 1.0 if weighting == 'inverse' else 0.5
    return inverse_frequency_weights(class_counts, power)


def check_weighting(weighting: str) -> None:
    """Raises unless ``weighting`` is one of :data:`WEIGHTINGS`."""
    if weighting not in WEIGHTINGS:
        raise ValueError(
            f'weighting must be one of {WEIGHTINGS}, got {weighting!r}'
        )


def log_prior(class_counts: Sequence[int]) -> torch.Tensor:
    """``log(n_j / sum(n))``, float32, shape (C,)."""
    counts = torch.as_tensor(check_counts(class_counts), dtype=torch.float64)
    return (counts / counts.sum()).log().float()


@runtime_checkable
class CountsConsumer(Protocol):
    """A module that derives state from the training counts (LDAM's
    margins, a loss's weighting, a logit-adjusted head's prior).

    ``class_counts`` is None until counts are set; ``SetClassCountsHook``
    fills in those still None, so counts given in a config are kept.
    """

    class_counts: Optional[List[int]]

    def set_class_counts(self, class_counts: Sequence[int]) -> None: ...


@runtime_checkable
class WeightConsumer(Protocol):
    """A loss whose per-class weights a schedule may replace (``DRWHook``).

    ``weight_source`` names where the current weights came from ('none',
    'class_weight', 'weighting=...' or a hook's name), for the log.
    """

    weight_source: str

    def set_class_weight(
        self,
        weight: Optional[Union[Sequence[float], torch.Tensor]],
        source: str = 'schedule',
    ) -> None: ...


def counts_consumers(model) -> list:
    """The modules of ``model`` (unwrapped) that consume class counts, then
    the batch augments of its data preprocessor that do (Remix), which are
    not modules: ``data_preprocessor.batch_augments`` is None or a
    ``RandomBatchAugment`` whose ``augments`` may hold None."""
    model = unwrap_model(model)
    preprocessor = getattr(model, 'data_preprocessor', None)
    batch_augments = getattr(preprocessor, 'batch_augments', None)
    augments = getattr(batch_augments, 'augments', None) or []
    return [
        m
        for m in [*model.modules(), *augments]
        if isinstance(m, CountsConsumer)
    ]


def sampler_consumers(dataloader) -> list:
    """The sampler and batch sampler of ``dataloader`` that consume class
    counts (mmlt's samplers, which check counts rather than take them)."""
    samplers = (
        getattr(dataloader, 'sampler', None),
        getattr(dataloader, 'batch_sampler', None),
    )
    return [s for s in samplers if isinstance(s, CountsConsumer)]


def weight_consumers(model) -> list:
    """The modules of ``model`` (unwrapped) whose class weights switch."""
    return [
        m
        for m in unwrap_model(model).modules()
        if isinstance(m, WeightConsumer)
    ]
