from .batch_path_config import to_batch_path
from .cam_augmented_dataset import CAMAugmentedDataset
from .cifar_lt import CIFAR10LT, CIFAR100LT
from .fashion_mnist_lt import FashionMNISTLT
from .image_list_lt import ImageListLT, read_image_list
from .long_tail_profile import (
    held_out_indices,
    long_tail_counts,
    reference_subset_indices,
)
from .mnist_lt import MNISTLT
from .open_set_split import OpenSetSplit
from .resampled_test_split import (
    SADE_TEST_DISTRIBUTIONS,
    ResampledTestSplit,
    resampled_test_counts,
    resampled_test_indices,
)
from .samplers import (
    BilateralBranchSampler,
    ClassAwareSampler,
    ClassBalancedSampler,
    DeferredResampler,
    ProgressivelyBalancedSampler,
    RandomOverSampler,
    RandomUnderSampler,
    ReversedSampler,
    SquareRootSampler,
)
from .shot_subset import ShotSubset, shot_classes
from .tensor_batch_dataset import TensorBatchDataset, tensor_batch_collate
from .transforms import ToGray

__all__ = [
    'BilateralBranchSampler',
    'CAMAugmentedDataset',
    'CIFAR10LT',
    'CIFAR100LT',
    'ClassAwareSampler',
    'ClassBalancedSampler',
    'FashionMNISTLT',
    'ImageListLT',
    'DeferredResampler',
    'MNISTLT',
    'OpenSetSplit',
    'ProgressivelyBalancedSampler',
    'RandomOverSampler',
    'RandomUnderSampler',
    'ResampledTestSplit',
    'ReversedSampler',
    'SADE_TEST_DISTRIBUTIONS',
    'ShotSubset',
    'SquareRootSampler',
    'TensorBatchDataset',
    'ToGray',
    'long_tail_counts',
    'read_image_list',
    'held_out_indices',
    'reference_subset_indices',
    'resampled_test_counts',
    'resampled_test_indices',
    'shot_classes',
    'tensor_batch_collate',
    'to_batch_path',
]
