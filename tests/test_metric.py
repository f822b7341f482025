import math

import numpy as np
import pytest
import torch

from mmlt.evaluation import LongTailAccuracy, per_class_accuracy


def evaluate(metric, pred, gt):
    metric.process(
        None,
        [
            dict(pred_label=torch.tensor([p]), gt_label=torch.tensor([g]))
            for p, g in zip(pred, gt)
        ],
    )
    return metric.evaluate(len(gt))


def test_hand_computed_example():
    # classes: 0 many (150 train), 1 medium (50), 2 few (5), 3 few (10)
    metric = LongTailAccuracy(train_class_counts=[150, 50, 5, 10])
    gt = [0, 0, 0, 0, 1, 1, 2, 2, 2, 3]
    pred = [0, 0, 0, 1, 1, 0, 2, 0, 0, 3]
    # per class: 3/4, 1/2, 1/3, 1/1
    out = evaluate(metric, pred, gt)
    assert out['lt/top1'] == pytest.approx(100 * 6 / 10)
    assert out['lt/class_mean'] == pytest.approx(
        100 * (0.75 + 0.5 + 1 / 3 + 1) / 4
    )
    assert out['lt/many'] == pytest.approx(75)
    assert out['lt/medium'] == pytest.approx(50)
    assert out['lt/few'] == pytest.approx(100 * (1 / 3 + 1) / 2)


def test_thresholds_and_counts_from_dataset_meta():
    metric = LongTailAccuracy(many_thr=40, few_thr=8)
    metric.dataset_meta = dict(
        classes=('a', 'b', 'c'), train_class_counts=[50, 40, 7]
    )
    out = evaluate(metric, [0, 2, 2], [0, 1, 2])
    # 50 > 40 many; 40 medium (not more than 40); 7 < 8 few
    assert (out['lt/many'], out['lt/medium'], out['lt/few']) == (100, 0, 100)


def test_empty_group_is_nan_and_no_counts_warns():
    out = evaluate(
        LongTailAccuracy(train_class_counts=[500, 400]), [0, 1], [0, 0]
    )
    assert out['lt/many'] == 50 and math.isnan(out['lt/few'])
    metric = LongTailAccuracy()
    metric.dataset_meta = dict(classes=('a', 'b'))
    out = evaluate(metric, [0, 1], [0, 0])
    assert set(out) == {'lt/top1', 'lt/class_mean'}


def test_per_class_accuracy_absent_class_is_nan():
    acc = per_class_accuracy(np.array([0, 1]), np.array([0, 0]), 3)
    assert acc[0] == 0.5 and math.isnan(acc[1]) and math.isnan(acc[2])


def test_bad_thresholds_and_labels():
    with pytest.raises(ValueError, match='few_thr'):
        LongTailAccuracy(many_thr=10, few_thr=20)
    with pytest.raises(ValueError, match='outside'):
        evaluate(LongTailAccuracy(train_class_counts=[5, 3]), [0], [4])
