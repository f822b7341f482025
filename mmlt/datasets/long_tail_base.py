"""What every mmlt long-tailed dataset exposes: its training class counts."""

from typing import List

from mmlt.class_counts import recorded_counts, shot_groups


class LongTailMixin:
    """Adds the long-tailed training profile to an mmengine dataset.

    Both splits record the *training* class counts in their metainfo
    (:func:`mmlt.class_counts.record_counts`), so that a test split (and the
    evaluator, which receives the metainfo as ``dataset_meta``) knows each
    class's shot group.
    """

    @property
    def class_counts(self) -> List[int]:
        """Training images per class, class 0 first."""
        return recorded_counts(self._metainfo)

    def shot_groups(self, many_thr: int = 100, few_thr: int = 20) -> List[str]:
        """'many', 'medium' or 'few' for each class, from its count."""
        return shot_groups(self.class_counts, many_thr, few_thr)
