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

__all__ = [
    'CalibrationError',
    'ExpertUsageMetric',
    'LongTailAccuracy',
    'confusion_matrix',
    'expected_calibration_error',
    'per_class_accuracy',
    'reliability_bins',
    'routed_macs',
]
