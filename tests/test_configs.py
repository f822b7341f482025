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
    assert len(CONFIGS) >= 35


@pytest.mark.parametrize(
    'path', CONFIGS, ids=[osp.relpath(p, REPO) for p in CONFIGS]
)
def test_config_builds(path):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports['imports'] == ['mmlt']
    model = MODELS.build(cfg.model)
    hooks = [HOOKS.build(dict(h)) for h in cfg.get('custom_hooks', [])]
    name = osp.basename(path)
    dataset = cfg.train_dataloader.dataset
    if 'cifar100' in name:
        assert dataset.type == 'CIFAR100LT' and model.head.num_classes == 100
    elif 'cifar10' in name:
        assert dataset.type == 'CIFAR10LT' and model.head.num_classes == 10
    else:
        assert dataset.type == 'MNISTLT'
    # the test split must take the training profile (for the shot groups)
    assert cfg.test_dataloader.dataset.imb_factor == dataset.imb_factor
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
    elif name.startswith('progressive_sampling'):
        assert sampler.type == 'ProgressivelyBalancedSampler'
        assert sampler.num_epochs == max_epochs
    elif name.startswith('cb_sampling'):
        assert sampler.type == 'ClassBalancedSampler'
        assert sampler.get('q', 0.0) == 0.0
    elif name.startswith('sqrt_sampling'):
        assert sampler.type == 'SquareRootSampler'
    else:
        assert sampler.type == 'DefaultSampler'
