"""The training set of CAM-based re-sampling: originals plus generated
images, as ``tools/generate_cam_set.py`` writes it.

`Bag of Tricks for Long-Tailed Visual Recognition with Deep Convolutional
Neural Networks <https://ojs.aaai.org/index.php/AAAI/article/view/16458>`_
(Zhang et al., AAAI 2021). mmlt's samplers draw a class's originals first
and its generated images for every further draw of an epoch (see
:class:`~mmlt.datasets.samplers.GeneratedClassIndex`).
"""

from typing import List, Optional

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

from mmlt.class_counts import record_counts

from .long_tail_base import LongTailMixin

#: What a CAM set file holds (``np.savez``).
CAM_SET_KEYS = ('img', 'gt_label', 'generated', 'source', 'classes')


def check_cam_set(data: dict, path: str) -> None:
    """Raises unless ``data`` is a well-formed CAM set."""
    missing = [k for k in CAM_SET_KEYS if k not in data]
    if missing:
        raise ValueError(
            f'{path} is not a CAM set (tools/generate_cam_set.py): it lacks '
            f'{missing}'
        )
    n = len(data['gt_label'])
    lengths = {k: len(data[k]) for k in CAM_SET_KEYS if k != 'classes'}
    if any(v != n for v in lengths.values()):
        raise ValueError(f'{path}: arrays of different lengths {lengths}')
    labels, img = data['gt_label'], data['img']
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f'{path}: gt_label is {labels.dtype}; labels must be integers'
        )
    if img.dtype != np.uint8 or img.ndim != 4:
        raise ValueError(
            f'{path}: img is {img.dtype} of shape {img.shape}; expected '
            '(N, H, W, C) uint8'
        )
    if data['generated'].dtype != np.bool_:
        raise ValueError(
            f'{path}: generated is {data["generated"].dtype}; expected bool'
        )
    if n and (labels.min() < 0 or labels.max() >= len(data['classes'])):
        raise ValueError(
            f'{path}: labels must be in [0, {len(data["classes"])}), got '
            f'{labels.min()}..{labels.max()}'
        )


@DATASETS.register_module()
class CAMAugmentedDataset(LongTailMixin, BaseDataset):
    """Originals and CAM-generated images from one ``.npz`` file.

    Images are (H, W, C) uint8 arrays under ``img``, as mmlt's in-memory
    datasets give them. The recorded class counts are the
    originals' counts, the long-tailed profile that the samplers' class
    probabilities and the losses' class counts come from.

    Args:
        data_file (str): The ``.npz`` file.
        metainfo (dict, optional): Overrides the class names.
        **kwargs: Passed to mmpretrain's ``BaseDataset`` (pipeline, ...).
    """

    def __init__(
        self, data_file: str, metainfo: Optional[dict] = None, **kwargs
    ) -> None:
        self.data_file = data_file
        super().__init__(ann_file='', metainfo=metainfo, **kwargs)

    def load_data_list(self) -> List[dict]:
        try:
            with np.load(self.data_file, allow_pickle=False) as f:
                data = {k: f[k] for k in f.files}
        except FileNotFoundError:
            raise FileNotFoundError(
                f'data_file {self.data_file!r} does not exist: write it '
                'with tools/generate_cam_set.py CONFIG CHECKPOINT --out ...'
            ) from None
        check_cam_set(data, self.data_file)
        classes = tuple(str(c) for c in data['classes'])
        self._metainfo.setdefault('classes', classes)
        originals = data['gt_label'][~data['generated']]
        record_counts(
            self._metainfo, np.bincount(originals, minlength=len(classes))
        )
        self._generated = data['generated'].astype(bool)
        return [
            dict(img=img, gt_label=int(label))
            for img, label in zip(data['img'], data['gt_label'])
        ]

    def generated_flags(self) -> np.ndarray:
        """Whether each sample is generated, (N,) bool."""
        return self._generated
