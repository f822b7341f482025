"""SADE's test-agnostic test distributions: the per-class counts and the
image selection against the official code's (Vanint/SADE-AgnosticLT,
``data_loader/imbalance_cifar.py``), the wrapper on a CIFAR-format split,
on the batch path, and what it refuses."""

import numpy as np
import pytest
import torch
from mmpretrain.registry import DATASETS

from mmlt.class_counts import recorded_counts
from mmlt.datasets import (
    SADE_TEST_DISTRIBUTIONS,
    resampled_test_counts,
    resampled_test_indices,
)
from mmlt.datasets.long_tail_profile import long_tail_counts

from cifar_files import write_cifar


def official_counts(images_per_class, num_classes, factor, reverse):
    """``get_img_num_per_cls`` of the official code, exp profile."""
    counts = []
    for c in range(num_classes):
        rank = num_classes - 1 - c if reverse else c
        counts.append(
            int(images_per_class * factor ** (rank / (num_classes - 1.0)))
        )
    return counts


def official_selection(labels, counts):
    """``gen_imbalanced_data`` of the official code."""
    np.random.seed(0)
    kept = []
    for c, n in enumerate(counts):
        idx = np.where(labels == c)[0]
        np.random.shuffle(idx)
        kept.extend(idx[:n])
    return np.array(kept)


@pytest.mark.parametrize('distribution, ratio', SADE_TEST_DISTRIBUTIONS)
def test_counts_and_images_are_the_official_ones(distribution, ratio):
    train = long_tail_counts(500, 100, 'exp', 0.01)  # CIFAR-100-LT
    counts = resampled_test_counts(train, 100, distribution, ratio)
    expected = official_counts(100, 100, 1 / ratio, distribution == 'backward')
    assert counts == expected
    labels = np.random.default_rng(3).permutation(
        np.repeat(np.arange(100), 100)
    )
    np.testing.assert_array_equal(
        resampled_test_indices(labels, counts),
        official_selection(labels, counts),
    )


def test_sade_forward_50_keeps_2486_images_on_cifar100():
    train = long_tail_counts(500, 100, 'exp', 0.01)
    forward = resampled_test_counts(train, 100, 'forward', 50)
    assert sum(forward) == 2486 and forward[0] == 100 and forward[-1] == 2
    assert resampled_test_counts(train, 100, 'backward', 50) == forward[::-1]
    assert resampled_test_counts(train, 100, 'uniform', 1) == [100] * 100


def test_classes_rank_by_their_training_counts():
    """A profile that does not fall with the class index: the head gets
    the most test images forward and the fewest backward."""
    train = [10, 500, 50, 100]
    forward = resampled_test_counts(train, 40, 'forward', 10)
    assert forward == [4, 40, 8, 18]
    assert resampled_test_counts(train, 40, 'backward', 10) == [40, 4, 18, 8]
    # equal counts rank by index, the lower first
    assert resampled_test_counts([7, 7, 7], 10, 'forward', 4) == [10, 5, 2]


def cifar_test_split(root, **options):
    write_cifar(
        str(root), num_classes=10, train_per_class=50, test_per_class=20
    )
    return dict(
        type='CIFAR10LT',
        data_root=str(root),
        split='test',
        imb_factor=0.1,
        verify_checksum=False,
        pipeline=[dict(type='PackInputs')],
        **options,
    )


def test_wrapper_keeps_the_training_counts_and_the_pipeline(tmp_path):
    inner = cifar_test_split(tmp_path)
    full = DATASETS.build(inner)
    split = DATASETS.build(
        dict(
            type='ResampledTestSplit',
            dataset=inner,
            distribution='backward',
            imbalance_ratio=10,
        )
    )
    counts = resampled_test_counts(full.class_counts, 20, 'backward', 10)
    assert np.bincount(split.get_gt_labels(), minlength=10).tolist() == counts
    assert len(split) == sum(counts) and split.test_counts == counts
    assert recorded_counts(split.metainfo) == full.class_counts
    labels = np.asarray(full.get_gt_labels())
    kept = resampled_test_indices(labels, counts)
    sample = split[0]
    np.testing.assert_array_equal(
        sample['inputs'].numpy(), full[int(kept[0])]['inputs'].numpy()
    )
    # on the batch path: TensorBatchDataset's empty pipeline reaches the
    # wrapped split
    batch = DATASETS.build(
        dict(
            type='TensorBatchDataset',
            device='cpu',
            dataset=dict(
                type='ResampledTestSplit',
                dataset=inner,
                distribution='backward',
                imbalance_ratio=10,
            ),
        )
    )
    assert torch.equal(batch.labels, torch.as_tensor(split.get_gt_labels()))
    assert torch.equal(batch.images[0], sample['inputs'])


def test_bad_distributions_are_refused(tmp_path):
    with pytest.raises(ValueError, match='distribution must be one of'):
        resampled_test_counts([5, 3], 10, 'sideways', 2)
    with pytest.raises(ValueError, match='imbalance_ratio must be >= 1'):
        resampled_test_counts([5, 3], 10, 'forward', 0.5)
    with pytest.raises(ValueError, match='uniform test distribution'):
        resampled_test_counts([5, 3], 10, 'uniform', 10)
    with pytest.raises(ValueError, match='class 1 has 2 test images'):
        resampled_test_indices(np.array([0, 0, 0, 1, 1]), [3, 3])
