from .foreground_transform import (
    FOREGROUND_TRANSFORMS,
    affine_params,
    transform_foreground,
)
from .to_gray import ToGray

__all__ = [
    'FOREGROUND_TRANSFORMS',
    'ToGray',
    'affine_params',
    'transform_foreground',
]
