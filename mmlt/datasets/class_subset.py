"""Some classes of a long-tailed split, relabelled 0..K-1 in class order.

The base of :class:`ShotSubset` (LFME's experts: one shot group's classes)
and :class:`OpenSetSplit` (OLTR's open set: some classes held out of
training, their test images labelled -1). The subset's metainfo names its
classes and records their *training* counts, so that a model trained on
it records its data, and a test split of it takes its shot groups from
the training counts.
"""

import copy
from typing import Any, List, Sequence

import numpy as np

from mmlt.class_counts import record_counts, recorded_counts
from mmlt.utils import UNKNOWN_LABEL


def training_counts(full, wrapper: str) -> List[int]:
    """The training counts ``full`` records, which a subset's classes and
    its recorded counts come from; ``wrapper`` names the subset in the
    error when there are none."""
    counts = recorded_counts(full)
    if counts is None:
        raise ValueError(
            f'{wrapper}: {type(full).__name__} records no training class '
            'counts, which its classes come from'
        )
    return counts


class ClassSubset:
    """The images of ``classes`` of a split (and, with ``keep_others``,
    the others labelled -1), labelled by their rank in ``classes``.

    The metainfo's ``subset_classes`` lists the classes' indices in the
    whole data set.

    Args:
        full: The built split; it must record its training counts.
        classes (Sequence[int]): Ascending, distinct classes of it.
        keep_others (bool): Keep the other classes' images, labelled -1.
    """

    def __init__(
        self, full, classes: Sequence[int], keep_others: bool = False
    ) -> None:
        name = type(self).__name__
        train_counts = training_counts(full, name)
        classes = [int(c) for c in classes]
        if classes != sorted(set(classes)) or not all(
            0 <= c < len(train_counts) for c in classes
        ):
            raise ValueError(
                f'{name}: the classes must be distinct, ascending and in '
                f'[0, {len(train_counts)}), got {classes}'
            )
        self.subset_classes = classes
        #: the whole data set's class -> the subset's, -1 outside it
        self.label_map = np.full(
            len(train_counts), UNKNOWN_LABEL, dtype=np.int64
        )
        self.label_map[classes] = np.arange(len(classes))
        labels = self.label_map[np.asarray(full.get_gt_labels(), np.int64)]
        self.indices = (
            np.arange(len(labels))
            if keep_others
            else np.flatnonzero(labels != UNKNOWN_LABEL)
        )
        self.dataset = full
        self._labels = labels[self.indices]
        names = full.metainfo.get('classes')
        self._metainfo = copy.deepcopy(dict(full.metainfo))
        if names:
            self._metainfo['classes'] = tuple(names[c] for c in classes)
        record_counts(self._metainfo, [train_counts[c] for c in classes])
        self._metainfo['subset_classes'] = list(classes)

    @property
    def metainfo(self) -> dict:
        return copy.deepcopy(self._metainfo)

    def __len__(self) -> int:
        return len(self.indices)

    def get_gt_labels(self) -> np.ndarray:
        return self._labels.copy()

    def get_cat_ids(self, idx: int) -> List[int]:
        return [int(self._labels[idx])]

    def get_data_info(self, idx: int) -> dict:
        info = self.dataset.get_data_info(int(self.indices[idx]))
        info['gt_label'] = int(self._labels[idx])
        info['sample_idx'] = idx
        return info

    def __getitem__(self, idx: int) -> dict:
        return self.dataset.pipeline(self.get_data_info(idx))

    def __getattr__(self, name: str) -> Any:
        # only reached for what this class does not define
        if name in ('dataset', '_metainfo', '_labels'):
            raise AttributeError(name)
        return getattr(self.dataset, name)
