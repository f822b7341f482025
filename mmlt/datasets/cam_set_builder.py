"""Builds the CAM set: a long-tailed training set topped up, class by
class, with generated images whose foreground a random transform moved.

See :mod:`mmlt.datasets.transforms.foreground_transform` for the
transforms and :mod:`mmlt.models.class_activation_map` for the masks.
"""

from typing import Callable, Optional, Sequence

import numpy as np

from .transforms import FOREGROUND_TRANSFORMS, transform_foreground


def build_cam_set(
    images: np.ndarray,
    labels: np.ndarray,
    masks: np.ndarray,
    classes: Sequence[str],
    per_class: Optional[int] = None,
    rng: Optional[np.random.Generator] = None,
    progress: Optional[Callable[[], None]] = None,
    transforms: Sequence[str] = FOREGROUND_TRANSFORMS,
) -> dict:
    """Originals plus, for each class with fewer than ``per_class``
    images, enough generated ones to reach it.

    A class's generated images take its originals in turn (a random order,
    repeated as often as needed) and a random one of the foreground
    transforms each.

    Args:
        images (np.ndarray): Originals, (N, H, W, C) uint8.
        labels (np.ndarray): Their classes, (N,).
        masks (np.ndarray): Their foregrounds, (N, H, W) bool.
        classes (Sequence[str]): Class names; their number is C.
        per_class (int, optional): Images each class is topped up to.
            Defaults to ``ceil(N / C)``, a class's share of a
            class-balanced epoch.
        rng (np.random.Generator, optional): Defaults to seed 0.
        progress (callable, optional): Called once per generated image.
        transforms (Sequence[str]): The foreground transforms drawn from;
            defaults to all four of the paper.

    Returns:
        dict: ``img`` (M, H, W, C), ``gt_label`` (M,), ``generated`` (M,)
        bool, ``source`` (M,), the original each image comes from, ``kind``
        (M,), its transform ('' for originals), and ``classes`` (C,); the N
        originals come first, in their order.
    """
    labels = np.asarray(labels, dtype=np.int64)
    if not (len(images) == len(labels) == len(masks)):
        raise ValueError(
            f'images, labels and masks differ in length: {len(images)}, '
            f'{len(labels)}, {len(masks)}'
        )
    rng = rng or np.random.default_rng(0)
    num_classes = len(classes)
    counts = np.bincount(labels, minlength=num_classes)
    if per_class is None:
        per_class = -(-len(labels) // num_classes)
    if per_class < 1:
        raise ValueError(f'per_class must be >= 1, got {per_class}')
    unknown = set(transforms) - set(FOREGROUND_TRANSFORMS)
    if not transforms or unknown:
        raise ValueError(
            f'transforms must be a non-empty subset of '
            f'{FOREGROUND_TRANSFORMS}, got {list(transforms)}'
        )
    sources = []
    for c in np.flatnonzero((counts > 0) & (counts < per_class)):
        own = rng.permutation(np.flatnonzero(labels == c))
        sources.append(np.resize(own, per_class - counts[c]))
    sources = np.concatenate(sources) if sources else np.zeros(0, np.int64)
    kinds = rng.choice(list(transforms), len(sources))
    made = np.empty((len(sources),) + images.shape[1:], images.dtype)
    for i, (src, kind) in enumerate(zip(sources, kinds)):
        made[i] = transform_foreground(images[src], masks[src], kind, rng)[0]
        if progress is not None:
            progress()
    n = len(labels)
    return dict(
        img=np.concatenate([images, made]),
        gt_label=np.concatenate([labels, labels[sources]]),
        generated=np.arange(n + len(sources)) >= n,
        source=np.concatenate([np.arange(n), sources]),
        kind=np.concatenate([np.full(n, ''), kinds]).astype(str),
        classes=np.asarray(classes, dtype=str),
    )
