"""Long-tail accuracy: top-1, class-mean and many/medium/few-shot accuracy.

The shot groups follow `Large-Scale Long-Tailed Recognition in an Open
World <https://arxiv.org/abs/1904.05160>`_ (Liu et al., CVPR 2019): classes
with more than 100 training images are 'many', fewer than 20 'few', the
rest 'medium'; each group's accuracy is the mean of its classes' accuracies.
"""

import os
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmpretrain.registry import METRICS

from mmlt.class_counts import SHOT_GROUPS, recorded_counts, shot_groups
from mmlt.utils import UNKNOWN_LABEL


def per_class_accuracy(
    pred: np.ndarray, gt: np.ndarray, num_classes: int
) -> np.ndarray:
    """Accuracy of each class, NaN for classes absent from ``gt``.

    Args:
        pred (np.ndarray): Predicted labels, shape (N,).
        gt (np.ndarray): True labels, shape (N,).
        num_classes (int): C.

    Returns:
        np.ndarray: Shape (C,), in [0, 1] or NaN.
    """
    total = np.bincount(gt, minlength=num_classes).astype(np.float64)
    correct = np.bincount(gt[pred == gt], minlength=num_classes)
    with np.errstate(invalid='ignore', divide='ignore'):
        return np.where(total > 0, correct / total, np.nan)


def confusion_matrix(
    pred: np.ndarray, gt: np.ndarray, num_classes: int
) -> np.ndarray:
    """Counts of (true class, predicted class), shape (C, C), int64."""
    flat = np.bincount(gt * num_classes + pred, minlength=num_classes**2)
    return flat.reshape(num_classes, num_classes)


@METRICS.register_module()
class LongTailAccuracy(BaseMetric):
    """Top-1, class-mean and many/medium/few-shot accuracy, in percent.

    Keys: ``top1``, ``class_mean``, ``many``, ``medium``, ``few`` (under the
    prefix, 'lt' by default); a shot group none of whose classes is in the
    evaluated set (CIFAR-10-LT has no 'few' class, say) is left out.
    Groups come from the training class counts:
    ``class_counts`` when given, else the evaluated dataset's metainfo
    (mmlt's long-tailed datasets record it in both splits). Without counts
    only ``top1`` and ``class_mean`` are reported, with a warning. Images
    labelled -1 (classes outside training: an open set, ``OpenSetSplit``)
    are left out; ``OpenSetFMeasure`` scores them.

    Args:
        class_counts (Sequence[int], optional): Training images per class.
        many_thr (int): A class with more than this many training images is
            'many'-shot. Defaults to 100.
        few_thr (int): A class with fewer than this many is 'few'-shot.
            Defaults to 20.
        out_file (str, optional): Where to write, at every evaluation, a
            ``.npz`` of the confusion matrix (``confusion``, rows the true
            classes), ``per_class_accuracy`` (NaN for absent classes), the
            ``class_counts`` and the class names.
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Defaults to 'lt'.
    """

    default_prefix = 'lt'

    def __init__(
        self,
        class_counts: Optional[Sequence[int]] = None,
        many_thr: int = 100,
        few_thr: int = 20,
        out_file: Optional[str] = None,
        collect_device: str = 'cpu',
        prefix: Optional[str] = None,
    ) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if few_thr > many_thr:
            raise ValueError(
                f'few_thr ({few_thr}) must not exceed many_thr ({many_thr})'
            )
        self.class_counts = class_counts
        self.many_thr = many_thr
        self.few_thr = few_thr
        self.out_file = out_file

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            self.results.append(
                (int(sample['pred_label']), int(sample['gt_label']))
            )

    def _class_counts(self) -> Optional[List[int]]:
        if self.class_counts is not None:
            return [int(n) for n in self.class_counts]
        return recorded_counts(self.dataset_meta or {})

    def compute_metrics(self, results: List[tuple]) -> dict:
        pred, gt = (np.asarray(r, dtype=np.int64) for r in zip(*results))
        # images of classes outside training (OLTR's open set,
        # OpenSetFMeasure's) have no class accuracy
        known = gt != UNKNOWN_LABEL
        if not known.any():
            raise ValueError(
                'LongTailAccuracy: every image is labelled -1 (unknown); '
                'it scores images of the trained classes'
            )
        pred, gt = pred[known], gt[known]
        counts = self._class_counts()
        classes = (self.dataset_meta or {}).get('classes')
        if counts is not None:
            num_classes = len(counts)
        elif classes:
            num_classes = len(classes)
        else:
            num_classes = int(max(pred.max(), gt.max())) + 1
        if gt.max() >= num_classes or gt.min() < 0:
            raise ValueError(
                f'label {int(gt.max())} is outside the '
                f'{num_classes} classes of the class counts'
            )
        acc = per_class_accuracy(pred, gt, num_classes)
        if self.out_file:
            self.export(confusion_matrix(pred, gt, num_classes), acc, counts)
        metrics = {
            'top1': 100.0 * float(np.mean(pred == gt)),
            'class_mean': 100.0 * float(np.nanmean(acc)),
        }
        if counts is None:
            MMLogger.get_current_instance().warning(
                'LongTailAccuracy: no training class counts (give '
                'class_counts or use an mmlt long-tailed dataset), '
                'so no many/medium/few accuracy'
            )
            return metrics
        groups = np.asarray(shot_groups(counts, self.many_thr, self.few_thr))
        for group in SHOT_GROUPS:
            in_group = acc[(groups == group) & ~np.isnan(acc)]
            # a group with no evaluated class has no accuracy: left out,
            # rather than logged as nan
            if in_group.size:
                metrics[group] = 100.0 * float(in_group.mean())
        return metrics

    def export(
        self,
        confusion: np.ndarray,
        accuracy: np.ndarray,
        counts: Optional[List[int]],
    ) -> None:
        classes = (self.dataset_meta or {}).get('classes') or [
            str(i) for i in range(len(accuracy))
        ]
        os.makedirs(osp.dirname(osp.abspath(self.out_file)), exist_ok=True)
        np.savez(
            self.out_file,
            confusion=confusion,
            per_class_accuracy=accuracy,
            class_counts=np.asarray(
                counts if counts is not None else [], dtype=np.int64
            ),
            classes=np.asarray(classes, dtype=str),
        )
