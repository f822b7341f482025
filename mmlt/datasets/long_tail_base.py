"""What every mmlt long-tailed dataset exposes: its training class counts."""

from typing import List

from .long_tail_profile import shot_groups


class LongTailMixin:
    """Adds the long-tailed training profile to an mmengine dataset.

    Both splits record the *training* class counts in their metainfo under
    ``train_class_counts``, so that a test split (and the evaluator, which
    receives the metainfo as ``dataset_meta``) knows each class's shot group.
    """

    @property
    def train_class_counts(self) -> List[int]:
        """Training images per class, class 0 first."""
        return list(self._metainfo['train_class_counts'])

    def shot_groups(self, many_thr: int = 100, few_thr: int = 20) -> List[str]:
        """'many', 'medium' or 'few' for each class, from its count."""
        return shot_groups(self.train_class_counts, many_thr, few_thr)
