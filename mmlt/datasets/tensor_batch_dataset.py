"""The batch-level data path: a data set's images as one uint8 tensor.

mmengine's data loader asks a data set for one sample at a time: each goes
through the pipeline (crop, flip, ``PackInputs`` and its ``DataSample``),
about 57 µs an MNIST-LT image on a CPU, a tenth of a ResNet-8 step. For
the small-image data sets (MNIST-LT, Fashion-MNIST-LT, CIFAR-10/100-LT and
CAM sets) the whole split fits in memory: :class:`TensorBatchDataset` holds
it as one (N, C, H, W) uint8 tensor on the training device and answers a
whole batch of the sampler's indices with one gather (torch's
``__getitems__``). The random crop, the flip and the normalisation then
run on the batch in the data preprocessor
(:class:`~mmlt.models.data_preprocessors.CropFlipClsDataPreprocessor`).

The wrapper keeps the wrapped data set's length, labels and metainfo
(recorded class counts included), so every mmlt sampler, hook and metric
sees the same data set; attributes it does not define (``class_counts``,
``generated_flags``, ...) are the wrapped data set's.
"""

import copy
from typing import Any, List, Sequence, Union

import numpy as np
import torch
from mmengine.device import get_device
from mmengine.registry import FUNCTIONS
from mmpretrain.registry import DATASETS
from mmpretrain.structures import DataSample


@DATASETS.register_module()
class TensorBatchDataset:
    """A small-image data set held as one uint8 tensor, read by batches.

    Use it with ``collate_fn=dict(type='tensor_batch_collate')`` and a
    ``CropFlipClsDataPreprocessor`` (``configs/_base_/datasets/*_batch.py``
    set both).

    Args:
        dataset (dict): The data set (e.g. ``dict(type='FashionMNISTLT',
            ...)``). Its images must be uint8 arrays of one (H, W, C)
            shape under ``img``; its pipeline is not run (the data
            preprocessor augments).
        device (str): Where the tensor lives: 'auto' (the training device,
            mmengine's ``get_device()``), 'cpu' or a device name. Defaults
            to 'auto'.
        **dataset_options: Update ``dataset``, so that an option given for
            the per-sample path (``--cfg-options
            train_dataloader.dataset.imb_factor=0.1``) reaches the wrapped
            data set here too.
    """

    def __init__(
        self, dataset: dict, device: str = 'auto', **dataset_options
    ) -> None:
        if not isinstance(dataset, dict):
            raise TypeError(
                'TensorBatchDataset: dataset must be a config dict, got '
                f'{type(dataset).__name__}'
            )
        dataset = copy.deepcopy(dataset)
        dataset.update(dataset_options)
        dataset['pipeline'] = []
        self.dataset = DATASETS.build(dataset)
        self.device = torch.device(
            get_device() if device == 'auto' else device
        )
        self.images, self.labels = stack_images(self.dataset)
        self.images = self.images.to(self.device)
        # the samples' labels where the model is: the data preprocessor
        # then has nothing to move
        self.device_labels = self.labels.to(self.device)

    @property
    def metainfo(self) -> dict:
        return self.dataset.metainfo

    def __len__(self) -> int:
        return len(self.labels)

    def __getattr__(self, name: str) -> Any:
        # only reached for what this class does not define
        if name in ('dataset', 'images', 'labels', 'device_labels'):
            raise AttributeError(name)
        return getattr(self.dataset, name)

    def get_gt_labels(self) -> np.ndarray:
        return self.labels.numpy().copy()

    def get_cat_ids(self, idx: int) -> List[int]:
        return [int(self.labels[idx])]

    def __getitem__(self, idx: int) -> dict:
        """One sample, as a pipeline's ``PackInputs`` would give it."""
        if not 0 <= idx < len(self):
            raise IndexError(
                f'TensorBatchDataset: idx must be in [0, {len(self)}), got '
                f'{idx}'
            )
        batch = self.__getitems__([idx])[0]
        return dict(
            inputs=batch['inputs'][0], data_samples=batch['data_samples'][0]
        )

    def __getitems__(self, indices: Sequence[int]) -> List['TensorBatch']:
        """One batch: the images (B, C, H, W) uint8 and a ``DataSample`` of
        each one's label, wrapped for :func:`tensor_batch_collate`."""
        index = torch.as_tensor(indices, dtype=torch.long).to(self.device)
        # index_select: a quarter of indexing's time for a batch on a CPU
        labels = self.device_labels.index_select(0, index)
        samples = [
            label_sample(int(i), label)
            for i, label in zip(indices, labels.view(-1, 1).unbind(0))
        ]
        images = self.images.index_select(0, index)
        return [TensorBatch(inputs=images, data_samples=samples)]


def label_sample(sample_idx: int, gt_label: torch.Tensor) -> DataSample:
    """``DataSample(metainfo=dict(sample_idx=sample_idx))`` with ``gt_label``
    set, as ``PackInputs`` gives it (``sample_idx`` for LFME's instance
    weights), built without the checks mmengine would run for each image
    of a batch: on MNIST-LT that took the loader's time between the
    Runner's steps from about 0.6 to 0.4 ms (``docs/throughput.md``).
    ``gt_label`` must be what ``set_gt_label`` would store: a (1,) int64
    tensor, here a view of the batch's gathered labels.
    ``tests/test_batch_path.py`` checks the result equal to mmengine's
    construction."""
    sample = DataSample.__new__(DataSample)
    # BaseDataElement's own attributes: the names of its metainfo and data
    # fields, then the fields
    vars(sample).update(
        _metainfo_fields={'sample_idx'},
        _data_fields={'gt_label'},
        sample_idx=sample_idx,
        gt_label=gt_label,
    )
    return sample


class TensorBatch(dict):
    """A whole batch from :class:`TensorBatchDataset`: ``inputs`` and
    ``data_samples``, as a collate function would give them."""


def stack_images(dataset) -> tuple:
    """(images (N, C, H, W) uint8, labels (N,) int64) of a data set whose
    samples hold (H, W, C) uint8 arrays under ``img``."""
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    if not infos:
        raise ValueError('TensorBatchDataset: the data set is empty')
    shape = None
    for i, info in enumerate(infos):
        img = info.get('img')
        if not isinstance(img, np.ndarray) or img.dtype != np.uint8:
            raise ValueError(
                f'TensorBatchDataset: sample {i} of {type(dataset).__name__}'
                ' has no uint8 image array under "img": the batch path is '
                'for data sets held in memory (MNIST-LT, Fashion-MNIST-LT, '
                'CIFAR-LT, CAM sets), not ones read from files'
            )
        shape = shape or img.shape
        if img.shape != shape or img.ndim != 3:
            raise ValueError(
                f'TensorBatchDataset: sample {i} has an image of shape '
                f'{img.shape}, sample 0 of {shape}: the batch path needs '
                'one (H, W, C) shape'
            )
    images = np.stack([info['img'] for info in infos]).transpose(0, 3, 1, 2)
    labels = np.array([info['gt_label'] for info in infos], dtype=np.int64)
    # torch's own strides: numpy's for one channel, (HW, 1, W, 1), read as
    # channels last, and a batch indexed from them sent the convolutions of
    # a model stored (N, C, H, W) down the channels-last path
    images = torch.from_numpy(images).clone(
        memory_format=torch.contiguous_format
    )
    return images, torch.from_numpy(labels)


@FUNCTIONS.register_module()
def tensor_batch_collate(batch: Union[list, Any]) -> dict:
    """The data loader's ``collate_fn`` for :class:`TensorBatchDataset`:
    its ``__getitems__`` already gives the collated batch."""
    if (
        not isinstance(batch, list)
        or len(batch) != 1
        or not isinstance(batch[0], TensorBatch)
    ):
        raise TypeError(
            'tensor_batch_collate collates the batches of a '
            'TensorBatchDataset only; this loader gave '
            f'{type(batch).__name__} of {len(batch)} items'
        )
    return dict(batch[0])
