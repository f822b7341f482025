from .cam_set_grid import cam_set_grid
from .long_tail_plots import (
    class_order,
    figure_to_rgb,
    largest_over_smallest,
    plot_accuracy_vs_frequency,
    plot_class_distribution,
    plot_classifier_norms,
    plot_comparison,
    plot_reliability,
)

__all__ = [
    'cam_set_grid',
    'class_order',
    'figure_to_rgb',
    'largest_over_smallest',
    'plot_accuracy_vs_frequency',
    'plot_class_distribution',
    'plot_classifier_norms',
    'plot_comparison',
    'plot_reliability',
]
