"""``--amp`` on a CPU: mmlt's ``AmpOptimWrapper`` autocasts in bf16 where
the CPU has native bf16 and, by default, trains in float32 (saying so)
where it has not; BatchNorm's statistics, the parameters, the losses and
the metrics stay float32."""

import os.path as osp
import shutil
import subprocess
import sys

import pytest
import torch
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

from mmlt.engine.optimizers import cpu_bf16
from mmlt.engine.optimizers.amp_optim_wrapper import AmpOptimWrapper

from conftest import REPO
from runner_utils import build, mnist_cfg


def amp_cfg(tmp_path, **wrapper):
    cfg = mnist_cfg(tmp_path, config='ce_mnist_lt.py', max_epochs=1)
    cfg.optim_wrapper.type = 'AmpOptimWrapper'
    cfg.optim_wrapper.loss_scale = 'dynamic'  # what --amp sets
    cfg.optim_wrapper.update(wrapper)
    return cfg


def conv_output_dtypes(runner):
    """Records the dtype of every convolution's output while training."""
    seen = set()
    for module in runner.model.modules():
        if isinstance(module, torch.nn.Conv2d):
            module.register_forward_hook(lambda m, i, out: seen.add(out.dtype))
    return seen


@pytest.fixture
def native(monkeypatch):
    """Forces the answer of the native-bf16 detection."""

    def force(answer: bool, slowdown: float = 3.0):
        monkeypatch.setattr(cpu_bf16, 'native_cpu_bf16', lambda: answer)
        monkeypatch.setattr(cpu_bf16, 'bf16_slowdown', lambda: slowdown)

    return force


def test_with_native_bf16_training_autocasts_and_keeps_float32_state(
    tmp_path, native
):
    native(True)
    runner = build(amp_cfg(tmp_path))
    seen = conv_output_dtypes(runner)
    runner.train()
    assert isinstance(runner.optim_wrapper, AmpOptimWrapper)
    assert seen == {torch.bfloat16}
    for name, tensor in runner.model.state_dict().items():
        if tensor.is_floating_point():
            assert tensor.dtype == torch.float32, name
            assert torch.isfinite(tensor).all(), name
    bn = runner.model.backbone.bn1
    assert bn.running_var.min() > 0 and bn.num_batches_tracked > 0
    state = runner.optim_wrapper.state_dict()
    momenta = [s['momentum_buffer'] for s in state['state'].values()]
    assert momenta and all(m.dtype == torch.float32 for m in momenta)


def test_batch_norm_statistics_match_float32_under_autocast(native):
    """One training forward of the same batch: under bf16 autocast the
    running statistics stay float32 and within bf16's rounding of fp32's."""
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(3, 8, 3)
    stats = {}
    x = torch.randn(32, 3, 12, 12)
    for bf16 in (False, True):
        bn = torch.nn.BatchNorm2d(8, momentum=1.0)
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16):
            bn(conv(x))
        assert bn.running_mean.dtype == torch.float32
        stats[bf16] = (bn.running_mean, bn.running_var)
    for fp32, bf16 in zip(stats[False], stats[True]):
        torch.testing.assert_close(bf16, fp32, rtol=2**-7, atol=1e-3)


def test_without_native_bf16_it_trains_in_float32_and_says_why(
    tmp_path, native, capsys
):
    native(False, slowdown=2.7)
    runner = build(amp_cfg(tmp_path))
    seen = conv_output_dtypes(runner)
    runner.train()
    assert runner.optim_wrapper.autocast is False
    assert seen == {torch.float32}
    log = ''.join(capsys.readouterr())
    assert 'this CPU has no native bf16' in log
    assert '2.7x its fp32 time' in log
    assert 'trains in float32 instead' in log


def test_cpu_bf16_always_autocasts_without_native_bf16(
    tmp_path, native, capsys
):
    native(False, slowdown=2.7)
    runner = build(amp_cfg(tmp_path, cpu_bf16='always'))
    seen = conv_output_dtypes(runner)
    runner.train()
    assert seen == {torch.bfloat16}
    assert "autocasting anyway (cpu_bf16='always')" in ''.join(
        capsys.readouterr()
    )


def test_an_amp_checkpoint_resumes_with_and_without_amp(tmp_path, native):
    native(True)
    first = build(amp_cfg(tmp_path / 'a'))
    first.train()
    checkpoint = str(tmp_path / 'a' / 'epoch_1.pth')
    for wrapper in ('AmpOptimWrapper', 'OptimWrapper'):
        cfg = amp_cfg(tmp_path / wrapper, type=wrapper)
        cfg.train_cfg.max_epochs = 2
        cfg.resume, cfg.load_from = True, checkpoint
        if wrapper == 'OptimWrapper':
            cfg.optim_wrapper.pop('loss_scale')
        runner = build(cfg)
        runner.train()
        assert runner.epoch == 2


@pytest.mark.parametrize(
    'options,match',
    [
        (dict(dtype='float16'), "on a CPU dtype must be 'bfloat16'"),
        (dict(cpu_bf16='sometimes'), 'cpu_bf16 must be one of'),
    ],
)
def test_bad_settings_are_refused(options, match):
    init_default_scope('mmpretrain')
    model = torch.nn.Linear(2, 2)
    cfg = dict(
        type='AmpOptimWrapper', optimizer=dict(type='SGD', lr=0.1), **options
    )
    with pytest.raises(ValueError, match=match):
        build_optim_wrapper(model, cfg)


def test_mim_train_amp_runs_on_a_cpu(tmp_path):
    mim = shutil.which('mim', path=osp.dirname(sys.executable))
    out = subprocess.run(
        [
            mim,
            'train',
            'mmpretrain',
            osp.join(REPO, 'configs', 'ce_mnist_lt.py'),
            '--amp',
            '--work-dir',
            str(tmp_path),
            '--cfg-options',
            'train_cfg.max_epochs=1',
            'train_cfg.val_interval=1',
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-4000:]
    if cpu_bf16.native_cpu_bf16():
        assert 'bf16 autocast on the CPU (native bf16)' in log
    else:
        assert 'trains in float32 instead' in log
    assert 'lt/top1' in log
