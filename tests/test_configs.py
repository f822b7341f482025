"""Every shipped config parses, builds its model and hooks, and follows
the recipe its name promises."""

import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmpretrain.registry import HOOKS, MODELS

from conftest import REPO

CONFIGS = sorted(
    p
    for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in p
)


def test_configs_are_found():
    assert len(CONFIGS) >= 70


@pytest.mark.parametrize(
    'path', CONFIGS, ids=[osp.relpath(p, REPO) for p in CONFIGS]
)
def test_config_builds(path):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports['imports'] == ['mmlt']
    model = MODELS.build(cfg.model)
    hooks = [HOOKS.build(dict(h)) for h in cfg.get('custom_hooks', [])]
    name = osp.basename(path)
    test_set = cfg.test_dataloader.dataset
    list_files = {'imagenet_lt': 1000, 'inat2018': 8142, 'places_lt': 365}
    large = [k for k in list_files if k in name]
    if 'cifar100' in name:
        assert test_set.type == 'CIFAR100LT' and model.head.num_classes == 100
    elif 'cifar10' in name:
        assert test_set.type == 'CIFAR10LT' and model.head.num_classes == 10
    elif large:
        num_classes = list_files[large[0]]
        assert test_set.type == 'ImageListLT'
        assert test_set.num_classes == num_classes
        assert model.head.num_classes == num_classes
        assert cfg.data_preprocessor.num_classes == num_classes
    elif 'fashion-mnist' in name:
        assert test_set.type == 'FashionMNISTLT'
        assert model.head.num_classes == 10
    else:
        assert test_set.type == 'MNISTLT'
    retrain = [
        h for h in hooks if type(h).__name__ == 'ClassifierRetrainingHook'
    ]
    # mixup recipes: input mixup is mmpretrain's batch augment
    augments = (cfg.model.get('train_cfg') or {}).get('augments')
    if name.startswith('mixup'):
        assert augments.type == 'Mixup'
    else:
        assert augments is None
    assert (type(model).__name__ == 'ManifoldMixupClassifier') == (
        name.startswith('manifold_mixup')
    )
    finetune = [h for h in hooks if type(h).__name__ == 'MixupFinetuneHook']
    assert len(finetune) == ('_ft_' in name)
    # a stage 1 stops where its stage 2's schedule starts (80%)
    if '_stage1_' in name:
        assert cfg.train_cfg.max_epochs == (80 if 'mnist' in name else 160)
    if '_stage2_' in name:
        assert cfg.train_cfg.max_epochs == (20 if 'mnist' in name else 40)
    if name.startswith('tau_norm'):
        assert model.head.tau == 1.0
        assert cfg.train_cfg is None and cfg.train_dataloader is None
        return
    dataset = cfg.train_dataloader.dataset
    if name.startswith('cam_'):
        # CAM-based re-sampling trains on the CAM set of its stage 1
        assert dataset.type == 'CAMAugmentedDataset'
        dataset_name = name.split('_stage2_')[1][: -len('.py')]
        assert dataset.data_file.startswith(
            f'work_dirs/cam_sets/{dataset_name}'
        )
    elif large:
        # the test list records the training list's counts (shot groups)
        assert dataset.type == test_set.type
        assert test_set.train_ann_file == dataset.ann_file
    else:
        assert dataset.type == test_set.type
        # the test split must take the training profile (shot groups)
        assert test_set.imb_factor == dataset.imb_factor
    drw = [h for h in hooks if type(h).__name__ == 'DRWHook']
    # LDAM recipes are LDAM-DRW unless named 'ldam_plain' or 'ldam_drs'.
    if 'drw' in name or (
        name.startswith('ldam_')
        and not name.startswith(('ldam_plain', 'ldam_drs'))
    ):
        assert len(drw) == 1
        assert drw[0].drw_epoch == 0.8 * cfg.train_cfg.max_epochs
    else:
        assert not drw
    sampler = cfg.train_dataloader.sampler
    max_epochs = cfg.train_cfg.max_epochs
    if '_drs_' in name:
        assert sampler.type == 'DeferredResampler'
        assert sampler.switch_epoch == 0.8 * max_epochs
    elif name.startswith(('progressive_sampling', 'cam_progressive')):
        assert sampler.type == 'ProgressivelyBalancedSampler'
        assert sampler.num_epochs == max_epochs
    elif name.startswith(('cb_sampling', 'crt', 'lws', 'cam_cb', 'cb_stage2')):
        assert sampler.type == 'ClassBalancedSampler'
        assert sampler.get('q', 0.0) == 0.0
    elif name.startswith(('sqrt_sampling', 'cam_sqrt')):
        assert sampler.type == 'SquareRootSampler'
    else:
        assert sampler.type == 'DefaultSampler'
    # decoupled stage 2: a frozen representation, from a stage-1 checkpoint
    if name.startswith(('crt', 'lws')):
        assert len(retrain) == 1 and cfg.load_from is None
        assert retrain[0].reinit == name.startswith('crt')
        assert retrain[0].trainable == (
            ('head',) if name.startswith('crt') else ('head.scales',)
        )
    else:
        assert not retrain
