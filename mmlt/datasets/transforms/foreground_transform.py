"""Foreground-only transforms of CAM-based re-sampling.

`Bag of Tricks for Long-Tailed Visual Recognition with Deep Convolutional
Neural Networks <https://ojs.aaai.org/index.php/AAAI/article/view/16458>`_
(Zhang et al., AAAI 2021): an image's class activation map, thresholded at
its mean, splits it into foreground and background; a random one of
horizontal flip, translation, rotation and scaling moves the foreground,
and the background stays as it was.

Pixels of the result: where the moved foreground lands, the moved
foreground; elsewhere the original background, untouched; foreground
pixels that nothing covers any more take the background's mean colour.
"""

from typing import Tuple

import numpy as np
import torch
import torchvision.transforms.v2.functional as TF

#: The transforms, one of which is drawn for each generated image.
FOREGROUND_TRANSFORMS = ('flip', 'translate', 'rotate', 'scale')


def affine_params(
    kind: str,
    size: Tuple[int, int],
    rng: np.random.Generator,
    max_shift: float = 0.25,
    max_angle: float = 30.0,
    scale_range: Tuple[float, float] = (0.7, 1.3),
) -> dict:
    """Random parameters of one transform, as ``torchvision``'s ``affine``
    takes them (``flip`` has none).

    Args:
        kind (str): One of :data:`FOREGROUND_TRANSFORMS`.
        size (tuple): Image height and width.
        rng (np.random.Generator): Source of randomness.
        max_shift (float): Largest translation, as a fraction of the size.
        max_angle (float): Largest rotation, degrees, either way.
        scale_range (tuple): Range of the scale factor.
    """
    if kind not in FOREGROUND_TRANSFORMS:
        raise ValueError(
            f'kind must be one of {FOREGROUND_TRANSFORMS}, got {kind!r}'
        )
    params = dict(angle=0.0, translate=[0, 0], scale=1.0, shear=[0.0, 0.0])
    if kind == 'translate':
        h, w = size
        shift = rng.uniform(-max_shift, max_shift, 2) * (w, h)
        params['translate'] = [int(round(s)) for s in shift]
    elif kind == 'rotate':
        params['angle'] = float(rng.uniform(-max_angle, max_angle))
    elif kind == 'scale':
        params['scale'] = float(rng.uniform(*scale_range))
    return params


def transform_foreground(
    img: np.ndarray, mask: np.ndarray, kind: str, rng: np.random.Generator
) -> Tuple[np.ndarray, np.ndarray]:
    """Moves the foreground of ``img`` by a random ``kind`` transform.

    Args:
        img (np.ndarray): Image, (H, W, C) uint8.
        mask (np.ndarray): Foreground, (H, W) bool.
        kind (str): One of :data:`FOREGROUND_TRANSFORMS`.
        rng (np.random.Generator): Source of the transform's parameters.

    Returns:
        tuple: The new image, (H, W, C) uint8, and where the moved
        foreground is, (H, W) bool. Pixels outside both masks are those of
        ``img``.
    """
    if img.ndim != 3 or mask.shape != img.shape[:2]:
        raise ValueError(
            'img must be (H, W, C) and mask (H, W), got '
            f'{img.shape} and {mask.shape}'
        )
    image = torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1)
    fg = torch.from_numpy(mask)[None]
    if kind == 'flip':
        moved, moved_fg = image.flip(-1), fg.flip(-1)
    else:
        params = affine_params(kind, img.shape[:2], rng)
        moved = TF.affine(
            image, **params, interpolation=TF.InterpolationMode.BILINEAR
        )
        moved_fg = TF.affine(
            fg, **params, interpolation=TF.InterpolationMode.NEAREST
        )
    background = image.clone()
    if (~fg).any():
        fill = image[:, ~fg[0]].float().mean(dim=1).round().to(image.dtype)
        background[:, fg[0]] = fill[:, None]
    out = torch.where(moved_fg, moved, background)
    return out.permute(1, 2, 0).numpy(), moved_fg[0].numpy()
