"""Expected calibration error and the reliability diagram's bins.

`On Calibration of Modern Neural Networks <https://arxiv.org/abs/1706.04599>`_
(Guo et al., ICML 2017): the predictions are split by confidence (the top
predicted probability) into equal-width bins of [0, 1]; ECE is the
sample-weighted mean gap between each bin's accuracy and its mean
confidence. Long-tailed models are over-confident on the head classes, so
mmlt reports it beside accuracy.
"""

from typing import Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmpretrain.registry import METRICS


def reliability_bins(
    confidence: np.ndarray, correct: np.ndarray, bins: int = 15
) -> dict:
    """Per-bin counts, accuracies and mean confidences.

    Bin ``b`` holds the confidences in ``(b / bins, (b + 1) / bins]``
    (bin 0 includes 0).

    Args:
        confidence (np.ndarray): Top predicted probability, (N,), in [0, 1].
        correct (np.ndarray): Whether each prediction is right, (N,).
        bins (int): Number of equal-width bins, >= 1.

    Returns:
        dict: ``count`` (bins,), ``accuracy`` and ``confidence`` (bins,),
        NaN for empty bins, and ``edges`` (bins + 1,).
    """
    if bins < 1:
        raise ValueError(f'bins must be >= 1, got {bins}')
    confidence = np.asarray(confidence, dtype=np.float64)
    if confidence.size and (confidence.min() < 0 or confidence.max() > 1):
        raise ValueError('confidences must be probabilities in [0, 1]')
    correct = np.asarray(correct, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    count = np.bincount(index, minlength=bins)
    with np.errstate(invalid='ignore', divide='ignore'):
        accuracy = np.bincount(index, correct, bins) / count
        mean_conf = np.bincount(index, confidence, bins) / count
    return dict(
        count=count, accuracy=accuracy, confidence=mean_conf, edges=edges
    )


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = 15
) -> float:
    """``sum_b |B_b| / N * |acc(B_b) - conf(B_b)|``, in [0, 1].

    Args:
        confidence (np.ndarray): Top predicted probability, (N,).
        correct (np.ndarray): Whether each prediction is right, (N,).
        bins (int): Number of equal-width bins. Defaults to 15.
    """
    table = reliability_bins(confidence, correct, bins)
    filled = table['count'] > 0
    gaps = np.abs(table['accuracy'] - table['confidence'])[filled]
    return float((table['count'][filled] * gaps).sum() / len(confidence))


@METRICS.register_module()
class CalibrationError(BaseMetric):
    """Expected calibration error (``ece``, in percent) of the predicted
    scores.

    Args:
        bins (int): Equal-width confidence bins. Defaults to 15.
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Defaults to 'calib'.
    """

    default_prefix = 'calib'

    def __init__(
        self,
        bins: int = 15,
        collect_device: str = 'cpu',
        prefix: Optional[str] = None,
    ) -> None:
        if not isinstance(bins, int) or bins < 1:
            raise ValueError(f'bins must be an int >= 1, got {bins}')
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.bins = bins

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            score = sample['pred_score']
            self.results.append(
                (
                    float(score.max()),
                    int(score.argmax()) == int(sample['gt_label']),
                )
            )

    def compute_metrics(self, results: list) -> dict:
        confidence, correct = (np.asarray(r) for r in zip(*results))
        ece = expected_calibration_error(confidence, correct, self.bins)
        return {'ece': 100.0 * ece}
