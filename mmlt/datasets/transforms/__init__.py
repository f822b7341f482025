from .foreground_transform import (
    FOREGROUND_TRANSFORMS,
    affine_params,
    transform_foreground,
)

__all__ = ['FOREGROUND_TRANSFORMS', 'affine_params', 'transform_foreground']
