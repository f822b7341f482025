"""The analysis figures explain themselves: a legend entry for every colour
and line (shot groups, the two thresholds, calibration gaps), one tick per
class for a few classes, per-bin counts, and no label outside the image."""

import numpy as np
import pytest

from mmlt.datasets import long_tail_counts
from mmlt.evaluation import reliability_bins
from mmlt.visualization import (
    figure_to_rgb,
    largest_over_smallest,
    plot_accuracy_vs_frequency,
    plot_class_distribution,
    plot_classifier_norms,
    plot_comparison,
    plot_reliability,
)

COUNTS = long_tail_counts(400, 10, 'exp', 0.01)  # MNIST-LT: 400 ... 4
GROUPS = [
    'many-shot (> 100 images)',
    'medium-shot (20-100)',
    'few-shot (< 20)',
]
THRESHOLDS = ['many-shot threshold: > 100', 'few-shot threshold: < 20']


def legend_texts(fig):
    legends = [ax.get_legend() for ax in fig.axes] + list(fig.legends)
    return [t.get_text() for lg in legends if lg for t in lg.get_texts()]


def assert_labels_inside(fig):
    figure_to_rgb(fig)  # lays it out
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    for ax in fig.axes:
        for label in (ax.xaxis.label, ax.yaxis.label, ax.title):
            if label.get_text():
                extent = label.get_window_extent(renderer)
                assert box.x0 <= extent.x0 and extent.x1 <= box.x1
                assert box.y0 <= extent.y0 and extent.y1 <= box.y1


def test_class_distribution_legends_and_ticks():
    fig = plot_class_distribution(COUNTS)
    assert legend_texts(fig) == GROUPS + THRESHOLDS
    (ax,) = fig.axes
    # one tick per class, labelled with the class, none past the last
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        str(i) for i in range(10)
    ]
    assert ax.get_xlim() == (-0.5, 9.5)
    assert_labels_inside(fig)


def test_many_classes_get_integer_ranks():
    counts = long_tail_counts(500, 100, 'exp', 0.01)
    ax = plot_class_distribution(counts).axes[0]
    ticks = [t for t in ax.get_xticks() if -0.5 <= t <= 99.5]
    assert all(float(t).is_integer() for t in ticks)
    assert ax.get_xlim() == (-0.5, 99.5)


def test_per_class_legend_and_x_label_inside():
    accuracy = np.linspace(1.0, 0.7, 10)
    fig = plot_accuracy_vs_frequency(COUNTS, accuracy)
    assert legend_texts(fig) == GROUPS + THRESHOLDS
    assert_labels_inside(fig)


def test_reliability_explains_the_gap_and_counts_each_bin():
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.3, 1.0, 500)
    correct = rng.random(500) < confidence**2
    table = reliability_bins(confidence, correct, 15)
    fig = plot_reliability(table, 0.1)
    texts = legend_texts(fig)
    assert any(t.startswith('over-confidence') for t in texts)
    assert any(t.startswith('under-confidence') for t in texts)
    assert 'predictions in the bin' in texts and 'calibrated' in texts
    counts = [int(t.get_text()) for t in fig.axes[1].texts]
    assert counts == [int(n) for n in table['count'] if n]
    assert_labels_inside(fig)


def test_comparison_legend_names_the_runs():
    a, b = np.full(10, 0.8), np.linspace(0.7, 0.9, 10)
    fig = plot_comparison(COUNTS, a, b, ('CE', 'LDAM'))
    assert legend_texts(fig) == ['LDAM better (or equal)', 'CE better']
    assert_labels_inside(fig)


@pytest.mark.parametrize('few, many', [(5, 50)])
def test_thresholds_follow_the_arguments(few, many):
    fig = plot_class_distribution(COUNTS, many_thr=many, few_thr=few)
    assert f'many-shot threshold: > {many}' in legend_texts(fig)
    assert f'few-shot (< {few})' in legend_texts(fig)


def test_classifier_norms_sort_classes_and_give_each_runs_spread():
    counts = [5, 50, 500]
    norms = {'CE': np.array([1.0, 2.0, 4.0]), 'WB': np.array([1.5, 1.5, 3.0])}
    fig = plot_classifier_norms(counts, norms)
    assert legend_texts(fig) == ['CE (max / min 4.00)', 'WB (max / min 2.00)']
    lines = fig.axes[0].get_lines()
    # largest class first: class 2, then 1, then 0
    np.testing.assert_array_equal(lines[0].get_ydata(), [4.0, 2.0, 1.0])
    np.testing.assert_array_equal(lines[1].get_ydata(), [3.0, 1.5, 1.5])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        '2',
        '1',
        '0',
    ]
    assert_labels_inside(fig)


def test_classifier_norms_name_the_classes_readably():
    counts = [5, 50, 500]
    classes = ('T-shirt/top', 'Trouser', 'Ankle boot')
    fig = plot_classifier_norms(counts, {'CE': np.ones(3)}, classes)
    (ax,) = fig.axes
    ticks = ax.get_xticklabels()
    # largest class first, each tick its class's name
    assert [t.get_text() for t in ticks] == [
        'Ankle boot',
        'Trouser',
        'T-shirt/top',
    ]
    assert all(t.get_rotation() == 45 for t in ticks)
    assert ax.get_xlabel() == 'class, sorted by training images'
    assert_labels_inside(fig)
    renderer = fig.canvas.get_renderer()
    for tick in ticks:
        extent = tick.get_window_extent(renderer)
        assert fig.bbox.x0 <= extent.x0 and extent.y0 >= fig.bbox.y0
    with pytest.raises(ValueError, match='classes has 2 names but counts 3'):
        plot_classifier_norms(counts, {'CE': np.ones(3)}, classes[:2])


def test_a_zero_norm_gives_an_infinite_spread():
    assert largest_over_smallest(np.array([0.0, 1.0])) == np.inf
    assert largest_over_smallest(np.array([0.5, 2.0])) == 4.0
