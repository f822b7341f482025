"""Finds the per-class training counts of any dataset a Runner builds."""

from typing import List

import numpy as np


def get_class_counts(dataset) -> List[int]:
    """Images per class in ``dataset``, class 0 first.

    mmlt's long-tailed datasets record their profile in the metainfo as
    ``train_class_counts``; other datasets are counted from their labels
    (``get_gt_labels``), with dataset wrappers unwrapped. The length is the
    number of classes in the metainfo when it names them, so classes without
    images show up as zeros.
    """
    metainfo = getattr(dataset, 'metainfo', None) or {}
    if 'train_class_counts' in metainfo:
        return [int(n) for n in metainfo['train_class_counts']]
    if hasattr(dataset, 'get_gt_labels'):
        labels = np.asarray(dataset.get_gt_labels(), dtype=np.int64)
        num_classes = len(metainfo.get('classes') or []) or (
            int(labels.max()) + 1 if labels.size else 0
        )
        return np.bincount(labels, minlength=num_classes).tolist()
    inner = getattr(dataset, 'dataset', None)
    if inner is not None:
        return get_class_counts(inner)
    raise TypeError(
        f'Cannot count the classes of {type(dataset).__name__}: it has no '
        "'train_class_counts' metainfo and no get_gt_labels(); give the "
        'class counts explicitly'
    )
