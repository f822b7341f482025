from .bilateral_branch_sampler import BilateralBranchSampler
from .class_aware_sampler import ClassAwareSampler, class_aware_indices
from .class_balanced_sampler import ClassBalancedSampler, SquareRootSampler
from .class_index import ClassIndex, dataset_labels
from .deferred_resampler import DeferredResampler
from .generated_class_index import GeneratedClassIndex
from .long_tail_sampler import LongTailSampler
from .progressively_balanced_sampler import ProgressivelyBalancedSampler
from .random_over_sampler import RandomOverSampler
from .random_under_sampler import RandomUnderSampler
from .reversed_sampler import ReversedSampler, reversed_probabilities

__all__ = [
    'BilateralBranchSampler',
    'ClassAwareSampler',
    'ClassBalancedSampler',
    'ClassIndex',
    'DeferredResampler',
    'GeneratedClassIndex',
    'LongTailSampler',
    'ProgressivelyBalancedSampler',
    'RandomOverSampler',
    'RandomUnderSampler',
    'ReversedSampler',
    'SquareRootSampler',
    'class_aware_indices',
    'dataset_labels',
    'reversed_probabilities',
]
