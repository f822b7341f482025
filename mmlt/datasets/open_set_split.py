"""A split with some classes held out, as OLTR's open set.

`Large-Scale Long-Tailed Recognition in an Open World
<https://arxiv.org/abs/1904.05160>`_ (Liu et al., CVPR 2019) tests
ImageNet-LT and Places-LT models on their test sets plus images of
classes outside the training set, labelled -1 (the official
``*_open.txt`` lists). On a data set that has no such images, this
wrapper makes them: the ``open_classes`` leave the training split, the
other classes are relabelled 0..K-1 in class order (their training counts
recorded, so the shot groups are theirs), and a test split with
``keep_open=True`` keeps the held-out classes' images, labelled -1, for
``OpenSetFMeasure``; ``LongTailAccuracy`` scores the known-class images.
"""

from typing import Sequence

from mmpretrain.registry import DATASETS

from .class_subset import ClassSubset, training_counts


@DATASETS.register_module()
class OpenSetSplit(ClassSubset):
    """A split without ``open_classes``, or with their images labelled -1
    (module docstring). The metainfo records the known classes' training
    counts and names, and ``open_classes``.

    Args:
        dataset (dict): The split, e.g. ``dict(type='FashionMNISTLT',
            split='test')``; it must record its training counts.
        open_classes (Sequence[int]): The held-out classes: at least one,
            leaving at least two known.
        keep_open (bool): Keep their images, labelled -1 (an open-set test
            split). Defaults to False: they are dropped (training, or a
            closed-set test).
        **dataset_options: Update ``dataset`` (as ``TensorBatchDataset``
            sets its empty ``pipeline``).
    """

    def __init__(
        self,
        dataset: dict,
        open_classes: Sequence[int],
        keep_open: bool = False,
        **dataset_options,
    ) -> None:
        full = DATASETS.build(dict(dataset, **dataset_options))
        num_classes = len(training_counts(full, 'OpenSetSplit'))
        held_out = sorted({int(c) for c in open_classes})
        known = [c for c in range(num_classes) if c not in held_out]
        if not held_out or len(known) < 2 or held_out[-1] >= num_classes:
            raise ValueError(
                'open_classes must be one or more of the '
                f'{num_classes} classes, leaving two or more known; got '
                f'{list(open_classes)}'
            )
        super().__init__(full, known, keep_others=keep_open)
        self._metainfo['open_classes'] = held_out
