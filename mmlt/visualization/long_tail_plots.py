"""Figures for long-tailed results: the training class distribution,
per-class accuracy against class frequency, reliability diagrams and the
per-class difference of two runs.

Each function returns a matplotlib ``Figure`` built without pyplot (no
global backend is touched); :func:`figure_to_rgb` turns it into the
(H, W, 3) uint8 image that mmengine's visualizer backends take.
"""

from typing import Optional, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from mmlt.class_counts import shot_groups

GROUP_COLOURS = {'many': '#1f77b4', 'medium': '#ff7f0e', 'few': '#d62728'}


def figure_to_rgb(fig: Figure) -> np.ndarray:
    """The rendered figure, (H, W, 3) uint8."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def _groups(counts: Sequence[int], many_thr: int, few_thr: int):
    return np.asarray(shot_groups(list(counts), many_thr, few_thr))


def plot_class_distribution(
    counts: Sequence[int], many_thr: int = 100, few_thr: int = 20
) -> Figure:
    """Training images per class, largest first, on a log scale, coloured
    by shot group."""
    counts = np.asarray(counts)
    order = np.argsort(-counts, kind='stable')
    groups = _groups(counts, many_thr, few_thr)[order]
    fig = Figure(figsize=(8, 4), dpi=100)
    ax = fig.add_subplot()
    ax.bar(
        np.arange(len(counts)),
        np.maximum(counts[order], 0.5),
        width=1.0,
        color=[GROUP_COLOURS[g] for g in groups],
    )
    ax.set_yscale('log')
    for thr in (many_thr, few_thr):
        ax.axhline(thr, color='grey', linewidth=0.8, linestyle='--')
    ax.set_xlabel('class (sorted by training images)')
    ax.set_ylabel('training images')
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
    fig = Figure(figsize=(6, 4), dpi=100)
    ax = fig.add_subplot()
    for group, colour in GROUP_COLOURS.items():
        keep = (groups == group) & ~np.isnan(accuracy)
        ax.scatter(
            counts[keep], 100 * accuracy[keep], s=12, c=colour, label=group
        )
    ax.set_xscale('log')
    ax.set_ylim(-2, 102)
    ax.set_xlabel('training images of the class')
    ax.set_ylabel('test accuracy (%)')
    ax.legend(loc='lower right')
    ax.set_title(
        title or f'class-mean accuracy {100 * np.nanmean(accuracy):.2f}%'
    )
    return fig


def plot_reliability(table: dict, ece: float) -> Figure:
    """Accuracy per confidence bin against the diagonal, and the counts."""
    edges = table['edges']
    centres = (edges[:-1] + edges[1:]) / 2
    width = edges[1] - edges[0]
    fig = Figure(figsize=(5, 5), dpi=100)
    ax = fig.add_subplot()
    accuracy = np.nan_to_num(table['accuracy'])
    ax.bar(centres, accuracy, width=width, edgecolor='black', label='accuracy')
    gap = np.nan_to_num(table['confidence']) - accuracy
    ax.bar(
        centres,
        gap,
        bottom=accuracy,
        width=width,
        color='#d62728',
        alpha=0.4,
        label='gap to confidence',
    )
    ax.plot([0, 1], [0, 1], color='grey', linestyle='--')
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel('confidence')
    ax.set_ylabel('accuracy')
    ax.legend(loc='upper left')
    ax.set_title(f'ECE {100 * ece:.2f}% ({len(centres)} bins)')
    return fig


def plot_comparison(
    counts: Sequence[int],
    accuracy_a: np.ndarray,
    accuracy_b: np.ndarray,
    names: Sequence[str] = ('A', 'B'),
) -> Figure:
    """Per-class accuracy of run B minus run A (points), classes sorted by
    training images, largest first."""
    counts = np.asarray(counts)
    order = np.argsort(-counts, kind='stable')
    diff = 100 * (np.asarray(accuracy_b) - np.asarray(accuracy_a))[order]
    fig = Figure(figsize=(8, 4), dpi=100)
    ax = fig.add_subplot()
    colours = np.where(diff >= 0, '#2ca02c', '#d62728')
    ax.bar(np.arange(len(diff)), np.nan_to_num(diff), width=1.0, color=colours)
    ax.axhline(0, color='black', linewidth=0.8)
    ax.set_xlabel('class (sorted by training images)')
    ax.set_ylabel(f'accuracy {names[1]} - {names[0]} (points)')
    mean = np.nanmean(diff)
    ax.set_title(f'{names[1]} vs {names[0]}: class-mean {mean:+.2f} points')
    return fig
