"""Figures for long-tailed results: the training class distribution,
per-class accuracy against class frequency, reliability diagrams, the
per-class difference of two runs and the classifier's per-class weight
norms (the quantity that τ-norm and weight balancing act on).

Each function returns a matplotlib ``Figure`` built without pyplot (no
global backend is touched); :func:`figure_to_rgb` turns it into the
(H, W, 3) uint8 image that mmengine's visualizer backends take. Every
colour and line has a legend entry, and the layout is constrained so that
no label is clipped.
"""

from typing import Mapping, Optional, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from mmlt.class_counts import shot_groups

GROUP_COLOURS = {'many': '#1f77b4', 'medium': '#ff7f0e', 'few': '#d62728'}
#: Classes up to which each bar gets its class index as tick label.
MAX_LABELLED_CLASSES = 30


def figure_to_rgb(fig: Figure) -> np.ndarray:
    """The rendered figure, (H, W, 3) uint8."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def _groups(counts: Sequence[int], many_thr: int, few_thr: int):
    return np.asarray(shot_groups(list(counts), many_thr, few_thr))


def group_labels(many_thr: int, few_thr: int) -> dict:
    """Legend text of each shot group, with its training-image range."""
    return {
        'many': f'many-shot (> {many_thr} images)',
        'medium': f'medium-shot ({few_thr}-{many_thr})',
        'few': f'few-shot (< {few_thr})',
    }


def _group_handles(many_thr: int, few_thr: int) -> list:
    labels = group_labels(many_thr, few_thr)
    return [Patch(color=c, label=labels[g]) for g, c in GROUP_COLOURS.items()]


def _threshold_lines(many_thr: int, few_thr: int) -> list:
    """(value, line style, legend text) of the two shot-group thresholds."""
    return [
        (many_thr, '--', f'many-shot threshold: > {many_thr}'),
        (few_thr, ':', f'few-shot threshold: < {few_thr}'),
    ]


def class_order(counts: Sequence[int]) -> np.ndarray:
    """Class indices by training images, largest first (ties by index):
    the x order of every per-class figure here."""
    return np.argsort(-np.asarray(counts), kind='stable')


def _sorted_class_axis(
    ax, order: np.ndarray, classes: Optional[Sequence[str]] = None
) -> None:
    """x axis of bars in ``order`` (classes by training images, largest
    first): each bar labelled with its class name (``classes``, indexed by
    class) or else its class index for a few classes, integer ranks
    otherwise, and no tick beyond the last class."""
    n = len(order)
    ax.set_xlim(-0.5, n - 0.5)
    if n <= MAX_LABELLED_CLASSES and classes is not None:
        ax.set_xticks(np.arange(n))
        # names are longer than a bar is wide: slanted, they do not overlap
        ax.set_xticklabels(
            [str(classes[c]) for c in order],
            rotation=45,
            ha='right',
            rotation_mode='anchor',
        )
        ax.set_xlabel('class, sorted by training images')
    elif n <= MAX_LABELLED_CLASSES:
        ax.set_xticks(np.arange(n))
        ax.set_xticklabels([str(c) for c in order])
        ax.set_xlabel('class index, sorted by training images')
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel('class rank (0: most training images)')


def plot_class_distribution(
    counts: Sequence[int], many_thr: int = 100, few_thr: int = 20
) -> Figure:
    """Training images per class, largest first, on a log scale, coloured
    by shot group, with the two shot-group thresholds."""
    counts = np.asarray(counts)
    order = class_order(counts)
    groups = _groups(counts, many_thr, few_thr)[order]
    fig = Figure(figsize=(8, 4), dpi=100, layout='constrained')
    ax = fig.add_subplot()
    ax.bar(
        np.arange(len(counts)),
        np.maximum(counts[order], 0.5),
        width=0.9 if len(counts) <= MAX_LABELLED_CLASSES else 1.0,
        color=[GROUP_COLOURS[g] for g in groups],
    )
    ax.set_yscale('log')
    handles = _group_handles(many_thr, few_thr)
    for value, style, label in _threshold_lines(many_thr, few_thr):
        ax.axhline(value, color='black', linewidth=1.0, linestyle=style)
        handles.append(
            Line2D([], [], color='black', linestyle=style, label=label)
        )
    _sorted_class_axis(ax, order)
    ax.set_ylabel('training images (log scale)')
    ax.legend(handles=handles, loc='upper right', fontsize='small')
    ratio = counts.max() / max(counts[counts > 0].min(), 1)
    ax.set_title(
        f'{len(counts)} classes, {counts.sum()} images, ratio {ratio:.0f}'
    )
    return fig


def plot_accuracy_vs_frequency(
    counts: Sequence[int],
    accuracy: np.ndarray,
    many_thr: int = 100,
    few_thr: int = 20,
    title: Optional[str] = None,
) -> Figure:
    """Each class's test accuracy (%) against its training images (log)."""
    counts = np.asarray(counts)
    groups = _groups(counts, many_thr, few_thr)
    labels = group_labels(many_thr, few_thr)
    fig = Figure(figsize=(6, 4), dpi=100, layout='constrained')
    ax = fig.add_subplot()
    for group, colour in GROUP_COLOURS.items():
        keep = (groups == group) & ~np.isnan(accuracy)
        ax.scatter(
            counts[keep],
            100 * accuracy[keep],
            s=16,
            c=colour,
            label=labels[group],
        )
    for value, style, label in _threshold_lines(many_thr, few_thr):
        ax.axvline(value, color='black', linewidth=1.0, linestyle=style)
        ax.plot([], [], color='black', linestyle=style, label=label)
    ax.set_xscale('log')
    ax.set_ylim(-2, 102)
    ax.set_xlabel('training images of the class (log scale)')
    ax.set_ylabel('test accuracy of the class (%)')
    ax.legend(loc='lower right', fontsize='small')
    ax.set_title(
        title or f'class-mean accuracy {100 * np.nanmean(accuracy):.2f}%'
    )
    return fig


def plot_reliability(table: dict, ece: float) -> Figure:
    """Top: each confidence bin's accuracy against the diagonal, with the
    gap to the bin's mean confidence; bottom: the predictions in each bin.
    """
    edges = table['edges']
    centres = (edges[:-1] + edges[1:]) / 2
    width = edges[1] - edges[0]
    count = np.asarray(table['count'])
    fig = Figure(figsize=(5.5, 6.5), dpi=100, layout='constrained')
    ax, ax_count = fig.subplots(
        2, 1, sharex=True, gridspec_kw=dict(height_ratios=[3, 1])
    )
    accuracy = np.nan_to_num(table['accuracy'])
    confidence = np.nan_to_num(table['confidence'])
    ax.bar(
        centres,
        accuracy,
        width=width,
        color='#1f77b4',
        edgecolor='black',
        label='accuracy in the bin',
    )
    # the gap from the accuracy to the mean confidence: red above the bar
    # (over-confident), hatched inside it (under-confident)
    over = np.maximum(confidence - accuracy, 0)
    under = np.maximum(accuracy - confidence, 0)
    ax.bar(
        centres,
        over,
        bottom=accuracy,
        width=width,
        color='#d62728',
        alpha=0.45,
        label='over-confidence: mean confidence above accuracy',
    )
    ax.bar(
        centres,
        under,
        bottom=accuracy - under,
        width=width,
        fill=False,
        hatch='//',
        edgecolor='white',
        linewidth=0,
        label='under-confidence: mean confidence below accuracy',
    )
    ax.plot([0, 1], [0, 1], color='grey', linestyle='--', label='calibrated')
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_ylabel('accuracy')
    ax.set_title(f'ECE {100 * ece:.2f}% ({len(centres)} bins)')
    ax_count.bar(
        centres,
        count,
        width=width,
        color='grey',
        edgecolor='black',
        label='predictions in the bin',
    )
    for x, n in zip(centres, count):
        if n:
            ax_count.annotate(
                str(int(n)),
                (x, n),
                ha='center',
                va='bottom',
                fontsize='x-small',
            )
    ax_count.set_yscale('log')
    ax_count.set_ylim(0.8, max(count.max(), 1) * 4)
    ax_count.set_xlabel('confidence (top predicted probability)')
    ax_count.set_ylabel('predictions')
    handles, _ = ax.get_legend_handles_labels()
    # the hatched bar's own handle is white on white: show it on blue
    handles[-1] = Patch(
        facecolor='#1f77b4',
        hatch='//',
        edgecolor='white',
        label=handles[-1].get_label(),
    )
    handles += ax_count.get_legend_handles_labels()[0]
    fig.legend(handles=handles, loc='outside lower center', fontsize='small')
    return fig


def plot_comparison(
    counts: Sequence[int],
    accuracy_a: np.ndarray,
    accuracy_b: np.ndarray,
    names: Sequence[str] = ('A', 'B'),
) -> Figure:
    """Per-class accuracy of run B minus run A, classes sorted by training
    images, largest first."""
    counts = np.asarray(counts)
    order = class_order(counts)
    diff = 100 * (np.asarray(accuracy_b) - np.asarray(accuracy_a))[order]
    fig = Figure(figsize=(8, 4), dpi=100, layout='constrained')
    ax = fig.add_subplot()
    colours = np.where(diff >= 0, '#2ca02c', '#d62728')
    width = 0.9 if len(diff) <= MAX_LABELLED_CLASSES else 1.0
    ax.bar(
        np.arange(len(diff)), np.nan_to_num(diff), width=width, color=colours
    )
    ax.axhline(0, color='black', linewidth=0.8)
    _sorted_class_axis(ax, order)
    ax.set_ylabel(f'accuracy {names[1]} - {names[0]} (points)')
    ax.legend(
        handles=[
            Patch(color='#2ca02c', label=f'{names[1]} better (or equal)'),
            Patch(color='#d62728', label=f'{names[0]} better'),
        ],
        loc='best',
        fontsize='small',
    )
    mean = np.nanmean(diff)
    ax.set_title(f'{names[1]} vs {names[0]}: class-mean {mean:+.2f} points')
    return fig


def largest_over_smallest(values: np.ndarray) -> float:
    """max / min of positive values; inf when the smallest is 0."""
    smallest = np.min(values)
    return float(np.max(values) / smallest) if smallest > 0 else np.inf


def plot_classifier_norms(
    counts: Sequence[int],
    norms: Mapping[str, np.ndarray],
    classes: Optional[Sequence[str]] = None,
) -> Figure:
    """Each run's per-class classifier weight norm, classes sorted by
    training images, largest first; each run's legend entry gives its
    largest over smallest norm.

    Args:
        counts (Sequence[int]): Training images of each class.
        norms (Mapping[str, np.ndarray]): Run name -> (C,) norms.
        classes (Sequence[str], optional): Class names, in class order (a
            dataset's ``metainfo['classes']``), the x tick labels; class
            indices when None. Defaults to None.
    """
    counts = np.asarray(counts)
    if classes is not None and len(classes) != len(counts):
        raise ValueError(
            f'classes has {len(classes)} names but counts {len(counts)} '
            'classes'
        )
    order = class_order(counts)
    fig = Figure(figsize=(8, 4), dpi=100, layout='constrained')
    ax = fig.add_subplot()
    for name, norm in norms.items():
        norm = np.asarray(norm, dtype=float)
        ax.plot(
            np.arange(len(norm)),
            norm[order],
            marker='o',
            markersize=3,
            label=f'{name} (max / min {largest_over_smallest(norm):.2f})',
        )
    _sorted_class_axis(ax, order, classes)
    ax.set_ylim(bottom=0)
    ax.set_ylabel('L2 norm of the class weight vector')
    ax.legend(loc='best', fontsize='small')
    ax.set_title('classifier weight norm per class')
    return fig
