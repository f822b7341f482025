import math

import numpy as np
import pytest
import torch

from mmlt.class_counts import METAINFO_KEY
from mmlt.evaluation import (
    CalibrationError,
    LongTailAccuracy,
    confusion_matrix,
    expected_calibration_error,
    per_class_accuracy,
    reliability_bins,
)


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
    metric = LongTailAccuracy(class_counts=[150, 50, 5, 10])
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
    metric.dataset_meta = {
        'classes': ('a', 'b', 'c'),
        METAINFO_KEY: [50, 40, 7],
    }
    out = evaluate(metric, [0, 2, 2], [0, 1, 2])
    # 50 > 40 many; 40 medium (not more than 40); 7 < 8 few
    assert (out['lt/many'], out['lt/medium'], out['lt/few']) == (100, 0, 100)


def test_an_empty_group_is_left_out_and_no_counts_warns():
    out = evaluate(LongTailAccuracy(class_counts=[500, 400]), [0, 1], [0, 0])
    assert out['lt/many'] == 50
    assert set(out) == {'lt/top1', 'lt/class_mean', 'lt/many'}
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
        evaluate(LongTailAccuracy(class_counts=[5, 3]), [0], [4])


def test_confusion_matrix_and_export_match_a_hand_count(tmp_path):
    gt = [0, 0, 0, 1, 1, 2]
    pred = [0, 2, 0, 1, 0, 2]
    expected = np.array([[2, 0, 1], [1, 1, 0], [0, 0, 1]])
    assert np.array_equal(
        confusion_matrix(np.array(pred), np.array(gt), 3), expected
    )
    out = tmp_path / 'eval' / 'confusion.npz'
    metric = LongTailAccuracy(class_counts=[150, 50, 5], out_file=str(out))
    metric.dataset_meta = dict(classes=('cat', 'dog', 'emu'))
    evaluate(metric, pred, gt)
    saved = np.load(out)
    assert np.array_equal(saved['confusion'], expected)
    np.testing.assert_allclose(saved['per_class_accuracy'], [2 / 3, 1 / 2, 1])
    assert saved['class_counts'].tolist() == [150, 50, 5]
    assert saved['classes'].tolist() == ['cat', 'dog', 'emu']


def test_expected_calibration_error_by_hand():
    # 3 bins: (0, 1/3], (1/3, 2/3], (2/3, 1]
    confidence = np.array([0.2, 0.3, 0.5, 0.6, 0.9, 0.95, 1.0, 0.0])
    correct = np.array([0, 1, 1, 1, 1, 0, 1, 0])
    table = reliability_bins(confidence, correct, bins=3)
    assert table['count'].tolist() == [3, 2, 3]
    np.testing.assert_allclose(table['accuracy'], [1 / 3, 1, 2 / 3])
    np.testing.assert_allclose(table['confidence'], [0.5 / 3, 0.55, 2.85 / 3])
    # bins weigh 3/8, 2/8, 3/8: gaps |1/3 - 1/6|, |1 - 0.55|, |2/3 - 0.95|
    expected = (3 * (1 / 6) + 2 * 0.45 + 3 * (0.95 - 2 / 3)) / 8
    assert expected_calibration_error(confidence, correct, 3) == pytest.approx(
        expected
    )


def test_calibration_error_metric_reads_the_predicted_scores():
    metric = CalibrationError(bins=15)
    samples = [
        dict(pred_score=torch.tensor([0.9, 0.1]), gt_label=torch.tensor([0])),
        dict(pred_score=torch.tensor([0.8, 0.2]), gt_label=torch.tensor([1])),
        dict(pred_score=torch.tensor([0.3, 0.7]), gt_label=torch.tensor([1])),
    ]
    metric.process(None, samples)
    out = metric.evaluate(3)
    # each confidence alone in its bin: gaps 0.1, 0.8, 0.3
    assert out['calib/ece'] == pytest.approx(100 * (0.1 + 0.8 + 0.3) / 3)
    with pytest.raises(ValueError, match='bins must be an int >= 1'):
        CalibrationError(bins=0)
    with pytest.raises(ValueError, match=r'probabilities in \[0, 1\]'):
        reliability_bins(np.array([1.5]), np.array([1]))
