"""A per-sample config moved onto the batch-level data path, in code.

``configs/_base_/datasets/*_batch.py`` are the config-file way; this is the
same change for tools and tests that take any small-image config: each
loader's data set wrapped in a ``TensorBatchDataset`` with
``tensor_batch_collate``, and the training pipeline's ``RandomCrop`` and
``RandomFlip`` moved into a ``CropFlipClsDataPreprocessor`` with the same
settings. A pipeline with any other transform is refused: the batch path
runs none of them.
"""

import copy

from mmengine.config import Config

LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
#: transforms that leave an in-memory image of the data set's own shape
#: as it is (ToGray makes inference inputs look like the data set's)
NO_OPS = ('PackInputs', 'ToGray')


def crop_flip_settings(pipeline: list) -> dict:
    """``CropFlipClsDataPreprocessor`` settings equal to a training
    pipeline of RandomCrop / RandomFlip (horizontal) / PackInputs."""
    settings = dict(crop_size=None, padding=0, flip_prob=0.0)
    for transform in pipeline:
        kind = transform['type'].split('.')[-1]
        if kind == 'RandomCrop' and set(transform) <= {
            'type',
            'crop_size',
            'padding',
        }:
            settings.update(
                crop_size=transform['crop_size'],
                padding=transform.get('padding') or 0,
            )
        elif kind == 'RandomFlip' and transform.get(
            'direction', 'horizontal'
        ) in ('horizontal', ['horizontal']):
            settings['flip_prob'] = float(transform.get('prob', 0.5))
        elif kind not in NO_OPS:
            raise ValueError(
                f'the batch path runs no {kind} ({transform}): it moves only '
                'RandomCrop(crop_size, padding) and a horizontal RandomFlip '
                'into the data preprocessor'
            )
    return settings


def check_eval_pipeline(pipeline: list) -> None:
    for transform in pipeline:
        kind = transform['type'].split('.')[-1]
        if kind not in NO_OPS:
            raise ValueError(
                f'the batch path runs no {kind} ({transform}) on the '
                'evaluated splits'
            )


def wrapped_pipeline(dataset: dict) -> list:
    """The pipeline of a data set config, looked for through wrappers
    (``ShotSubset``, ``OpenSetSplit``, ``ResampledTestSplit``:
    ``dataset=dict(...)``)."""
    while 'pipeline' not in dataset and isinstance(
        dataset.get('dataset'), dict
    ):
        dataset = dataset['dataset']
    return dataset.get('pipeline', [])


def to_batch_path(cfg: Config) -> Config:
    """A copy of ``cfg`` with every loader on the batch path.

    Raises:
        ValueError: for a pipeline the batch path cannot run.
    """
    cfg = copy.deepcopy(cfg)
    settings = {}
    for key in LOADERS:
        loader = cfg.get(key)
        if loader is None or loader.dataset.type == 'TensorBatchDataset':
            continue
        pipeline = wrapped_pipeline(loader.dataset)
        if key == 'train_dataloader':
            settings = crop_flip_settings(pipeline)
        else:
            check_eval_pipeline(pipeline)
        loader.dataset = dict(
            type='TensorBatchDataset', dataset=loader.dataset
        )
        loader.collate_fn = dict(type='tensor_batch_collate')
        # a batch is one gather: worker processes would only add the copy
        # of it to the main process (and cannot share a CUDA tensor)
        loader.num_workers = 0
        loader.persistent_workers = False
    preprocessor = dict(
        cfg.model.get('data_preprocessor')
        or cfg.get('data_preprocessor')
        or {}
    )
    preprocessor.update(type='CropFlipClsDataPreprocessor', **settings)
    cfg.data_preprocessor = preprocessor
    cfg.model.data_preprocessor = preprocessor
    return cfg
