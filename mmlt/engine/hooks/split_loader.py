"""A whole split, read in order on every rank, for hooks that measure the
model on it (``LFMEHook``, ``ClassCentroidsHook``).

A Runner's loader gives each rank its shard; these hooks need every
image on every rank, so that all ranks compute the same weights or
centroids. The split's long-tailed selection is drawn with the training
set's ``seed`` (``tools/benchmark.py`` sets it per run), so that a held-out
split and the training images are those of the trained selection.
"""

import copy
from typing import Callable, Tuple

import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.dist import broadcast_object_list
from mmpretrain.registry import DATASETS
from torch.utils.data import DataLoader

#: the keys a hook's loader config may have
LOADER_KEYS = frozenset({'dataset', 'batch_size', 'num_workers'})


def check_loader_cfg(name: str, cfg: dict) -> None:
    """Refuses a loader config other than ``dict(dataset=...,
    batch_size=..., num_workers=...)``: a sampler or shuffle would not be
    read."""
    if (
        not isinstance(cfg, dict)
        or 'dataset' not in cfg
        or (set(cfg) - LOADER_KEYS)
    ):
        raise ValueError(
            f'{name} must be dict(dataset=..., batch_size=..., '
            f'num_workers=...) (read in order), got {cfg!r}'
        )


def whole_split_loader(runner, cfg: dict) -> DataLoader:
    """The whole split of ``cfg`` in order (module docstring)."""
    dataset = copy.deepcopy(cfg['dataset'])
    seed = getattr(runner.train_dataloader.dataset, 'seed', None)
    if seed is not None:
        dataset['seed'] = seed
    return DataLoader(
        DATASETS.build(dataset),
        batch_size=cfg.get('batch_size', 500),
        num_workers=cfg.get('num_workers', 0),
        shuffle=False,
        collate_fn=pseudo_collate,
    )


def rank0_value(value):
    """Rank 0's ``value`` on every rank (``value`` itself in one process).

    After a training step each rank's batch norms hold the statistics of
    its own last batch, so a measure of the trained model on the same
    split can differ between ranks by a borderline image; a schedule
    derived from it must be one for all ranks.
    """
    holder = [value]
    broadcast_object_list(holder, src=0)
    return holder[0]


def split_outputs(
    model, dataloader, output_of: Callable
) -> Tuple[torch.Tensor, np.ndarray]:
    """(outputs (N, K), labels (N,)) of ``output_of(inputs)`` over a
    loader, in its order, without gradients, the model in eval mode."""
    was_training = model.training
    model.eval()
    outputs, labels = [], []
    with torch.no_grad():
        for data in dataloader:
            data = model.data_preprocessor(data, False)
            outputs.append(output_of(data['inputs']).float().cpu())
            labels.extend(int(s.gt_label) for s in data['data_samples'])
    model.train(was_training)
    return torch.cat(outputs), np.asarray(labels, dtype=np.int64)


def check_training_order(hook: str, labels: np.ndarray, runner) -> None:
    """Refuses ``labels`` of a ``train_eval_dataloader`` other than the
    training set's, in its order (another selection, say)."""
    trained = np.asarray(runner.train_dataloader.dataset.get_gt_labels())
    if not np.array_equal(labels, trained):
        raise ValueError(
            f'{hook}: train_eval_dataloader must give the training images '
            "in the training set's order (the same data set config, with "
            'the test pipeline)'
        )
