"""Fashion-MNIST-LT: Fashion-MNIST long-tailed as CIFAR-10-LT is built.

The training split keeps, index for index, the images the generator of
`Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss
<https://arxiv.org/abs/1906.07413>`_ (Cao et al., NeurIPS 2019) selects from
the balanced 60,000 images of `Fashion-MNIST
<https://arxiv.org/abs/1708.07747>`_ (Xiao et al., 2017), with the profiles
of :mod:`mmlt.datasets.long_tail_profile` (``n_max`` = 6,000; ratio 100 keeps
6000, 3596, ..., 60: 14,886 images). The test split (10,000) stays whole.
A 'val' split holds out up to 100 of each class's training images that
the selection left out (900 at ratio 100: class 0 keeps all its 6,000).
"""

import math
import os
import os.path as osp
from typing import List, Optional

import numpy as np
from mmpretrain.datasets import BaseDataset, FashionMNIST
from mmpretrain.datasets.utils import rm_suffix
from mmpretrain.registry import DATASETS

from ..class_counts import record_counts
from ..serialization import SizeError, read_gzip
from ..serialization.bounded_read import CORRUPT_ERRORS
from .long_tail_base import LongTailMixin
from .long_tail_profile import (
    held_out_indices,
    long_tail_counts,
    reference_subset_indices,
)

#: Where Debian's package ``dataset-fashion-mnist`` installs the files.
DEBIAN_ROOT = '/usr/share/datasets/fashion-mnist'
#: Where the files are looked for when the package is not installed.
LOCAL_ROOT = osp.join('data', 'fashion-mnist')
NUM_CLASSES = 10
# The original file names, without '.gz', as mmpretrain lists them.
TRAIN_FILES = tuple(rm_suffix(name) for name, _ in FashionMNIST.train_list)
TEST_FILES = tuple(rm_suffix(name) for name, _ in FashionMNIST.test_list)
# idx magic number: two zero bytes, the element type (0x08: unsigned byte),
# the number of dimensions.
_UBYTE = 0x08


def default_data_root() -> str:
    """Debian's location when it exists, else ``data/fashion-mnist``."""
    return DEBIAN_ROOT if osp.isdir(DEBIAN_ROOT) else LOCAL_ROOT


def install_hint(root: str) -> str:
    """How to get the files, for the errors that find none."""
    names = ', '.join(f'{n}.gz' for n in TRAIN_FILES + TEST_FILES)
    return (
        'install them with `apt-get install dataset-fashion-mnist` (Debian '
        f'and Ubuntu; into {DEBIAN_ROOT}), or put the four original files '
        f'({names}; gzipped or not) in {root} or the folder data_root names'
    )


def find_idx_file(root: str, name: str) -> str:
    """``root/name.gz`` or ``root/name``; raises with the install hint."""
    for path in (osp.join(root, name + '.gz'), osp.join(root, name)):
        if osp.isfile(path):
            return path
    raise FileNotFoundError(
        f'FashionMNISTLT: missing file {osp.join(root, name)}[.gz]; '
        + install_hint(root)
    )


def idx_shape(path: str, data: bytes, ndim: int) -> tuple:
    """The shape an idx header of ``ndim`` unsigned-byte dimensions gives;
    raises for a short header or another magic number."""
    if len(data) < 4:
        raise ValueError(
            f'FashionMNISTLT: {path} is truncated: {len(data)} bytes, '
            'fewer than the 4 of the idx magic number'
        )
    magic = int.from_bytes(data[:4], 'big')
    expected = (_UBYTE << 8) | ndim
    if magic != expected:
        raise ValueError(
            f'FashionMNISTLT: {path} has magic number 0x{magic:08x}, not '
            f'0x{expected:08x} (an idx file of {ndim}-d unsigned bytes): it '
            'is not the Fashion-MNIST file of that name'
        )
    header = 4 * (ndim + 1)
    if len(data) < header:
        raise ValueError(
            f'FashionMNISTLT: {path} is truncated: {len(data)} bytes, '
            f'fewer than its {header}-byte header'
        )
    return tuple(
        int.from_bytes(data[4 * (i + 1) : 4 * (i + 2)], 'big')
        for i in range(ndim)
    )


def read_idx(path: str, ndim: int) -> np.ndarray:
    """An idx file of unsigned bytes with ``ndim`` dimensions, as an array.

    mmpretrain's ``read_sn3_pascalvincent_tensor`` would do, but it reads
    only uncompressed files through ``MNIST``, and its checks are bare
    asserts: here every fault raises with the file's path. A gzipped file
    is inflated in chunks no further than its header states, and only when
    its compressed size could hold that (:func:`mmlt.serialization.read_gzip`).

    Args:
        path (str): The file, gzipped when its name ends with '.gz'.
        ndim (int): 1 for labels, 3 for images.

    Returns:
        np.ndarray: uint8, of the shape the header gives.
    """
    header = 4 * (ndim + 1)

    def stated_size(head: bytes) -> int:
        return header + math.prod(idx_shape(path, head, ndim))

    try:
        if path.endswith('.gz'):
            data = read_gzip(path, header, stated_size)
        else:
            with open(path, 'rb') as f:
                data = f.read()
    except SizeError as e:
        raise ValueError(f'FashionMNISTLT: {path} is refused: {e}') from None
    except MemoryError:
        raise ValueError(
            f'FashionMNISTLT: {path} needs more memory than is free'
        ) from None
    except CORRUPT_ERRORS as e:
        # gzip.BadGzipFile is an OSError; a cut gzip stream an EOFError.
        kind = 'a readable gzip file' if path.endswith('.gz') else 'readable'
        raise ValueError(
            f'FashionMNISTLT: {path} is not {kind} ({type(e).__name__}: {e})'
        ) from e
    shape = idx_shape(path, data, ndim)
    size = math.prod(shape)
    if len(data) - header != size:
        state = 'truncated' if len(data) - header < size else 'too long'
        raise ValueError(
            f'FashionMNISTLT: {path} is {state}: its header gives shape '
            f'{shape} ({size} bytes of data), the file holds '
            f'{len(data) - header}'
        )
    # a copy: frombuffer's view of the bytes is read-only
    array = np.frombuffer(data, dtype=np.uint8, offset=header)
    return array.reshape(shape).copy()


def read_labels(path: str) -> np.ndarray:
    """An idx label file as int64, each label checked to be in [0, 10)."""
    labels = read_idx(path, 1).astype(np.int64)
    bad = np.flatnonzero(labels >= NUM_CLASSES)
    if bad.size:
        raise ValueError(
            f'FashionMNISTLT: {path}: label {labels[bad[0]]} of image '
            f'{bad[0]} is outside [0, {NUM_CLASSES})'
        )
    return labels


def read_split(root: str, files: tuple) -> tuple:
    """(images (N, 28, 28), labels (N,) int64) of one split's two files."""
    img_path = find_idx_file(root, files[0])
    label_path = find_idx_file(root, files[1])
    images = read_idx(img_path, 3)
    labels = read_labels(label_path)
    if len(images) != len(labels):
        raise ValueError(
            f'FashionMNISTLT: {img_path} holds {len(images)} images but '
            f'{label_path} holds {len(labels)} labels'
        )
    return images, labels


@DATASETS.register_module()
class FashionMNISTLT(LongTailMixin, BaseDataset):
    """Long-tailed Fashion-MNIST (LDAM-DRW reference construction).

    Images are 28x28x1 uint8 arrays under the key ``img``.

    Args:
        data_root (str, optional): Folder of the four idx files, gzipped or
            not. Defaults to ``/usr/share/datasets/fashion-mnist`` (Debian's
            ``dataset-fashion-mnist``) when it exists, else
            ``data/fashion-mnist``.
        split (str): 'train' (long-tailed), 'val' (up to ``val_per_class``
            of each class's training-file images the training split left
            out; class 0 keeps all 6,000, so has none) or 'test' (whole,
            balanced).
        imb_type (str): 'exp', 'step' or 'none'. Defaults to 'exp'.
        imb_factor (float): ``n_min / n_max`` = 1 / imbalance ratio, in
            (0, 1]. Defaults to 0.01 (ratio 100).
        seed (int): Seed of the training subset selection. Defaults to 0,
            the reference's.
        val_per_class (int): Most images a class gives the 'val' split.
            Defaults to 100.
        metainfo (dict, optional): Overrides the class names.
        **kwargs: Passed to mmpretrain's ``BaseDataset``.
    """

    METAINFO = FashionMNIST.METAINFO

    def __init__(
        self,
        data_root: Optional[str] = None,
        split: str = 'train',
        imb_type: str = 'exp',
        imb_factor: float = 0.01,
        seed: int = 0,
        val_per_class: int = 100,
        metainfo: Optional[dict] = None,
        **kwargs,
    ) -> None:
        self.set_profile(split, imb_type, imb_factor, seed, val_per_class)
        super().__init__(
            ann_file='',
            metainfo=metainfo,
            data_root=os.fspath(data_root or default_data_root()),
            **kwargs,
        )

    def load_data_list(self) -> List[dict]:
        root = self.data_root
        if not osp.isdir(root):
            raise FileNotFoundError(
                f'FashionMNISTLT: data_root {root!r} is not a folder; '
                + install_hint(root)
            )
        if self.split != 'test':
            images, labels = read_split(root, TRAIN_FILES)
            train_labels = labels
        else:
            images, labels = read_split(root, TEST_FILES)
            # The test split records the training profile (shot groups).
            train_labels = read_labels(find_idx_file(root, TRAIN_FILES[1]))
        # The reference takes n_max as the balanced set's size / C.
        counts = long_tail_counts(
            len(train_labels) / NUM_CLASSES,
            NUM_CLASSES,
            self.imb_type,
            self.imb_factor,
        )
        record_counts(self._metainfo, counts)
        if self.split != 'test':
            try:
                indices = reference_subset_indices(labels, counts, self.seed)
            except ValueError as e:
                label_path = find_idx_file(root, TRAIN_FILES[1])
                raise ValueError(f'FashionMNISTLT: {label_path}: {e}') from e
            if self.split == 'val':
                indices = held_out_indices(labels, indices, self.val_per_class)
        else:
            indices = np.arange(len(labels))
        return [
            dict(img=images[i][..., None], gt_label=int(labels[i]))
            for i in indices
        ]
