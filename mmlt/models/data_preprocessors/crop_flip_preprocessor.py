"""Random crop with padding and horizontal flip of a whole uint8 batch.

The augmentations of the small-image recipes (``RandomCrop(size,
padding)`` then ``RandomFlip(prob)``, as mmpretrain's pipeline runs them
per image with numpy's generator) applied to a (B, C, H, W) batch at once,
on the batch's device, for the batch-level data path
(:class:`~mmlt.datasets.TensorBatchDataset`): the same distribution (a
zero-padded window at an offset uniform in each direction, a flip with
probability ``prob``), drawn from torch's generator, which
``EpochSeedHook`` seeds every epoch, so ``--resume`` repeats them.
"""

from typing import Optional

import torch
import torch.nn.functional as F
from mmpretrain.models.utils.data_preprocessor import ClsDataPreprocessor
from mmpretrain.registry import MODELS


def random_crop_batch(
    images: torch.Tensor,
    size: int,
    padding: int = 0,
    offsets: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """A ``size`` x ``size`` window of each zero-padded image.

    Args:
        images (Tensor): (B, C, H, W), any dtype.
        size (int): The window's side, at most ``H + 2 * padding``.
        padding (int): Zeros added on every side first.
        offsets (Tensor, optional): (B, 2) int64 top and left of each
            window in the padded image; drawn uniformly from
            ``[0, H + 2 * padding - size]`` (and W) by default.

    Returns:
        Tensor: (B, C, size, size), the dtype of ``images``.
    """
    b, _, h, w = images.shape
    if padding:
        images = F.pad(images, (padding,) * 4)
    room_h, room_w = h + 2 * padding - size, w + 2 * padding - size
    if room_h < 0 or room_w < 0:
        raise ValueError(
            f'crop size {size} is larger than the padded {h + 2 * padding}'
            f'x{w + 2 * padding} images'
        )
    if offsets is None:
        high = torch.tensor([room_h + 1, room_w + 1], device=images.device)
        offsets = (torch.rand(b, 2, device=images.device) * high).long()
    # every window as a view (B, C, room_h + 1, room_w + 1, size, size),
    # then one gather of each image's own
    windows = images.unfold(2, size, 1).unfold(3, size, 1)
    batch = torch.arange(b, device=images.device)
    return windows[batch, :, offsets[:, 0], offsets[:, 1]]


def random_flip_batch(
    images: torch.Tensor, prob: float, flips: Optional[torch.Tensor] = None
) -> torch.Tensor:
    """Each image mirrored left to right with probability ``prob``.

    Args:
        images (Tensor): (B, C, H, W).
        prob (float): In [0, 1].
        flips (Tensor, optional): (B,) bool, which to flip; drawn by
            default.
    """
    if flips is None:
        flips = torch.rand(images.size(0), device=images.device) < prob
    return torch.where(flips[:, None, None, None], images.flip(-1), images)


@MODELS.register_module()
class CropFlipClsDataPreprocessor(ClsDataPreprocessor):
    """mmpretrain's ``ClsDataPreprocessor`` that first crops and flips a
    whole training batch of a ``TensorBatchDataset``.

    Args:
        crop_size (int, optional): Side of the random crop; None for no
            crop. As the pipeline's ``RandomCrop(crop_size, padding)``.
        padding (int): Zeros on every side before cropping. Defaults to 0.
        flip_prob (float): Probability of a horizontal flip, as
            ``RandomFlip(prob, direction='horizontal')``. Defaults to 0.
        **kwargs: mmpretrain's ``ClsDataPreprocessor`` (mean, std,
            to_rgb, num_classes, batch_augments such as mixup, ...).
    """

    def __init__(
        self,
        crop_size: Optional[int] = None,
        padding: int = 0,
        flip_prob: float = 0.0,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if crop_size is not None and (
            not isinstance(crop_size, int) or crop_size < 1
        ):
            raise ValueError(f'crop_size must be an int >= 1, got {crop_size}')
        if not isinstance(padding, int) or padding < 0:
            raise ValueError(f'padding must be an int >= 0, got {padding}')
        if not 0.0 <= flip_prob <= 1.0:
            raise ValueError(f'flip_prob must be in [0, 1], got {flip_prob}')
        self.crop_size = crop_size
        self.padding = padding
        self.flip_prob = flip_prob

    def forward(self, data: dict, training: bool = False) -> dict:
        inputs = data.get('inputs') if isinstance(data, dict) else None
        if not is_uint8_batch(inputs):
            if training:
                raise TypeError(
                    'CropFlipClsDataPreprocessor augments whole uint8 '
                    'batches from a TensorBatchDataset (with collate_fn='
                    "dict(type='tensor_batch_collate')); this loader gave "
                    f'{type(inputs).__name__} inputs'
                )
            return super().forward(data, training)
        inputs = self.cast_data(inputs)
        if training and self.crop_size is not None:
            inputs = random_crop_batch(inputs, self.crop_size, self.padding)
        if training and self.flip_prob > 0:
            inputs = random_flip_batch(inputs, self.flip_prob)
        data = dict(data, inputs=inputs)
        if self.labels_ready(data.get('data_samples'), training):
            return dict(data, inputs=self.normalize(inputs))
        return super().forward(data, training)

    def labels_ready(self, samples, training: bool) -> bool:
        """Whether the samples' labels need nothing of mmpretrain's
        ``forward``: no batch augment or one-hot scores to make from them,
        and already on the device (``TensorBatchDataset`` puts them there).
        Its per-sample label loops then change nothing, and are skipped."""
        if (training and self.batch_augments is not None) or self.to_onehot:
            return False
        if not samples or 'gt_score' in samples[0]:
            return False
        label = samples[0].get('gt_label')
        return label is not None and label.device == self.device

    def normalize(self, inputs: torch.Tensor) -> torch.Tensor:
        """mmpretrain's normalisation of a batch tensor (to RGB, float,
        mean and std, padding to the size divisor)."""
        if self.to_rgb and inputs.size(1) == 3:
            inputs = inputs.flip(1)
        inputs = inputs.float()
        if self._enable_normalize:
            inputs = (inputs - self.mean) / self.std
        if self.pad_size_divisor > 1:
            h, w = inputs.shape[-2:]
            pad_h = -h % self.pad_size_divisor
            pad_w = -w % self.pad_size_divisor
            inputs = F.pad(inputs, (0, pad_w, 0, pad_h), value=self.pad_value)
        return inputs


def is_uint8_batch(inputs) -> bool:
    return (
        isinstance(inputs, torch.Tensor)
        and inputs.dtype == torch.uint8
        and inputs.dim() == 4
    )
