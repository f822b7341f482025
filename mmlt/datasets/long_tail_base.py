"""What every mmlt long-tailed dataset exposes: its training class counts."""

from typing import List

from mmlt.class_counts import recorded_counts, shot_groups

from .long_tail_profile import check_profile_args, check_val_per_class

#: 'val' holds out images of the balanced source's training part that the
#: long-tailed selection left out (none of the largest class's).
SPLITS = ('train', 'val', 'test')


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

    def set_profile(
        self,
        split: str,
        imb_type: str,
        imb_factor: float,
        seed: int,
        val_per_class: int = 100,
    ) -> None:
        """Checks and keeps the split and the long-tailed profile of a data
        set built from a balanced one (its training split sub-sampled; the
        'val' split from what that left out, ``held_out_indices``)."""
        if split not in SPLITS:
            raise ValueError(f'split must be one of {SPLITS}, got {split!r}')
        check_profile_args(imb_type, imb_factor)
        check_val_per_class(val_per_class)
        self.val_per_class = val_per_class
        self.split = split
        self.imb_type = imb_type
        self.imb_factor = imb_factor
        self.seed = seed
