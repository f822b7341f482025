"""OLTR's open-set evaluation: thresholded predictions and the F-measure.

`Large-Scale Long-Tailed Recognition in an Open World
<https://arxiv.org/abs/1904.05160>`_ (Liu et al., CVPR 2019), as the
official code evaluates (zhmiao/OpenLongTailRecognition-OLTR,
``run_networks.py`` ``eval(openset=True)`` and ``utils.py``
``F_measure``, after its fix of 01/29/2020). An image whose top softmax
probability is below the threshold (0.1) is predicted "unknown" (-1);
test images of classes outside the training set carry the label -1.
Over the N images::

    TP = #{pred = label, label known}
    FP = #{pred != label, label known}     (a rejected known image too)
    FN = #{pred != label, label unknown}   (an unknown image not rejected)
    F  = 2 P R / (P + R),  P = TP / (TP + FP),  R = TP / (TP + FN)

An unknown image that is rejected counts in none of them.
"""

from typing import Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmpretrain.registry import METRICS

from mmlt.utils import UNKNOWN_LABEL


def open_set_predictions(scores: np.ndarray, threshold: float) -> np.ndarray:
    """The top class of each row of ``scores`` (N, C), or -1 where its
    probability is below ``threshold``; (N,)."""
    scores = np.asarray(scores)
    preds = scores.argmax(axis=1)
    preds[scores.max(axis=1) < threshold] = UNKNOWN_LABEL
    return preds


def open_set_f_measure(preds: np.ndarray, labels: np.ndarray) -> float:
    """The official open-set F-measure (module docstring), in [0, 1].

    Raises:
        ValueError: when no image has a known label (P is undefined).
    """
    preds, labels = np.asarray(preds), np.asarray(labels)
    known = labels != UNKNOWN_LABEL
    if not known.any():
        raise ValueError('the open-set F-measure needs known-class images')
    right = preds == labels
    true_pos = np.sum(right & known)
    false_pos = np.sum(~right & known)
    false_neg = np.sum(~right & ~known)
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg) if true_pos else 0.0
    return float(2 * precision * recall / (precision + recall + 1e-12))


@METRICS.register_module()
class OpenSetFMeasure(BaseMetric):
    """OLTR's open-set metrics (module docstring), in percent:
    ``f_measure``; ``known_top1``, the top-1 of the known-class images
    with rejections counted wrong; and ``rejected_unknown``, the share of
    unknown images predicted unknown (the official "Openset Accuracy";
    absent without unknown images).

    Args:
        threshold (float): Reject below this top probability, in [0, 1]
            and above ``1 / C`` (at or below it nothing can be rejected).
            Defaults to 0.1 (the official ``open_threshold``, for
            ImageNet-LT's and Places-LT's hundreds of classes).
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Defaults to 'open_set'.
    """

    default_prefix = 'open_set'

    def __init__(
        self,
        threshold: float = 0.1,
        collect_device: str = 'cpu',
        prefix: Optional[str] = None,
    ) -> None:
        if not 0 <= threshold <= 1:
            raise ValueError(f'threshold must be in [0, 1], got {threshold}')
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.threshold = threshold

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            score = sample['pred_score'].float().cpu().numpy()
            self.results.append((score, int(sample['gt_label'])))

    def compute_metrics(self, results: list) -> dict:
        scores = np.stack([r[0] for r in results])
        labels = np.asarray([r[1] for r in results])
        if self.threshold <= 1 / scores.shape[1]:
            raise ValueError(
                f'OpenSetFMeasure: threshold {self.threshold} rejects no '
                f'image over {scores.shape[1]} classes (the top probability '
                f'is at least 1/{scores.shape[1]}); set a threshold above it'
            )
        preds = open_set_predictions(scores, self.threshold)
        known = labels != UNKNOWN_LABEL
        metrics = {
            'f_measure': 100.0 * open_set_f_measure(preds, labels),
            'known_top1': 100.0
            * float(np.mean(preds[known] == labels[known])),
        }
        if not known.all():
            metrics['rejected_unknown'] = 100.0 * float(
                np.mean(preds[~known] == UNKNOWN_LABEL)
            )
        return metrics
