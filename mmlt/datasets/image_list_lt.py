"""Long-tailed image-list datasets: ImageNet-LT, iNaturalist 2018, Places-LT.

`Large-Scale Long-Tailed Recognition in an Open World
<https://arxiv.org/abs/1904.05160>`_ (Liu et al., CVPR 2019) and
`Decoupling Representation and Classifier for Long-Tailed Recognition
<https://arxiv.org/abs/1910.09217>`_ (Kang et al., ICLR 2020) distribute
their splits as text files of ``relative/path label`` lines. Each split
records the training split's class counts, so that a test split knows each
class's shot group.
"""

import os
import os.path as osp
from typing import List, Optional, Tuple

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

from mmlt.class_counts import record_counts

from .long_tail_base import LongTailMixin


def read_image_list(
    path: str, num_classes: int, allow_duplicates: bool = False
) -> Tuple[list, np.ndarray]:
    """The paths and labels of a ``relative/path label`` list file; see
    :func:`read_image_lines`."""
    return read_image_lines(path, num_classes, allow_duplicates)[:2]


def read_image_lines(
    path: str, num_classes: int, allow_duplicates: bool = False
) -> Tuple[list, np.ndarray, list]:
    """The paths, labels and line numbers of a ``relative/path label`` list.

    A byte-order mark at the start of the file is skipped.

    Args:
        path (str): The list file.
        num_classes (int): Labels must be in ``[0, num_classes)``.
        allow_duplicates (bool): Keep a path listed more than once (each
            line counts as an image). Defaults to False: refused.

    Returns:
        tuple: the paths (list of str), labels (np.ndarray, int64) and the
        line number of each.

    Raises:
        FileNotFoundError: if the file does not exist.
        ValueError: for an empty file, a line that is not a path and an
            integer label in range, or a path listed twice (naming the file
            and the lines).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'ann_file {path!r} does not exist')
    paths, labels, lines = [], [], []
    first_line = {}
    with open(path, encoding='utf-8-sig') as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            fields = line.rsplit(maxsplit=1)
            try:
                if len(fields) != 2:
                    raise ValueError
                label = int(fields[1])
            except ValueError:
                raise ValueError(
                    f'{path} line {number}: expected "relative/path label", '
                    f'got {line.strip()!r}'
                ) from None
            if not 0 <= label < num_classes:
                raise ValueError(
                    f'{path} line {number}: label {label} is outside '
                    f'[0, {num_classes})'
                )
            image = fields[0]
            if image in first_line:
                before = first_line[image]
                if labels[before] != label:
                    raise ValueError(
                        f'{path} line {number}: {image} is listed with label '
                        f'{label} and on line {lines[before]} with label '
                        f'{labels[before]}'
                    )
                if not allow_duplicates:
                    raise ValueError(
                        f'{path} line {number}: {image} is listed again '
                        f'(first on line {lines[before]}); repeats would be '
                        'counted as more images of the class. Remove them, '
                        'or set allow_duplicates=True to count each line'
                    )
            else:
                first_line[image] = len(paths)
            paths.append(image)
            labels.append(label)
            lines.append(number)
    if not paths:
        raise ValueError(f'{path} lists no images')
    return paths, np.asarray(labels, dtype=np.int64), lines


def check_images(ann_file: str, prefix: str, paths: list, lines: list):
    """Raises ``FileNotFoundError`` for the first listed image that is
    missing or empty (0 bytes), naming the list file and line; the count
    of such images is in the message."""
    bad = []
    for image, number in zip(paths, lines):
        full = osp.join(prefix, image)
        try:
            empty = os.stat(full).st_size == 0
        except OSError:
            bad.append((number, full, 'does not exist'))
            continue
        if empty:
            bad.append((number, full, 'is empty (0 bytes)'))
    if bad:
        number, full, why = bad[0]
        more = (
            f'; {len(bad)} of the {len(paths)} listed images are missing '
            'or empty'
        )
        raise FileNotFoundError(
            f'{ann_file} line {number}: image {full} {why}'
            + (more if len(bad) > 1 else '')
        )


@DATASETS.register_module()
class ImageListLT(LongTailMixin, BaseDataset):
    """A long-tailed split given as a ``relative/path label`` list file.

    Args:
        ann_file (str): The split's list file (relative to ``data_root``).
        num_classes (int): 1,000 for ImageNet-LT, 8,142 for iNaturalist
            2018, 365 for Places-LT.
        train_ann_file (str, optional): The training split's list file,
            whose counts a test split records (for the shot groups);
            defaults to ``ann_file`` (a training split).
        data_root (str): Root of ``ann_file``, ``train_ann_file`` and
            ``data_prefix``.
        data_prefix (str): Folder the listed paths are relative to.
        metainfo (dict, optional): Overrides the class names (``'0'``,
            ``'1'``, ... by default).
        allow_duplicates (bool): Count an image listed on several lines
            once per line. Defaults to False: a repeated line is refused
            with its line numbers.
        check_files (bool): Check that every listed image exists and is
            not empty before training starts (one ``stat`` each). Defaults
            to True.
        **kwargs: Passed to mmpretrain's ``BaseDataset`` (pipeline, ...).
    """

    def __init__(
        self,
        ann_file: str,
        num_classes: int,
        train_ann_file: Optional[str] = None,
        data_root: str = '',
        data_prefix: str = '',
        metainfo: Optional[dict] = None,
        allow_duplicates: bool = False,
        check_files: bool = True,
        **kwargs,
    ) -> None:
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(
                f'num_classes must be an int >= 2, got {num_classes}'
            )
        self.num_classes = num_classes
        self.allow_duplicates = bool(allow_duplicates)
        self.check_files = bool(check_files)
        train = train_ann_file or ann_file
        self.train_ann_file = (
            osp.join(data_root, train) if data_root else train
        )
        metainfo = dict(metainfo or {})
        metainfo.setdefault(
            'classes', tuple(str(i) for i in range(num_classes))
        )
        super().__init__(
            ann_file=ann_file,
            metainfo=metainfo,
            data_root=data_root,
            data_prefix=data_prefix,
            **kwargs,
        )

    def load_data_list(self) -> List[dict]:
        paths, labels, lines = read_image_lines(
            self.ann_file, self.num_classes, self.allow_duplicates
        )
        if self.check_files:
            check_images(self.ann_file, self.img_prefix, paths, lines)
        if self.train_ann_file == self.ann_file:
            train_labels = labels
        else:
            train_labels = read_image_list(
                self.train_ann_file, self.num_classes, self.allow_duplicates
            )[1]
        record_counts(
            self._metainfo,
            np.bincount(train_labels, minlength=self.num_classes),
        )
        return [
            dict(img_path=osp.join(self.img_prefix, p), gt_label=int(y))
            for p, y in zip(paths, labels)
        ]
