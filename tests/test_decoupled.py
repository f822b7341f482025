"""Decoupled stage 2 on MNIST-LT: cRT and LWS train only what they should
from a stage-1 checkpoint; τ-norm predicts with normalised weights and the
sweep tool picks a tau."""

import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS, MODELS

from mmlt.models import tau_normalised_weight

from runner_utils import REPO, mnist_cfg, run

STATES = {}


@HOOKS.register_module()
class RecordStartOfStage2Hook(Hook):
    """Keeps the model's state as training starts (after the stage-2 hook)
    and the train mode of its batch norms during training."""

    priority = 'LOWEST'

    def before_train(self, runner):
        STATES[runner.work_dir] = {
            k: v.detach().clone() for k, v in runner.model.state_dict().items()
        }

    def after_train_iter(
        self, runner, batch_idx, data_batch=None, outputs=None
    ):
        bn = runner.model.backbone.bn1
        STATES[runner.work_dir + '/bn_training'] = bn.training


@pytest.fixture(scope='module')
def stage1(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('stage1')
    run(mnist_cfg(work_dir, config='ce_mnist_lt.py', max_epochs=2))
    return work_dir


def stage1_state(stage1):
    ckpt = torch.load(osp.join(stage1, 'epoch_2.pth'), map_location='cpu')
    return ckpt['state_dict']


def stage2(work_dir, config, stage1, **options):
    hooks = mnist_cfg(work_dir, config=config).custom_hooks
    options.setdefault('load_from', osp.join(stage1, 'epoch_2.pth'))
    return mnist_cfg(
        work_dir,
        config=config,
        max_epochs=2,
        custom_hooks=[*hooks, dict(type='RecordStartOfStage2Hook')],
        **options,
    )


def test_crt_retrains_only_a_reinitialised_classifier(tmp_path, stage1):
    work_dir = tmp_path / 'crt'
    runner = run(
        stage2(work_dir, 'decoupling/crt_resnet8_10e_mnist-lt.py', stage1)
    )
    before = stage1_state(stage1)
    start = STATES[str(work_dir)]
    after = runner.model.state_dict()
    for key, value in before.items():
        if key.startswith('head.'):
            # re-initialised before stage 2, then trained
            assert not torch.equal(start[key], value), key
            assert not torch.equal(after[key], start[key]), key
        else:
            # weights and batch-norm statistics of stage 1, untouched
            assert torch.equal(after[key].cpu(), value), key
    assert STATES[str(work_dir) + '/bn_training'] is False
    assert type(runner.train_dataloader.sampler).__name__ == (
        'ClassBalancedSampler'
    )


def test_crt_resumed_keeps_its_classifier(tmp_path, stage1):
    full = tmp_path / 'crt'
    run(stage2(full, 'decoupling/crt_resnet8_10e_mnist-lt.py', stage1))
    resumed = tmp_path / 'resumed'
    epoch_1 = str(full / 'epoch_1.pth')
    run(
        stage2(
            resumed,
            'decoupling/crt_resnet8_10e_mnist-lt.py',
            stage1,
            resume=True,
            load_from=epoch_1,
        )
    )
    saved = torch.load(epoch_1, map_location='cpu')['state_dict']
    start = STATES[str(resumed)]
    for key in ('head.fc.weight', 'head.fc.bias'):
        assert torch.equal(start[key], saved[key])


def test_lws_learns_only_the_scales(tmp_path, stage1):
    work_dir = tmp_path / 'lws'
    runner = run(
        stage2(work_dir, 'decoupling/lws_resnet8_10e_mnist-lt.py', stage1)
    )
    before = stage1_state(stage1)
    after = runner.model.state_dict()
    for key, value in before.items():
        assert torch.equal(after[key].cpu(), value), key
    scales = after['head.scales']
    assert scales.shape == (10,) and not torch.equal(scales, torch.ones(10))


@pytest.mark.parametrize('shift', [False, True])
def test_mislas_stage2_tunes_the_classifier_and_its_scales(
    tmp_path, stage1, shift
):
    """MiSLAS's stage 2: the stage-1 classifier is kept (not re-initialised)
    and trains with its scales, at lr_factor of their learning rate; the
    backbone's weights stay frozen, and its batch-norm statistics shift on
    the stage-2 batches only with update_norm_statistics (shift_bn)."""
    work_dir = tmp_path / f'mislas_{shift}'
    config = 'mislas/mislas-stage2_resnet8_10e_mnist-lt.py'
    hooks = mnist_cfg(work_dir, config=config).custom_hooks
    hooks[0]['update_norm_statistics'] = shift
    cfg = stage2(work_dir, config, stage1)
    cfg.custom_hooks = [*hooks, dict(type='RecordStartOfStage2Hook')]
    runner = run(cfg)
    before = stage1_state(stage1)
    start = STATES[str(work_dir)]
    after = runner.model.state_dict()
    assert torch.equal(start['head.fc.weight'].cpu(), before['head.fc.weight'])
    assert not torch.equal(
        after['head.fc.weight'].cpu(), before['head.fc.weight']
    )
    assert not torch.equal(after['head.scales'].cpu(), torch.ones(10))
    for key, value in before.items():
        if key.startswith('head.'):
            continue
        statistic = key.endswith(
            ('running_mean', 'running_var', 'num_batches_tracked')
        )
        changed = not torch.equal(after[key].cpu(), value)
        assert changed == (shift and statistic), key
    assert STATES[str(work_dir) + '/bn_training'] is shift
    assert type(runner.model.head.loss_module).__name__ == (
        'LabelAwareSmoothingLoss'
    )
    groups = runner.optim_wrapper.optimizer.param_groups
    fc = [
        g
        for g in groups
        if any(p is runner.model.head.fc.weight for p in g['params'])
    ]
    scales = [
        g
        for g in groups
        if any(p is runner.model.head.scales for p in g['params'])
    ]
    assert fc[0]['initial_lr'] == pytest.approx(0.5 * scales[0]['initial_lr'])


def test_stage2_without_a_stage1_checkpoint_is_refused(tmp_path):
    cfg = mnist_cfg(tmp_path, config='decoupling/crt_resnet8_10e_mnist-lt.py')
    with pytest.raises(ValueError, match='needs the stage-1 checkpoint'):
        run(cfg)


def test_trainable_must_name_parameters(tmp_path, stage1):
    cfg = stage2(tmp_path, 'decoupling/crt_resnet8_10e_mnist-lt.py', stage1)
    cfg.custom_hooks = [
        dict(type='ClassifierRetrainingHook', trainable=['head.classifier'])
    ]
    with pytest.raises(ValueError, match='no parameter of the model'):
        run(cfg)
    with pytest.raises(ValueError, match='non-empty list'):
        HOOKS.build(dict(type='ClassifierRetrainingHook', trainable='head'))


def test_tau_norm_head_predicts_with_normalised_weights():
    head = MODELS.build(
        dict(type='TauNormLinearClsHead', num_classes=5, in_channels=8)
    )
    torch.nn.init.normal_(head.fc.weight)
    feats = (torch.randn(6, 8),)
    for tau in (0.0, 0.5, 1.0, 2.0):
        head.tau = tau
        weight = (
            head.fc.weight / head.fc.weight.norm(dim=1, keepdim=True) ** tau
        )
        expected = feats[0] @ weight.T + head.fc.bias
        scores = torch.stack([s.pred_score for s in head.predict(feats)])
        torch.testing.assert_close(scores, expected.softmax(dim=1))
    # tau = 1 gives every class's weight unit norm
    norms = tau_normalised_weight(head.fc.weight, 1.0).norm(dim=1)
    torch.testing.assert_close(norms, torch.ones(5))
    with pytest.raises(ValueError, match='tau must be >= 0'):
        MODELS.build(
            dict(
                type='TauNormLinearClsHead',
                tau=-1,
                num_classes=5,
                in_channels=8,
            )
        )


def test_tau_sweep_tool_reports_the_best_tau(stage1, tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            osp.join(REPO, 'tools', 'tau_norm.py'),
            osp.join(
                REPO, 'configs', 'decoupling', 'tau-norm_resnet8_mnist-lt.py'
            ),
            osp.join(stage1, 'epoch_2.pth'),
            '--taus',
            '0',
            '1',
            '--work-dir',
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    rows = [line for line in lines if line.startswith(('| 0 |', '| 1 |'))]
    assert len(rows) == 2
    best = [line for line in lines if line.startswith('best tau: ')]
    assert len(best) == 1 and best[0].split()[2] in ('0', '1')
