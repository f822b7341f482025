"""CIFAR-LT subsets equal the LDAM-DRW reference generator's, on full-size
label arrays. The reference is re-implemented here as methods.md describes
it: the global numpy RNG seeded once, one shuffle per class in label order.
"""

import numpy as np
import pytest

from mmlt.class_counts import shot_groups
from mmlt.datasets import long_tail_counts, reference_subset_indices


def reference_generator(labels, num_classes, imb_type, imb_factor, seed=0):
    img_max = len(labels) / num_classes
    if imb_type == 'exp':
        per_cls = [
            int(img_max * (imb_factor ** (i / (num_classes - 1.0))))
            for i in range(num_classes)
        ]
    else:
        per_cls = [int(img_max)] * (num_classes // 2) + [
            int(img_max * imb_factor)
        ] * (num_classes // 2)
    np.random.seed(seed)
    targets = np.array(labels, dtype=np.int64)
    kept = []
    for cls, n in zip(np.unique(targets), per_cls):
        idx = np.where(targets == cls)[0]
        np.random.shuffle(idx)
        kept.append(idx[:n])
    return per_cls, np.concatenate(kept)


def full_size_labels(num_classes, seed=123):
    rng = np.random.default_rng(seed)
    return rng.permutation(
        np.repeat(np.arange(num_classes), 50000 // num_classes)
    )


@pytest.mark.parametrize(
    'num_classes,imb_type,imb_factor,size',
    [
        (10, 'exp', 0.01, 12406),
        (100, 'exp', 0.01, 10847),
        (10, 'step', 0.01, 25250),
        (100, 'step', 0.1, 27500),
        (10, 'exp', 0.1, None),
    ],
)
def test_matches_reference_generator(num_classes, imb_type, imb_factor, size):
    labels = full_size_labels(num_classes)
    ref_counts, ref_idx = reference_generator(
        labels, num_classes, imb_type, imb_factor
    )
    counts = long_tail_counts(
        len(labels) / num_classes, num_classes, imb_type, imb_factor
    )
    idx = reference_subset_indices(labels, counts, seed=0)
    assert counts == ref_counts
    np.testing.assert_array_equal(idx, ref_idx)
    if size is not None:
        assert len(idx) == size
    state = np.random.get_state()[1][:4].copy()
    reference_subset_indices(labels, counts, seed=0)
    # the global RNG is left alone
    np.testing.assert_array_equal(np.random.get_state()[1][:4], state)


def test_other_seed_selects_other_images():
    labels = full_size_labels(10)
    counts = long_tail_counts(5000, 10)
    a = reference_subset_indices(labels, counts, seed=0)
    b = reference_subset_indices(labels, counts, seed=1)
    assert len(a) == len(b) and not np.array_equal(np.sort(a), np.sort(b))


def test_none_profile_is_balanced():
    assert long_tail_counts(500, 100, 'none', 0.01) == [500] * 100


@pytest.mark.parametrize('imb_factor', [0, -0.1, 1.5, float('nan')])
def test_bad_imb_factor(imb_factor):
    with pytest.raises(ValueError, match='imb_factor'):
        long_tail_counts(5000, 10, 'exp', imb_factor)


def test_bad_imb_type():
    with pytest.raises(ValueError, match='imb_type'):
        long_tail_counts(5000, 10, 'linear', 0.01)


def test_empty_class_is_an_error():
    with pytest.raises(ValueError, match='0 images'):
        long_tail_counts(50, 10, 'exp', 0.01)


def test_class_with_too_few_images():
    labels = np.repeat(np.arange(3), [10, 10, 2])
    with pytest.raises(ValueError, match='class 2 has 2 images'):
        reference_subset_indices(labels, [5, 4, 3], seed=0)


def test_shot_groups_thresholds():
    assert shot_groups([500, 101, 100, 20, 19, 1]) == [
        'many',
        'many',
        'medium',
        'medium',
        'few',
        'few',
    ]
    assert shot_groups([50, 10], many_thr=40, few_thr=11) == ['many', 'few']
