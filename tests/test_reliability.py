"""Runs that must stop instead of going on wrong: a non-finite loss, two runs
in one work dir, a resume with nothing sound to resume from. (The bad-input
catalogue of files and configs is tests/test_bad_input.py; crafted
checkpoints are tests/test_checkpoint_safety.py.)"""

import math
import os
import subprocess
import sys
import uuid
from types import SimpleNamespace

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.logging import MessageHub
from mmpretrain.registry import HOOKS

from mmlt.engine.runner import (
    WorkDirInUseError,
    WorkDirLock,
    find_resume_checkpoint,
)

from runner_utils import REPO, build, mnist_cfg, run


def logs(work_dir):
    """What the runs in ``work_dir`` wrote to their log files."""
    return '\n'.join(p.read_text() for p in sorted(work_dir.rglob('*.log')))


@HOOKS.register_module(force=True)
class RecordLossHook(Hook):
    """Runs after NonFiniteCheckHook: records every loss it gets to see."""

    priority = 'LOWEST'
    seen: list = []

    def after_train_iter(
        self, runner, batch_idx, data_batch=None, outputs=None
    ):
        RecordLossHook.seen.append(float(outputs['loss'].detach()))


def test_a_ce_baseline_at_lr_1e6_stops_at_its_first_non_finite_iteration(
    tmp_path,
):
    cfg = mnist_cfg(
        tmp_path,
        config='ce_mnist_lt.py',
        max_epochs=3,
        optim_wrapper=dict(optimizer=dict(lr=1e6)),
        custom_hooks=[
            dict(type='SetClassCountsHook'),
            dict(type='RecordLossHook'),
        ],
    )
    RecordLossHook.seen = []
    with pytest.raises(FloatingPointError, match='training iteration') as e:
        run(cfg)
    # every loss the later hooks saw was finite: the run stopped at the first
    seen = RecordLossHook.seen
    assert all(math.isfinite(x) for x in seen)
    assert f'training iteration {len(seen) + 1} ' in str(e.value)
    assert 'loss' in str(e.value) or 'parameters' in str(e.value)
    for path in tmp_path.rglob('*.pth'):
        state = torch.load(path)['state_dict']
        assert all(torch.isfinite(v).all() for v in state.values()), path


def test_a_work_dir_a_live_run_holds_is_refused(tmp_path):
    first = build(mnist_cfg(tmp_path, config='ce_mnist_lt.py', max_epochs=1))
    config_files = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(WorkDirInUseError, match=f'pid {os.getpid()} on '):
        build(mnist_cfg(tmp_path, config='ce_mnist_lt.py', max_epochs=1))
    # the refused run wrote nothing: no config, no log folder of its own
    assert sorted(p.name for p in tmp_path.iterdir()) == config_files
    first.train()
    # once that run has ended the folder is free again
    run(mnist_cfg(tmp_path, config='ce_mnist_lt.py', max_epochs=1))


def test_a_work_dir_held_by_another_process_names_it(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            '-c',
            'import sys, time\n'
            'from mmlt.engine.runner import WorkDirLock\n'
            f'WorkDirLock({str(tmp_path)!r})\n'
            'print("held", flush=True)\n'
            'time.sleep(60)\n',
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=REPO),
    )
    try:
        assert holder.stdout.readline().strip() == 'held'
        with pytest.raises(WorkDirInUseError, match=f'pid {holder.pid} '):
            WorkDirLock(str(tmp_path))
    finally:
        holder.kill()
        holder.wait()
    # the system dropped the dead holder's lock
    WorkDirLock(str(tmp_path)).release()


def train_epochs(work_dir, epochs, **options):
    cfg = mnist_cfg(work_dir, config='ce_mnist_lt.py', max_epochs=epochs)
    cfg.merge_from_dict(options)
    return run(cfg)


def test_resume_passes_over_a_torn_last_checkpoint(tmp_path):
    train_epochs(tmp_path, 3)
    # epoch 3, which last_checkpoint names, torn while it was written
    torn = tmp_path / 'epoch_3.pth'
    assert (tmp_path / 'last_checkpoint').read_text().endswith('epoch_3.pth')
    torn.write_bytes(torn.read_bytes()[:1000])
    runner = train_epochs(tmp_path, 4, resume=True)
    log = logs(tmp_path)
    assert f'continuing from {tmp_path}/epoch_2.pth, the newest whole' in log
    assert f'passed over: {torn} (torn' in log
    # epoch 2 of 4: a run with something left to train says nothing of it
    assert 'nothing is left to train' not in log
    # it went on from epoch 2: epochs 3 and 4 are trained again
    assert runner.train_loop.epoch == 4
    assert torch.load(tmp_path / 'epoch_4.pth')['meta']['epoch'] == 4


class Log:
    def __init__(self):
        self.lines = []

    def warning(self, text):
        self.lines.append(text)


def test_resume_without_last_checkpoint_takes_the_newest_epoch(tmp_path):
    for n in (2, 11, 12):
        torch.save({'meta': {'epoch': n}}, tmp_path / f'epoch_{n}.pth')
    log = Log()
    found = find_resume_checkpoint(str(tmp_path), log)
    assert found == str(tmp_path / 'epoch_12.pth')
    assert log.lines == []  # nothing passed over
    (tmp_path / 'epoch_12.pth').write_bytes(b'PK\x03\x04 cut')
    found = find_resume_checkpoint(str(tmp_path), log)
    assert found == str(tmp_path / 'epoch_11.pth')
    assert 'epoch_12.pth (torn (a zip cut short at 8 bytes))' in log.lines[0]


def test_resume_with_only_torn_checkpoints_stops(tmp_path):
    train_epochs(tmp_path, 1)
    (tmp_path / 'epoch_1.pth').write_bytes(b'')
    (tmp_path / 'last_checkpoint').write_text('')
    with pytest.raises(FileNotFoundError, match='no whole checkpoint') as e:
        train_epochs(tmp_path, 2, resume=True)
    assert 'last_checkpoint (empty)' in str(e.value)
    assert 'epoch_1.pth (empty (0 bytes))' in str(e.value)


def test_resume_in_an_empty_work_dir_says_it_starts_from_scratch(tmp_path):
    train_epochs(tmp_path, 1, resume=True)
    assert 'holds no checkpoint; training starts from scratch' in logs(
        tmp_path
    )


def test_resume_of_a_finished_run_says_so_with_its_last_metrics(tmp_path):
    cfg = mnist_cfg(
        tmp_path, config='ce_mnist_lt.py', max_epochs=1, validate=True
    )
    first = run(cfg)
    top1 = first.message_hub.get_scalar('val/lt/top1').current()
    again = mnist_cfg(
        tmp_path, config='ce_mnist_lt.py', max_epochs=1, validate=True
    )
    again.resume = True
    runner = run(again)
    assert runner.iter == first.iter  # nothing trained
    log = logs(tmp_path)
    assert "ends this run's schedule (epoch 1, iteration" in log
    assert 'nothing is left to train' in log
    assert f'lt/top1: {top1:.4f}' in log


def fake_runner(grad_norm=None):
    hub = MessageHub.get_instance(f'nonfinite_{uuid.uuid4().hex}')
    if grad_norm is not None:
        hub.update_scalar('train/grad_norm', grad_norm)
    model = torch.nn.Linear(2, 2)
    return SimpleNamespace(
        message_hub=hub, model=model, optim_wrapper=None, iter=4, epoch=1
    )


def test_the_non_finite_check_reads_parameters_at_epoch_ends_and_saves():
    """Parameters are checked, every one of them (frozen ones too), at each
    epoch's end and before a checkpoint is written; an iteration reads only
    the loss terms and the gradient norm."""
    runner = fake_runner()
    weight, bias = runner.model.weight, runner.model.bias
    hook = HOOKS.build(dict(type='NonFiniteCheckHook'))
    finite = {'loss': torch.tensor(1.0)}
    hook.after_train_epoch(runner)
    hook.before_save_checkpoint(runner, {})
    bias.requires_grad_(False)
    with torch.no_grad():
        bias.fill_(float('nan'))
    hook.after_train_iter(runner, 1, None, finite)
    with pytest.raises(FloatingPointError, match='end of epoch 2.*=nan'):
        hook.after_train_epoch(runner)
    with pytest.raises(FloatingPointError, match='before a checkpoint'):
        hook.before_save_checkpoint(runner, {})
    with torch.no_grad():
        bias.zero_()
        weight[0, 1] = float('inf')
    with pytest.raises(FloatingPointError, match='parameters=nan'):
        hook.after_train_epoch(runner)
    off = HOOKS.build(dict(type='NonFiniteCheckHook', check_parameters=False))
    off.after_train_epoch(runner)
    off.before_save_checkpoint(runner, {})


def test_non_finite_parameters_stop_an_iteration_checkpointed_run(tmp_path):
    """A run that saves by iteration writes no checkpoint of non-finite
    parameters, even when its loss stayed finite: the check runs before the
    save."""
    cfg = mnist_cfg(
        tmp_path,
        config='ce_mnist_lt.py',
        max_epochs=1,
        custom_hooks=[
            dict(type='SetClassCountsHook'),
            dict(type='PoisonBiasHook', at_iter=4),
        ],
    )
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=2, by_epoch=False
    )
    with pytest.raises(FloatingPointError, match='before a checkpoint'):
        run(cfg)
    saved = sorted(p.name for p in tmp_path.rglob('*.pth'))
    assert saved == ['iter_2.pth']
    state = torch.load(tmp_path / 'iter_2.pth')['state_dict']
    assert all(torch.isfinite(v).all() for v in state.values())


@HOOKS.register_module(force=True)
class PoisonBiasHook(Hook):
    """Sets the head's bias to NaN after iteration ``at_iter`` (1-based),
    after the non-finite check has read that iteration's loss and before
    the checkpoint hook saves: parameters no loss has seen yet."""

    priority = 'LOW'

    def __init__(self, at_iter: int) -> None:
        self.at_iter = at_iter

    def after_train_iter(
        self, runner, batch_idx, data_batch=None, outputs=None
    ):
        if runner.iter + 1 == self.at_iter:
            with torch.no_grad():
                runner.model.head.fc.bias.fill_(float('nan'))


def test_an_infinite_gradient_norm_stops_cpu_bf16_amp_but_not_fp16_amp():
    """bf16 AMP on a CPU has no loss scaler: every step happens, so an
    infinite gradient norm is a real one; fp16 AMP skips such a step."""
    from mmlt.engine.optimizers import AmpOptimWrapper

    model = torch.nn.Linear(2, 2)
    cpu_amp = AmpOptimWrapper(optimizer=torch.optim.SGD(model.parameters()))
    runner = fake_runner(grad_norm=float('inf'))
    runner.optim_wrapper = cpu_amp
    hook = HOOKS.build(dict(type='NonFiniteCheckHook'))
    with pytest.raises(FloatingPointError, match='grad_norm=inf'):
        hook.after_train_iter(runner, 3, None, {'loss': torch.tensor(1.0)})
    cpu_amp.loss_scaler = torch.amp.GradScaler('cpu')  # as fp16 AMP has
    hook.after_train_iter(runner, 3, None, {'loss': torch.tensor(1.0)})


@pytest.mark.parametrize(
    'runner,outputs,match',
    [
        (
            fake_runner(),
            {
                'loss_cls': torch.tensor(float('nan')),
                'loss': torch.tensor(1.0),
            },
            r'iteration 5 \(epoch 2, batch 3\): loss_cls=nan',
        ),
        (
            fake_runner(grad_norm=float('inf')),
            {'loss': torch.tensor(1.0)},
            'grad_norm=inf',
        ),
        (fake_runner(), {'loss': float('inf')}, 'loss=inf'),
        (
            fake_runner(),
            {'loss': 1.0, 'acc': torch.tensor([1.0, float('nan')])},
            'acc=nan',
        ),
    ],
)
def test_the_non_finite_check_names_what_is_not_finite(runner, outputs, match):
    hook = HOOKS.build(dict(type='NonFiniteCheckHook'))
    with pytest.raises(FloatingPointError, match=match):
        hook.after_train_iter(runner, 3, None, outputs)
    # finite values pass
    hook.after_train_iter(fake_runner(), 3, None, {'loss': torch.tensor(1.0)})
