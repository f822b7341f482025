"""One shot group's classes of a long-tailed split, relabelled 0..K-1.

LFME (`Learning From Multiple Experts
<https://arxiv.org/abs/2001.01536>`_, Xiang et al., ECCV 2020) trains an
expert on each of the many-, medium- and few-shot class groups: a model
whose head has only its group's classes. Its official code
(xiangly55/LFME, ``Shot_Dataset`` in ``data/dataloader_LFME.py``) keeps a
split's images of the group's classes and numbers those classes from 0 in
ascending class order; this wrapper does the same for any mmlt split that
records its training counts, so that a test or validation split takes its
groups from the *training* counts. The groups are mmlt's
(:func:`mmlt.class_counts.shot_groups`: many above ``many_thr``, few below
``few_thr``), the ones ``LongTailAccuracy`` reports; the official code
counts 100 and 20 themselves as many and few, and hard-codes ImageNet-LT's
lists.
"""

from typing import List

from mmpretrain.registry import DATASETS

from mmlt.class_counts import SHOT_GROUPS, check_counts, shot_groups

from .class_subset import ClassSubset, training_counts


def shot_classes(
    class_counts: List[int], shot: str, many_thr: int = 100, few_thr: int = 20
) -> List[int]:
    """The classes of group ``shot`` ('many', 'medium' or 'few'),
    ascending; raises when the group has none."""
    if shot not in SHOT_GROUPS:
        raise ValueError(f'shot must be one of {SHOT_GROUPS}, got {shot!r}')
    groups = shot_groups(check_counts(class_counts), many_thr, few_thr)
    classes = [c for c, group in enumerate(groups) if group == shot]
    if not classes:
        raise ValueError(
            f'no class is {shot}-shot (many_thr={many_thr}, '
            f'few_thr={few_thr}) in the training counts {list(class_counts)}'
        )
    return classes


@DATASETS.register_module()
class ShotSubset(ClassSubset):
    """The images of one shot group's classes, labelled by their rank in
    the group (module docstring).

    The metainfo names the group's classes (``classes``), records the
    group's training counts (so a model trained on it records its
    experts' data) and ``subset_classes``, the classes' indices in the
    whole data set.

    Args:
        dataset (dict): The split, e.g. ``dict(type='FashionMNISTLT',
            split='train')``; it must record its training counts (every
            mmlt long-tailed data set does).
        shot (str): 'many', 'medium' or 'few'.
        many_thr (int): More training images than this: many-shot.
            Defaults to 100.
        few_thr (int): Fewer than this: few-shot. Defaults to 20.
        **dataset_options: Update ``dataset`` (as ``TensorBatchDataset``
            sets its empty ``pipeline``).
    """

    def __init__(
        self,
        dataset: dict,
        shot: str,
        many_thr: int = 100,
        few_thr: int = 20,
        **dataset_options,
    ) -> None:
        full = DATASETS.build(dict(dataset, **dataset_options))
        train_counts = training_counts(full, 'ShotSubset')
        self.shot = shot
        super().__init__(
            full, shot_classes(train_counts, shot, many_thr, few_thr)
        )
