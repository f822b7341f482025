"""MaxNormHook (weight balancing's stage 2): after every step every class's
weight norm is inside the ball, the projection is exactly the manual one,
nothing else moves, a resumed run keeps its radii, and bad settings are
refused by name."""

import logging
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS, MODELS

from mmlt.engine.hooks import MaxNormHook, project_max_norm_

from runner_utils import mnist_cfg, run

STAGE2 = 'weight_balancing/wb-cb-maxnorm_resnet8_10e_mnist-lt.py'
RECORDS = {}


def _head(runner):
    return runner.model.head


@HOOKS.register_module()
class RecordBeforeMaxNormHook(Hook):
    """Sees the classifier after the optimizer step, before the projection
    (MaxNormHook is ABOVE_NORMAL)."""

    priority = 'HIGH'

    def after_train_iter(
        self, runner, batch_idx, data_batch=None, outputs=None
    ):
        head = _head(runner)
        RECORDS.setdefault(runner.work_dir, []).append(
            {
                'weight': head.fc.weight.detach().clone(),
                'bias': head.fc.bias.detach().clone(),
            }
        )


@HOOKS.register_module()
class RecordAfterMaxNormHook(Hook):
    priority = 'LOWEST'

    def after_train_iter(
        self, runner, batch_idx, data_batch=None, outputs=None
    ):
        head = _head(runner)
        record = RECORDS[runner.work_dir][-1]
        record['weight_after'] = head.fc.weight.detach().clone()
        record['bias_after'] = head.fc.bias.detach().clone()
        hook = next(h for h in runner.hooks if isinstance(h, MaxNormHook))
        record['threshold'] = hook.thresholds['head.fc.weight']


@pytest.fixture(scope='module')
def stage1(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('wb_stage1')
    run(
        mnist_cfg(
            work_dir,
            config='weight_balancing/wb-ce_resnet8_100e_mnist-lt.py',
            max_epochs=1,
        )
    )
    return osp.join(work_dir, 'epoch_1.pth')


def stage2_cfg(work_dir, stage1, max_epochs=2, **options):
    hooks = mnist_cfg(work_dir, config=STAGE2).custom_hooks
    options.setdefault('load_from', stage1)
    return mnist_cfg(
        work_dir,
        config=STAGE2,
        max_epochs=max_epochs,
        custom_hooks=[
            *hooks,
            dict(type='RecordBeforeMaxNormHook'),
            dict(type='RecordAfterMaxNormHook'),
        ],
        **options,
    )


def test_projection_is_per_row_and_leaves_inside_rows_bit_identical():
    torch.manual_seed(0)
    weight = torch.randn(6, 5)
    weight[2] *= 0.01  # inside the ball
    weight[4] = 0.0  # a zero row stays zero
    norms = weight.norm(dim=1)
    projected = project_max_norm_(weight.clone(), 0.5)
    for j in range(6):
        if norms[j] > 0.5:
            assert projected[j].norm() == pytest.approx(0.5, rel=1e-6)
            # the direction is kept
            assert torch.allclose(projected[j] * norms[j] / 0.5, weight[j])
        else:
            assert torch.equal(projected[j], weight[j])
    assert not projected.isnan().any()


def test_every_step_keeps_every_class_inside_the_ball(tmp_path, stage1):
    work_dir = str(tmp_path / 'wb2')
    runner = run(stage2_cfg(work_dir, stage1))
    records = RECORDS[work_dir]
    assert len(records) == runner.iter > 10
    threshold = records[0]['threshold']
    # the release's relative radius, from the stage-1 classifier
    s1 = torch.load(stage1, map_location='cpu', weights_only=False)
    norms = s1['state_dict']['head.fc.weight'].norm(dim=1)
    expected = norms.min() + 0.1 * (norms.max() - norms.min())
    assert threshold == pytest.approx(expected.item(), rel=1e-6)
    projected_rows = 0
    for record in records:
        assert record['threshold'] == threshold
        after = record['weight_after']
        assert after.norm(dim=1).max() <= threshold * (1 + 1e-6)
        # exactly the manual projection of what the optimizer left
        manual = project_max_norm_(record['weight'].clone(), threshold)
        assert torch.equal(after, manual)
        # the bias is not constrained
        assert torch.equal(record['bias_after'], record['bias'])
        projected_rows += int((record['weight'].norm(dim=1) > threshold).sum())
    # the test would fail without the projection: steps leave the ball
    assert projected_rows > 0
    # everything but the classifier is stage 1's, bit for bit
    after = runner.model.state_dict()
    for key, value in s1['state_dict'].items():
        if not key.startswith('head.'):
            assert torch.equal(after[key].cpu(), value), key


def test_a_resumed_run_keeps_the_radius(tmp_path, stage1):
    first = str(tmp_path / 'first')
    run(stage2_cfg(first, stage1, max_epochs=2))
    radius = RECORDS[first][-1]['threshold']
    resumed = str(tmp_path / 'resumed')
    cfg = stage2_cfg(
        resumed,
        stage1,
        max_epochs=2,
        resume=True,
        load_from=osp.join(first, 'epoch_1.pth'),
    )
    run(cfg)
    # the stage-2 weights at epoch 1 would give another relative radius
    assert RECORDS[resumed][0]['threshold'] == radius
    norms = torch.load(
        osp.join(first, 'epoch_1.pth'), map_location='cpu', weights_only=False
    )['state_dict']['head.fc.weight'].norm(dim=1)
    assert norms.min() + 0.1 * (norms.max() - norms.min()) != radius


def fake_runner(model):
    return SimpleNamespace(
        model=model, iter=0, logger=logging.getLogger('test_max_norm')
    )


def model():
    return MODELS.build(
        dict(
            type='ImageClassifier',
            backbone=dict(type='CifarResNet', depth=8, in_channels=1),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=10, in_channels=64),
        )
    )


@pytest.mark.parametrize(
    'kwargs, message',
    [
        (dict(threshold=0), r'threshold must be in \(0, inf\), got 0'),
        (dict(threshold=-1.0), r'threshold must be in \(0, inf\)'),
        (dict(threshold=float('nan')), 'threshold must be in'),
        (dict(threshold=float('inf')), 'threshold must be in'),
        (
            dict(threshold=1.5, relative=True),
            r'threshold must be in \(0, 1\] \(relative=True\), got 1.5',
        ),
        (dict(threshold='0.1'), 'threshold must be a number'),
        (dict(params='head.fc.weight'), 'params must be a non-empty list'),
        (dict(params=[]), 'params must be a non-empty list'),
    ],
)
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        MaxNormHook(**kwargs)


@pytest.mark.parametrize(
    'name, message',
    [
        ('head.fc.weigth', "'head.fc.weigth', which the model does not have"),
        ('head.fc.bias', r"'head.fc.bias' of shape \(10,\); MaxNorm needs"),
        ('backbone.conv1.weight', r'of shape \(16, 1, 3, 3\)'),
    ],
)
def test_a_bad_parameter_is_named(name, message):
    hook = MaxNormHook(params=[name])
    with pytest.raises(ValueError, match=message):
        hook.before_train(fake_runner(model()))


def test_a_frozen_parameter_is_refused():
    net = model()
    net.head.fc.weight.requires_grad_(False)
    with pytest.raises(ValueError, match="'head.fc.weight', which is frozen"):
        MaxNormHook().before_train(fake_runner(net))


def test_all_zero_rows_give_no_relative_radius():
    net = model()
    torch.nn.init.zeros_(net.head.fc.weight)
    with pytest.raises(ValueError, match='give an absolute threshold'):
        MaxNormHook(relative=True).before_train(fake_runner(net))
    hook = MaxNormHook(threshold=0.3)
    hook.before_train(fake_runner(net))
    assert hook.thresholds == {'head.fc.weight': 0.3}
