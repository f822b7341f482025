"""A checkpoint whose weights do not fit the model is refused by load_from,
--resume, the test path (`mim test --checkpoint`) and generate_cam_set,
naming each parameter and both shapes; `load_partial` lets a stage 2 load
a model that is meant to differ, and logs what it did not load."""

import functools
import glob
import importlib.util
import os.path as osp

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmpretrain.registry import MODELS

from mmlt.checkpoint_fit import (
    CheckpointMismatchError,
    fit_checkpoint,
    partial_prefixes,
)

from conftest import mim_test
from runner_utils import REPO, build, mnist_cfg

CONFIG = 'ce_mnist_lt.py'
LWS = 'decoupling/lws_resnet8_10e_mnist-lt.py'
# mmengine's own warning when weights do not fit exactly
MMENGINE_MISMATCH = 'do not match exactly'


def model_state(num_classes: int, seed: int) -> dict:
    """The weights of CONFIG's model for ``num_classes`` classes."""
    cfg = Config.fromfile(osp.join(REPO, 'configs', CONFIG))
    cfg.model.head.num_classes = num_classes
    torch.manual_seed(seed)
    return MODELS.build(cfg.model).state_dict()


@pytest.fixture(scope='module')
def checkpoints(tmp_path_factory):
    """A checkpoint that fits CONFIG's model and one with a 5-class head."""
    folder = tmp_path_factory.mktemp('checkpoints')
    paths = {}
    for name, num_classes in (('fitting', 10), ('five_classes', 5)):
        paths[name] = str(folder / f'{name}.pth')
        state = model_state(num_classes, seed=123)
        torch.save(
            dict(state_dict=state, meta=dict(epoch=1, iter=1)), paths[name]
        )
    return paths


def saved_state(path: str) -> dict:
    return torch.load(path, map_location='cpu')['state_dict']


@functools.lru_cache()
def head_line(checkpoint_classes: int, model_classes: int) -> str:
    width = model_state(10, seed=0)['head.fc.weight'].shape[1]
    return (
        f'head.fc.weight: checkpoint [{checkpoint_classes}, {width}], '
        f'model [{model_classes}, {width}]'
    )


def log_text(runner) -> str:
    with open(osp.join(runner.log_dir, f'{runner.timestamp}.log')) as f:
        return f.read()


def refused(call, checkpoint: str) -> str:
    with pytest.raises(CheckpointMismatchError) as error:
        call()
    message = str(error.value)
    assert checkpoint in message
    assert "its head is for 5 classes, the model's for 10" in message
    assert head_line(5, 10) in message
    assert 'head.fc.bias: checkpoint [5], model [10]' in message
    return message


def test_load_from_refuses_another_class_count(tmp_path, checkpoints):
    bad = checkpoints['five_classes']
    cfg = mnist_cfg(tmp_path, config=CONFIG, max_epochs=1, load_from=bad)
    runner = build(cfg)
    message = refused(runner.train, bad)
    assert 'load_partial' in message
    # refused before any weight was copied or any iteration ran
    assert runner.iter == 0
    checkpoint = saved_state(bad)
    for key, value in runner.model.state_dict().items():
        if 'conv' in key:
            assert not torch.equal(value, checkpoint[key]), key


def test_resume_refuses_another_class_count(tmp_path, checkpoints):
    bad = checkpoints['five_classes']
    cfg = mnist_cfg(
        tmp_path, config=CONFIG, max_epochs=1, resume=True, load_from=bad
    )
    refused(build(cfg).train, bad)


def test_the_test_path_refuses_another_class_count(tmp_path, checkpoints):
    # mmpretrain's tools/test.py (`mim test --checkpoint`) sets load_from
    # and calls runner.test()
    bad = checkpoints['five_classes']
    cfg = mnist_cfg(tmp_path, config=CONFIG, load_from=bad)
    refused(build(cfg).test, bad)


def test_a_fitting_checkpoint_loads_without_warnings(
    tmp_path, checkpoints, capsys
):
    good = checkpoints['fitting']
    runner = build(mnist_cfg(tmp_path, config=CONFIG))
    runner.load_checkpoint(good)
    for key, value in saved_state(good).items():
        assert torch.equal(runner.model.state_dict()[key], value), key
    output = log_text(runner) + ''.join(capsys.readouterr())
    assert f'Load checkpoint from {good}' in output
    assert 'load_partial' not in output
    assert MMENGINE_MISMATCH not in output


def test_load_partial_loads_the_backbone_and_keeps_the_head(
    tmp_path, checkpoints, capsys
):
    bad = checkpoints['five_classes']
    cfg = mnist_cfg(tmp_path, config=CONFIG, load_partial=['head'])
    runner = build(cfg)
    own = {k: v.clone() for k, v in runner.model.state_dict().items()}
    runner.load_checkpoint(bad)
    loaded = runner.model.state_dict()
    checkpoint = saved_state(bad)
    for key, value in loaded.items():
        if key.startswith('head.'):
            assert torch.equal(value, own[key]), key
        else:
            assert torch.equal(value, checkpoint[key]), key
    assert not torch.equal(
        own['backbone.conv1.weight'], checkpoint['backbone.conv1.weight']
    )
    log = log_text(runner)
    start = log.index("load_partial=['head']")
    assert ' - WARNING - ' in log[log.rindex('\n', 0, start) : start]
    warning = log[start:]
    assert head_line(5, 10) in warning
    assert 'head.fc.bias: checkpoint [5], model [10]' in warning
    # mmengine, given weights that fit, does not repeat the list
    assert MMENGINE_MISMATCH not in log + ''.join(capsys.readouterr())


def test_load_partial_does_not_excuse_the_rest(tmp_path, checkpoints):
    state = saved_state(checkpoints['five_classes'])
    conv = next(k for k in state if k.startswith('backbone.'))
    shape = list(state[conv].shape)
    del state[conv]
    state['neck.extra'] = torch.zeros(3)
    path = str(tmp_path / 'no_conv.pth')
    torch.save(dict(state_dict=state), path)
    cfg = mnist_cfg(tmp_path, config=CONFIG, load_partial=['head'])
    with pytest.raises(CheckpointMismatchError) as error:
        build(cfg).load_checkpoint(path)
    message = str(error.value)
    assert f'{conv}: not in the checkpoint (model {shape})' in message
    assert 'neck.extra: not in the model (checkpoint [3])' in message
    assert 'head.fc' not in message
    assert "(now ['head'])" in message


@pytest.mark.parametrize('value', ['head', [''], ['head', 3], {'head': 1}])
def test_a_malformed_load_partial_is_refused(tmp_path, value):
    cfg = mnist_cfg(tmp_path, config=CONFIG, load_partial=value)
    with pytest.raises(ValueError, match='load_partial must be a list'):
        build(cfg)
    # the work dir is free again for the next run
    build(mnist_cfg(tmp_path, config=CONFIG))


def test_partial_prefixes():
    assert partial_prefixes(None) == ()
    assert partial_prefixes(['head', 'neck.']) == ('head', 'neck')
    assert partial_prefixes(('head.scales',)) == ('head.scales',)


def test_lws_loads_a_stage1_checkpoint_and_logs_the_scales(
    tmp_path, checkpoints
):
    # LWS adds a scale per class that a stage-1 checkpoint lacks; its
    # config opts in for just that parameter
    cfg = mnist_cfg(tmp_path, config=LWS)
    assert cfg.load_partial == ['head.scales']
    runner = build(cfg)
    runner.load_checkpoint(checkpoints['fitting'])
    assert torch.equal(runner.model.head.scales, torch.ones(10))
    assert 'head.scales: not in the checkpoint (model [10])' in (
        log_text(runner)
    )
    with pytest.raises(CheckpointMismatchError, match='head.fc.weight'):
        runner.load_checkpoint(checkpoints['five_classes'])


def test_only_the_lws_configs_opt_in():
    # LWS and MiSLAS's stage 2 add scales to a stage-1 LinearClsHead (RIDE's
    # router stage routers to its experts, OLTR's stage 2 its attention
    # neck, selector, cosine-norm weights and centroids); every
    # other stage 2 (cRT, Bag of Tricks, weight balancing, τ-norm) loads its
    # stage-1 model unchanged, so must fit it exactly
    configs = glob.glob(
        osp.join(REPO, 'configs', '**', '*.py'), recursive=True
    )
    texts = {
        osp.relpath(p, osp.join(REPO, 'configs')): open(p).read()
        for p in configs
    }
    setting = {p for p, text in texts.items() if 'load_partial =' in text}
    assert setting == {
        'decoupling/_base_lws.py',
        'mislas/_base_stage2.py',
        'oltr/_base_oltr.py',
        'ride/_base_router.py',
    }
    inheriting = {p for p, text in texts.items() if '_base_lws.py' in text}
    assert len(inheriting) == 9  # the 8 LWS configs and _base_lws itself
    assert all(
        p.startswith('decoupling/lws_') or p == 'decoupling/_base_lws.py'
        for p in inheriting
    ), sorted(inheriting)
    mislas = {p for p, text in texts.items() if '_base_stage2.py' in text}
    assert mislas == {
        p for p in texts if p.startswith('mislas/mislas-stage2_')
    } | {'mislas/_base_stage2.py'}
    assert len(mislas) == 6
    # RIDE's router stage adds the routers to a stage-1 multi-expert head
    routers = {p for p, text in texts.items() if '_base_router.py' in text}
    assert routers == {
        p for p in texts if p.startswith('ride/ride-router_')
    } | {'ride/_base_router.py'}
    assert len(routers) == 8  # 7 router configs and their _base_


def test_the_message_is_bounded():
    model = nn.Sequential(*[nn.Linear(2, 2) for _ in range(12)])
    other = nn.Sequential(*[nn.Linear(3, 2) for _ in range(12)])
    checkpoint = dict(state_dict=other.state_dict())
    with pytest.raises(CheckpointMismatchError) as error:
        fit_checkpoint(model, checkpoint, 'other.pth')
    message = str(error.value)
    assert '0.weight: checkpoint [2, 3], model [2, 2]' in message
    assert '24 parameter(s) do not fit' not in message  # biases fit
    assert '12 parameter(s) do not fit' in message
    assert '... and 2 more' in message
    assert '11.weight' not in message
    assert 'head is for' not in message  # no head here


def test_keys_are_revised_as_mmengine_revises_them():
    model = nn.Sequential(nn.Linear(2, 2))
    saved = {f'module.{k}': v for k, v in model.state_dict().items()}
    fitted = fit_checkpoint(model, dict(state_dict=saved), 'ddp.pth')
    assert list(fitted['state_dict']) == ['0.weight', '0.bias']
    with pytest.raises(CheckpointMismatchError, match='module.0.weight'):
        fit_checkpoint(
            model, dict(state_dict=saved), 'ddp.pth', revise_keys=[]
        )


def test_a_test_time_augmentation_model_is_looked_through(checkpoints):
    cfg = Config.fromfile(osp.join(REPO, 'configs', CONFIG))
    tta = MODELS.build(dict(type='AverageClsScoreTTA', module=cfg.model))
    checkpoint = torch.load(checkpoints['fitting'], map_location='cpu')
    fit_checkpoint(tta, checkpoint, 'fitting.pth')
    with pytest.raises(CheckpointMismatchError, match='head.fc.weight'):
        bad = torch.load(checkpoints['five_classes'], map_location='cpu')
        fit_checkpoint(tta, bad, 'five_classes.pth')


def test_generate_cam_set_refuses_another_class_count(checkpoints):
    spec = importlib.util.spec_from_file_location(
        'generate_cam_set', osp.join(REPO, 'tools', 'generate_cam_set.py')
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    cfg = Config.fromfile(osp.join(REPO, 'configs', CONFIG))
    model = tool.load_model(cfg, checkpoints['fitting'], 'cpu')
    assert torch.equal(
        model.head.fc.weight,
        saved_state(checkpoints['fitting'])['head.fc.weight'],
    )
    refused(
        lambda: tool.load_model(cfg, checkpoints['five_classes'], 'cpu'),
        checkpoints['five_classes'],
    )


def test_mim_test_exits_non_zero_naming_the_head(tmp_path, checkpoints):
    bad = checkpoints['five_classes']
    proc = mim_test(osp.join('configs', CONFIG), bad, tmp_path)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output[-3000:]
    assert 'CheckpointMismatchError' in output, output[-3000:]
    assert head_line(5, 10) in output
    assert 'lt/top1' not in output
