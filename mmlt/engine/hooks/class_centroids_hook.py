"""Starts OLTR's memory at the class means of the stage-1 features.

`Large-Scale Long-Tailed Recognition in an Open World
<https://arxiv.org/abs/1904.05160>`_ (Liu et al., CVPR 2019). The official
code (zhmiao/OpenLongTailRecognition-OLTR, ``run_networks.py``,
``centroids_cal``) builds the stage-2 model, loads the stage-1 weights,
and before the first step sets the centroids to each class's mean direct
feature over the training split, without augmentation (its
``train_plain`` loader), the model in eval mode. The stage-2 model's
direct features are those of the stage-1 backbone through the new neck:
its attention starts as the identity, its linear layer as initialised.
"""

import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmpretrain.registry import HOOKS

from mmlt.utils import unwrap_model

from .split_loader import (
    check_loader_cfg,
    check_training_order,
    split_outputs,
    whole_split_loader,
)


def class_means(
    features: torch.Tensor, labels: np.ndarray, num_classes: int
) -> torch.Tensor:
    """Each class's mean feature, (C, D), of ``features`` (N, D).

    Raises:
        ValueError: naming a class with no image.
    """
    labels = torch.as_tensor(labels, dtype=torch.long)
    counts = torch.bincount(labels, minlength=num_classes)
    if len(counts) > num_classes or (counts == 0).any():
        empty = torch.nonzero(counts[:num_classes] == 0).flatten().tolist()
        raise ValueError(
            f'class centroids need images of each of the {num_classes} '
            f'classes; classes {empty} have none (labels '
            f'{labels.min().item()}..{labels.max().item()})'
        )
    sums = torch.zeros(num_classes, features.size(1), dtype=features.dtype)
    sums.index_add_(0, labels, features)
    return sums / counts[:, None].to(features.dtype)


@HOOKS.register_module()
class ClassCentroidsHook(Hook):
    """Sets a ``MetaEmbeddingHead``'s centroids to the class means of the
    direct features (module docstring) before a fresh stage 2's first
    step; a resumed run keeps the checkpoint's. The run must start from
    the stage-1 checkpoint (``load_from``) or resume.

    Args:
        train_eval_dataloader (dict): The training split's data set with
            the test pipeline: ``dataset``, ``batch_size`` (default 500)
            and ``num_workers`` (default 0); read in order, whole on every
            rank, so every rank gets the same centroids. Its labels must
            be the training set's, in order.
    """

    priority = 'LOW'

    def __init__(self, train_eval_dataloader: dict) -> None:
        check_loader_cfg('train_eval_dataloader', train_eval_dataloader)
        self.train_eval_cfg = train_eval_dataloader

    def before_train(self, runner) -> None:
        model = unwrap_model(runner.model)
        if not hasattr(model.head, 'set_centroids'):
            raise TypeError(
                'ClassCentroidsHook sets the centroids of a '
                f'MetaEmbeddingHead, not of {type(model.head).__name__}'
            )
        if runner.iter > 0:
            return
        if runner.cfg.get('load_from') is None:
            raise ValueError(
                'ClassCentroidsHook: OLTR stage 2 starts from the stage-1 '
                'checkpoint: set load_from (e.g. --cfg-options '
                'load_from=work_dirs/STAGE1/epoch_N.pth)'
            )
        loader = whole_split_loader(runner, self.train_eval_cfg)
        features, labels = split_outputs(
            model,
            loader,
            lambda x: model.head.pre_logits(model.extract_feat(x)),
        )
        check_training_order('ClassCentroidsHook', labels, runner)
        centroids = class_means(features, labels, model.head.num_classes)
        model.head.set_centroids(centroids)
        print_log(
            f'OLTR: centroids set to the class means of {len(labels)} '
            'training images (stage-1 features)',
            logger='current',
        )
