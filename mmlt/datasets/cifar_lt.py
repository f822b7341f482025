"""CIFAR-10-LT and CIFAR-100-LT as built by the LDAM-DRW reference.

`Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss
<https://arxiv.org/abs/1906.07413>`_ (Cao et al., NeurIPS 2019). The training
split keeps, index for index, the images the reference generator selects
(see :mod:`mmlt.datasets.long_tail_profile`); the test split stays whole.
A 'val' split holds out up to 100 of each class's training images that
the selection left out (the largest class keeps all of its own, so has
none), for what must not be measured on the test split (LFME's expert
weights).
"""

import os.path as osp
from typing import List, Tuple

import numpy as np
from mmengine import dist
from mmpretrain.datasets import CIFAR10, CIFAR100
from mmpretrain.datasets.utils import check_md5, download_and_extract_archive
from mmpretrain.registry import DATASETS

from mmlt.class_counts import record_counts
from mmlt.serialization import (
    PickleRefused,
    Vocabulary,
    restricted_load,
    short_repr,
)
from mmlt.serialization.numpy_values import numpy_vocabulary

from .long_tail_base import LongTailMixin
from .long_tail_profile import (
    held_out_indices,
    long_tail_counts,
    reference_subset_indices,
)

ROW = 3 * 32 * 32  # a CIFAR row: the R, G and B planes of a 32x32 image
#: what a CIFAR batch may hold: dicts, lists, strings, numbers and plain
#: numeric numpy arrays (the official files are Python 2 pickles of those)
CIFAR_VOCABULARY = Vocabulary.union('a CIFAR batch', numpy_vocabulary())


def integral_labels(values, where: str, num_classes: int) -> np.ndarray:
    """``values`` as int64 labels; each must be an integer (not a string,
    bool or fraction) in ``[0, num_classes)``, or the error names
    ``where`` and the position."""
    if not isinstance(values, (list, tuple, np.ndarray)):
        raise ValueError(
            f'{where}: the labels are a {type(values).__name__}, not a list'
        )
    labels = np.empty(len(values), dtype=np.int64)
    for i, y in enumerate(values):
        ok = isinstance(y, (int, np.integer)) and not isinstance(
            y, (bool, np.bool_)
        )
        if not ok:
            raise ValueError(
                f'{where} row {i}: label {short_repr(y, 40)} is a '
                f'{type(y).__name__}, not an integer'
            )
        if not 0 <= y < num_classes:
            raise ValueError(
                f'{where} row {i}: label {int(y)} is outside '
                f'[0, {num_classes})'
            )
        labels[i] = y
    return labels


def read_cifar_batch(
    path: str, num_classes: int
) -> Tuple[np.ndarray, np.ndarray]:
    """The rows (N, 3072 uint8) and labels (N,) of one CIFAR python batch.

    Args:
        path (str): The batch file (a pickled dict with ``data`` and
            ``labels`` or ``fine_labels``).
        num_classes (int): Labels must be in ``[0, num_classes)``.

    The pickle is read with :func:`mmlt.serialization.restricted_load`: it
    may hold only dicts, lists, strings, numbers and plain numeric numpy
    arrays, so a file that asks for any other global (code to run) is
    refused, with ``verify_checksum=False`` too.

    Raises:
        ValueError: naming the file, for a file that is not a whole CIFAR
            pickle of plain data, data that is not (N, 3072) uint8,
            labels that are not integers in range, or as many labels as
            rows.
    """
    try:
        with open(path, 'rb') as f:
            # Python 2's strings as latin-1, as mmpretrain reads them
            entry = restricted_load(
                f.read(), CIFAR_VOCABULARY, encoding='latin1'
            )[0]
    except PickleRefused as e:
        raise ValueError(
            f'{path} is not a CIFAR pickle (cut short, another file, or '
            f'not plain data): {e}'
        ) from None
    except MemoryError:
        raise ValueError(f'{path} needs more memory than is free') from None
    keys = entry if isinstance(entry, dict) else {}
    key = next((k for k in ('labels', 'fine_labels') if k in keys), None)
    if 'data' not in keys or key is None:
        raise ValueError(
            f'{path} is not a CIFAR batch: it needs "data" and "labels" (or '
            '"fine_labels")'
        )
    data = np.asarray(entry['data'])
    if data.ndim == 4 and data.shape[1:] == (32, 32, 3):
        raise ValueError(
            f'{path}: data is stored as images {data.shape} (N, 32, 32, 3); '
            f'a CIFAR batch holds rows of {ROW} values, channel-major: '
            f'data.transpose(0, 3, 1, 2).reshape(len(data), {ROW})'
        )
    if data.ndim != 2 or data.shape[1] != ROW:
        raise ValueError(
            f'{path}: data has shape {data.shape}; a CIFAR batch holds rows '
            f'of {ROW} values (3x32x32), shape (N, {ROW})'
        )
    if data.dtype != np.uint8:
        raise ValueError(
            f'{path}: data is {data.dtype}; a CIFAR batch holds uint8 pixel '
            'values (0-255)'
        )
    labels = integral_labels(entry[key], f'{path} ({key})', num_classes)
    if len(labels) != len(data):
        raise ValueError(
            f'{path}: {len(data)} data rows but {len(labels)} {key}; every '
            'row needs its label (otherwise later images take the wrong one)'
        )
    return data, labels


class _CIFARLTMixin(LongTailMixin):
    """Long-tailed sub-sampling on top of mmpretrain's CIFAR loading."""

    def __init__(
        self,
        data_root: str = '',
        split: str = 'train',
        imb_type: str = 'exp',
        imb_factor: float = 0.01,
        seed: int = 0,
        val_per_class: int = 100,
        verify_checksum: bool = True,
        download: bool = False,
        **kwargs,
    ) -> None:
        self.set_profile(split, imb_type, imb_factor, seed, val_per_class)
        self._lt_split = split
        if not data_root:
            raise ValueError(
                f'{type(self).__name__}: data_root is required: '
                f'the folder that holds {self.base_folder}/'
            )
        self.verify_checksum = verify_checksum
        # mmpretrain's CIFAR knows 'train' and 'test'; 'val' is drawn from
        # the training files
        super().__init__(
            data_root=data_root,
            split='test' if split == 'test' else 'train',
            download=download,
            **kwargs,
        )
        self.split = split

    def _check_integrity(self) -> bool:
        """Raises with the file at fault instead of returning False.

        mmpretrain's version answers False for both a missing and a modified
        file and then suggests a download; here each case says what to do.
        mmpretrain asks twice per load; the md5 of ~180 MB is computed once.
        """
        if getattr(self, '_integrity_checked', False):
            return True
        folder = osp.join(self.data_prefix['root'], self.base_folder)
        if not osp.isdir(folder):
            if self.download:
                return False  # lets mmpretrain fetch the archive
            raise FileNotFoundError(
                f'{type(self).__name__}: data_root '
                f'{self.data_prefix["root"]!r} has no {self.base_folder}/ '
                f'folder; extract the official archive ({self.url}) there, '
                'or set download=True on the dataset to fetch it where a '
                'network is available (e.g. --cfg-options '
                'train_dataloader.dataset.download=True, and the same for '
                'val_dataloader and test_dataloader)'
            )
        for filename, md5 in self.train_list + self.test_list:
            path = osp.join(folder, filename)
            if not osp.exists(path):
                raise FileNotFoundError(
                    f'{type(self).__name__}: missing file {path}'
                )
            if self.verify_checksum and not check_md5(path, md5):
                raise ValueError(
                    f'{type(self).__name__}: {path} fails its md5 check, so '
                    'it is not the official CIFAR file. For CIFAR-format '
                    'files of your own, set verify_checksum=False'
                )
        self._integrity_checked = True
        return True

    def _read_split(self, file_list) -> Tuple[np.ndarray, np.ndarray]:
        """The images (N, 32, 32, 3) and labels (N,) of a split's files,
        each file checked by :func:`read_cifar_batch`."""
        folder = osp.join(self.data_prefix['root'], self.base_folder)
        parts = [
            read_cifar_batch(osp.join(folder, name), len(self.CLASSES))
            for name, _ in file_list
        ]
        data = np.concatenate([d for d, _ in parts])
        labels = np.concatenate([y for _, y in parts])
        return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), labels

    def load_data_list(self) -> List[dict]:
        if dist.is_main_process() and not self._check_integrity():
            download_and_extract_archive(
                self.url,
                self.data_prefix['root'],
                filename=self.filename,
                md5=self.tgz_md5,
            )
        dist.barrier()
        self._check_integrity()
        # mmpretrain set self.split to the files' split
        split = self._lt_split
        train = split != 'test'
        images, labels = self._read_split(
            self.train_list if train else self.test_list
        )
        train_labels = (
            labels if train else self._read_split(self.train_list)[1]
        )
        num_classes = len(self.CLASSES)
        # The reference takes n_max as the balanced set's size / C.
        n_max = len(train_labels) / num_classes
        counts = long_tail_counts(
            n_max, num_classes, self.imb_type, self.imb_factor
        )
        record_counts(self._metainfo, counts)
        keep = (
            reference_subset_indices(train_labels, counts, self.seed)
            if train
            else range(len(labels))
        )
        if split == 'val':
            keep = held_out_indices(labels, keep, self.val_per_class)
        return [dict(img=images[i], gt_label=int(labels[i])) for i in keep]


@DATASETS.register_module()
class CIFAR10LT(_CIFARLTMixin, CIFAR10):
    """Long-tailed CIFAR-10 (LDAM-DRW reference construction).

    Args:
        data_root (str): Folder holding ``cifar-10-batches-py/``.
        split (str): 'train' (long-tailed), 'val' (up to ``val_per_class``
            of each class's training images the selection left out; the
            largest class keeps all, so has none) or 'test' (whole,
            balanced).
        imb_type (str): Profile: 'exp', 'step' or 'none'. Defaults to 'exp'.
        imb_factor (float): ``n_min / n_max`` = 1 / imbalance ratio, in
            (0, 1]. Defaults to 0.01 (ratio 100).
        seed (int): Seed of the subset selection. Defaults to 0, the
            reference's.
        val_per_class (int): Most images a class gives the 'val' split.
            Defaults to 100.
        verify_checksum (bool): Check the official files' md5. Set False to
            load CIFAR-format files of your own (tests do). Defaults to True.
        download (bool): Download the archive when missing. Defaults to False.
        **kwargs: Passed to mmpretrain's ``CIFAR10``.
    """


@DATASETS.register_module()
class CIFAR100LT(_CIFARLTMixin, CIFAR100):
    """Long-tailed CIFAR-100 (LDAM-DRW reference construction).

    Args: as :class:`CIFAR10LT`, with ``data_root`` holding
    ``cifar-100-python/``.
    """
