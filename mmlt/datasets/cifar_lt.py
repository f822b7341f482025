"""CIFAR-10-LT and CIFAR-100-LT as built by the LDAM-DRW reference.

`Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss
<https://arxiv.org/abs/1906.07413>`_ (Cao et al., NeurIPS 2019). The training
split keeps, index for index, the images the reference generator selects
(see :mod:`mmlt.datasets.long_tail_profile`); the test split stays whole.
"""

import os.path as osp
import pickle
from typing import List

import numpy as np
from mmpretrain.datasets import CIFAR10, CIFAR100
from mmpretrain.datasets.utils import check_md5
from mmpretrain.registry import DATASETS

from mmlt.class_counts import record_counts

from .long_tail_base import LongTailMixin
from .long_tail_profile import (
    check_profile_args,
    long_tail_counts,
    reference_subset_indices,
)


class _CIFARLTMixin(LongTailMixin):
    """Long-tailed sub-sampling on top of mmpretrain's CIFAR loading."""

    def __init__(
        self,
        data_root: str = '',
        split: str = 'train',
        imb_type: str = 'exp',
        imb_factor: float = 0.01,
        seed: int = 0,
        verify_checksum: bool = True,
        download: bool = False,
        **kwargs,
    ) -> None:
        check_profile_args(imb_type, imb_factor)
        if not data_root:
            raise ValueError(
                f'{type(self).__name__}: data_root is required: '
                f'the folder that holds {self.base_folder}/'
            )
        self.imb_type = imb_type
        self.imb_factor = imb_factor
        self.seed = seed
        self.verify_checksum = verify_checksum
        super().__init__(
            data_root=data_root, split=split, download=download, **kwargs
        )

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
                f'folder; extract the official archive ({self.url}) there'
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

    def _read_labels(self, file_list) -> List[int]:
        labels: List[int] = []
        for filename, _ in file_list:
            path = osp.join(
                self.data_prefix['root'], self.base_folder, filename
            )
            with open(path, 'rb') as f:
                entry = pickle.load(f, encoding='latin1')
            labels.extend(
                entry['labels' if 'labels' in entry else 'fine_labels']
            )
        return labels

    def load_data_list(self) -> List[dict]:
        folder = osp.join(self.data_prefix['root'], self.base_folder)
        try:
            data_list = super().load_data_list()
        except (pickle.UnpicklingError, EOFError, KeyError) as e:
            raise ValueError(
                f'{type(self).__name__}: a file in {folder} is not a CIFAR '
                f'pickle ({type(e).__name__}: {e})'
            ) from e
        if self.split == 'train':
            train_labels = [d['gt_label'] for d in data_list]
        else:
            train_labels = self._read_labels(self.train_list)
        num_classes = len(self.CLASSES)
        labels = set(train_labels) | {d['gt_label'] for d in data_list}
        bad = sorted(y for y in labels if not 0 <= y < num_classes)
        if bad:
            raise ValueError(
                f'{type(self).__name__}: label {bad[0]} is '
                f'outside [0, {num_classes})'
            )
        # The reference takes n_max as the balanced set's size / C.
        n_max = len(train_labels) / num_classes
        counts = long_tail_counts(
            n_max, num_classes, self.imb_type, self.imb_factor
        )
        record_counts(self._metainfo, counts)
        if self.split != 'train':
            return data_list
        keep = reference_subset_indices(
            np.asarray(train_labels), counts, self.seed
        )
        return [data_list[i] for i in keep]


@DATASETS.register_module()
class CIFAR10LT(_CIFARLTMixin, CIFAR10):
    """Long-tailed CIFAR-10 (LDAM-DRW reference construction).

    Args:
        data_root (str): Folder holding ``cifar-10-batches-py/``.
        split (str): 'train' (long-tailed) or 'test' (whole, balanced).
        imb_type (str): Profile: 'exp', 'step' or 'none'. Defaults to 'exp'.
        imb_factor (float): ``n_min / n_max`` = 1 / imbalance ratio, in
            (0, 1]. Defaults to 0.01 (ratio 100).
        seed (int): Seed of the subset selection. Defaults to 0, the
            reference's.
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
