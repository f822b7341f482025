from .long_tail_plots import (
    figure_to_rgb,
    plot_accuracy_vs_frequency,
    plot_class_distribution,
    plot_comparison,
    plot_reliability,
)

__all__ = [
    'figure_to_rgb',
    'plot_accuracy_vs_frequency',
    'plot_class_distribution',
    'plot_comparison',
    'plot_reliability',
]
