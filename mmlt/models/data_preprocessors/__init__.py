from .crop_flip_preprocessor import (
    CropFlipClsDataPreprocessor,
    random_crop_batch,
    random_flip_batch,
)

__all__ = [
    'CropFlipClsDataPreprocessor',
    'random_crop_batch',
    'random_flip_batch',
]
