from .calibration_error import (
    CalibrationError,
    expected_calibration_error,
    reliability_bins,
)
from .expert_usage import ExpertUsageMetric, routed_macs
from .long_tail_accuracy import (
    LongTailAccuracy,
    confusion_matrix,
    per_class_accuracy,
)
from .open_set_f_measure import (
    OpenSetFMeasure,
    open_set_f_measure,
    open_set_predictions,
)

__all__ = [
    'CalibrationError',
    'ExpertUsageMetric',
    'LongTailAccuracy',
    'OpenSetFMeasure',
    'confusion_matrix',
    'expected_calibration_error',
    'open_set_f_measure',
    'open_set_predictions',
    'per_class_accuracy',
    'reliability_bins',
    'routed_macs',
]
