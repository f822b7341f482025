from .cam_augmented_dataset import CAMAugmentedDataset
from .cifar_lt import CIFAR10LT, CIFAR100LT
from .class_counts import get_class_counts
from .image_list_lt import ImageListLT, read_image_list
from .long_tail_profile import (
    long_tail_counts,
    reference_subset_indices,
    shot_groups,
)
from .mnist_lt import MNISTLT
from .samplers import (
    ClassBalancedSampler,
    DeferredResampler,
    ProgressivelyBalancedSampler,
    RandomOverSampler,
    RandomUnderSampler,
    SquareRootSampler,
)
from .transforms import ToGray

__all__ = [
    'CAMAugmentedDataset',
    'CIFAR10LT',
    'CIFAR100LT',
    'ClassBalancedSampler',
    'ImageListLT',
    'DeferredResampler',
    'MNISTLT',
    'ProgressivelyBalancedSampler',
    'RandomOverSampler',
    'RandomUnderSampler',
    'SquareRootSampler',
    'ToGray',
    'get_class_counts',
    'long_tail_counts',
    'read_image_list',
    'reference_subset_indices',
    'shot_groups',
]
