"""The analysis tools: figures from a real `mim test --out` dump, the
visualizer backends, and the throughput benchmark's report."""

import os.path as osp
import re
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from conftest import REPO

PLOT = osp.join(REPO, 'tools', 'analysis_tools', 'plot_long_tail.py')
CONFIG = osp.join(REPO, 'configs', 'ldam_mnist_lt.py')


def run(*args, timeout=300):
    proc = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def failed(*args) -> str:
    """The standard error of a Python call that must fail."""
    proc = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode != 0
    return proc.stderr


def refused(*args) -> str:
    """The standard error of a plot_long_tail.py call that must fail."""
    return failed(PLOT, *args, '--out', 'x.png')


@pytest.fixture(scope='module')
def dumps(tmp_path_factory):
    """Two `mim test --out` dumps of MNIST-LT models (random weights)."""
    import torch
    from mmengine.config import Config
    from mmengine.runner import save_checkpoint
    from mmpretrain.registry import MODELS

    root = tmp_path_factory.mktemp('dumps')
    paths = []
    for seed in (0, 1):
        torch.manual_seed(seed)
        model = MODELS.build(Config.fromfile(CONFIG).model)
        checkpoint = root / f'model{seed}.pth'
        save_checkpoint(model.state_dict(), str(checkpoint))
        out = root / f'result{seed}.pkl'
        run(
            '-m',
            'mim',
            'test',
            'mmpretrain',
            CONFIG,
            '--checkpoint',
            str(checkpoint),
            '--work-dir',
            str(root / f'work{seed}'),
            '--out',
            str(out),
        )
        paths.append(out)
    return paths


@pytest.mark.parametrize(
    'command',
    [
        ['class-distribution', CONFIG],
        ['per-class', CONFIG, 0],
        ['reliability', 0],
        ['compare', CONFIG, 0, 1, '--names', 'seed0', 'seed1'],
    ],
    ids=lambda c: c[0],
)
def test_each_figure_is_written(tmp_path, dumps, command):
    args = [str(dumps[a]) if isinstance(a, int) else a for a in command]
    out = tmp_path / 'figure.png'
    stdout = run(
        PLOT,
        *args,
        '--out',
        str(out),
        '--vis-backends',
        'LocalVisBackend',
        '--save-dir',
        str(tmp_path / 'vis'),
    )
    image = np.asarray(Image.open(out))
    assert image.ndim == 3 and image.shape[0] > 200 and image.std() > 0
    assert 'LocalVisBackend' in stdout
    # the backend keeps the same picture
    saved = list((tmp_path / 'vis').rglob('*.png'))
    assert len(saved) == 1
    assert np.asarray(Image.open(saved[0])).shape[:2] == image.shape[:2]


def test_classifier_norms_are_the_checkpoints_row_norms(tmp_path, dumps):
    import torch

    checkpoints = [
        str(d.parent / f'model{i}.pth') for i, d in enumerate(dumps)
    ]
    stdout = run(
        PLOT,
        'classifier-norms',
        CONFIG,
        *checkpoints,
        '--names',
        'seed0',
        'seed1',
        '--param',
        'head.weight',
        '--out',
        str(tmp_path / 'norms.png'),
    )
    listed = stdout.split('classes by training images: ')[1].splitlines()[0]
    counts = [int(c) for c in listed.strip('[]').split(', ')]
    # MNIST-LT's class j has the j-th most images, so the order is 0..9
    assert len(counts) == 10 and counts == sorted(counts, reverse=True)
    assert counts[0] == 100 * counts[-1]
    for name, checkpoint in zip(('seed0', 'seed1'), checkpoints):
        weight = torch.load(checkpoint)['head.weight']  # a bare state dict
        norms = weight.norm(dim=1).numpy()
        line = stdout.split(f'{name}: ')[1].splitlines()[0]
        spread, listed = line.split('; norms ')
        assert spread == f'max / min {norms.max() / norms.min():.2f}'
        np.testing.assert_allclose(
            [float(x) for x in listed.split()], norms, atol=5e-4
        )
    assert np.asarray(Image.open(tmp_path / 'norms.png')).std() > 0


def test_classifier_norms_ticks_are_the_training_sets_class_names(tmp_path):
    import argparse
    import importlib.util

    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmengine.runner import save_checkpoint
    from mmpretrain.registry import MODELS

    # Fashion-MNIST-LT: its names are not its indices, as MNIST-LT's are
    config = osp.join(
        REPO, 'configs', 'ce', 'ce_resnet8_15e_fashion-mnist-lt.py'
    )
    model = MODELS.build(Config.fromfile(config).model)
    checkpoint = str(tmp_path / 'model.pth')
    save_checkpoint(model.state_dict(), checkpoint)
    spec = importlib.util.spec_from_file_location('plot_long_tail', PLOT)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    init_default_scope('mmpretrain')
    args = argparse.Namespace(
        command='classifier-norms',
        config=config,
        checkpoints=[checkpoint],
        names=None,
        param='head.fc.weight',
    )
    fig = tool.make_figure(args)
    classes = tool.training_set(config).metainfo['classes']
    assert classes[3] == 'Dress'
    counts = tool.training_counts(config)
    order = np.argsort(-np.asarray(counts), kind='stable')
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == [classes[i] for i in order]


def test_classifier_norms_name_the_classifier_weights_there_are(dumps):
    stderr = refused(
        'classifier-norms', CONFIG, str(dumps[0].parent / 'model0.pth')
    )
    assert (
        "param 'head.fc.weight' is not a (10, D) classifier weight; "
        "the ones it has: ['head.weight']"
    ) in stderr


def test_classifier_norms_refuse_a_repeated_name():
    stderr = refused(
        'classifier-norms', CONFIG, 'a.pth', 'b.pth', '--names', 'CE', 'CE'
    )
    assert "--names repeats a name: ['CE', 'CE']" in stderr


def test_a_file_that_is_not_a_dump_is_refused(tmp_path):
    import mmengine

    bad = tmp_path / 'bad.pkl'
    mmengine.dump([{'pred_label': 1}], str(bad))
    stderr = refused('reliability', str(bad))
    assert 'is not a mim test --out dump' in stderr


def test_throughput_benchmark_reports_both_loops(tmp_path):
    stdout = run(
        osp.join(REPO, 'tools', 'benchmark_throughput.py'),
        '--config',
        osp.join(REPO, 'configs', 'ce_mnist_lt.py'),
        '--precision',
        'fp32',
        'bf16',
        '--path',
        'per-sample',
        'batch',
        '--epochs',
        '1',
        '--warmup',
        '0',
        '--repeats',
        '1',
        '--breakdown',
        '--work-dir',
        str(tmp_path),
    )
    tables = stdout.split('\nRunner, ')
    stdout, breakdowns = tables[0], tables[1:]
    rows = [line for line in stdout.splitlines() if line.startswith('| ')]
    assert rows[0].startswith('| precision | data path | plain PyTorch')
    variants = [tuple(r.split(' | ')[:2]) for r in rows[1:]]
    assert variants == [
        ('| fp32', 'per-sample'),
        ('| fp32', 'batch'),
        ('| bf16', 'per-sample'),
        ('| bf16', 'batch'),
    ]
    for row in rows[1:]:
        cells = row.strip(' |').split(' | ')
        plain, runner, ratio, median = (float(x) for x in cells[2:6])
        assert plain > 0 and runner > 0
        assert ratio == pytest.approx(runner / plain, rel=0.01)
        # one repeat: its ratio is the median and both ends of the range
        low, high = (float(x) for x in cells[6].split('-'))
        assert median == low == high == pytest.approx(ratio, abs=0.001)
    # each Runner epoch's share outside its train steps (loader, hooks)
    outside = [
        float(x)
        for x in re.findall(r'\(([\d.]+)% of its time outside', stdout)
    ]
    assert len(outside) == 4 and all(0 < x < 100 for x in outside)
    # where each variant's Runner spent its timed epoch: parts that do not
    # overlap, the train steps the largest
    assert [b.split(',')[0] for b in breakdowns] == [
        f'{p} {d}' for p in ('fp32', 'bf16') for d in ('per-sample', 'batch')
    ]
    for table, share_outside in zip(breakdowns, outside):
        parts = {
            cells[0]: (float(cells[1]), float(cells[2]))
            for cells in (
                line.strip(' |').split(' | ')
                for line in table.splitlines()[4:]
                if line.startswith('| ')
            )
        }
        assert max(parts, key=lambda k: parts[k][0]) == 'train steps'
        assert parts['train steps'][1] == pytest.approx(
            100 - share_outside, abs=0.2
        )
        for part in (
            'RuntimeInfoHook.after_train_iter',
            'loader and loop, between iterations',
        ):
            assert parts[part][0] > 0, part
        # parts under 0.005 ms an iteration are left out of the table
        assert 98 < sum(share for _, share in parts.values()) < 100.5


def test_throughput_benchmark_pairs_runner_and_plain_epochs(tmp_path):
    script = osp.join(REPO, 'tools', 'benchmark_throughput.py')
    config = osp.join(REPO, 'configs', 'ce_mnist_lt.py')
    options = ['--config', config, '--path', 'batch', '--interleave']
    stdout = run(
        script,
        *options,
        '--epochs',
        '3',
        '--warmup',
        '1',
        '--work-dir',
        str(tmp_path),
    )
    rows = [line for line in stdout.splitlines() if line.startswith('| ')]
    assert rows[0].startswith('| precision | data path | pairs |')
    cells = rows[1].strip(' |').split(' | ')
    assert cells[:3] == ['fp32', 'batch', '3']
    median = float(cells[3])
    low, high = (float(x) for x in cells[4].split('-'))
    least, most = (float(x) for x in cells[6].split('-'))
    assert 0 < least <= low <= median <= high <= most
    mean, sem = (float(x) for x in cells[5].split(' ± '))
    assert least <= mean <= most and sem > 0
    assert 0 < float(cells[7].rstrip('%')) < 100
    assert float(cells[8]) > 0
    # the first Runner epoch is timed from the plain epoch before it
    stderr = failed(script, *options, '--warmup', '0')
    assert '--interleave needs --warmup 1 or more' in stderr


def test_the_plain_loop_initialises_its_weights_as_the_runner_does():
    from mmengine.config import Config

    tool = throughput_tool()
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'ce_mnist_lt.py'))
    loop = tool.PlainLoop(cfg, 'fp32', 'batch')
    # mmengine's BaseModule marks what init_weights() has initialised
    assert loop.model.backbone.is_init and loop.model.head.is_init


def throughput_tool():
    """tools/benchmark_throughput.py as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        'benchmark_throughput',
        osp.join(REPO, 'tools', 'benchmark_throughput.py'),
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_a_throughput_variant_leaves_the_config_alone():
    """Each variant is a deep copy: setting bf16 on one must not turn the
    next fp32 run into bf16."""
    from mmengine.config import Config

    tool = throughput_tool()
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'ce_mnist_lt.py'))
    bf16 = tool.variant(cfg, 'bf16', 'per-sample')
    assert bf16.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.get('type', 'OptimWrapper') == 'OptimWrapper'
    batch = tool.variant(cfg, 'fp32', 'batch')
    assert batch.train_dataloader.dataset.type == 'TensorBatchDataset'
    assert cfg.train_dataloader.dataset.type == 'MNISTLT'


def test_the_plain_loop_stores_its_model_channels_last_as_the_runner_does():
    """Both loops run the same convolution kernels: channels last exactly
    when the config's ChannelsLastHook converts a CPU model."""
    from mmengine.config import Config

    tool = throughput_tool()
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'ce_mnist_lt.py'))
    assert tool.converts_to_channels_last(cfg)
    for devices in ([], ['cuda']):
        cfg.default_hooks.channels_last.devices = devices
        assert not tool.converts_to_channels_last(cfg)
    cfg.default_hooks.pop('channels_last')
    assert not tool.converts_to_channels_last(cfg)
    cfg.custom_hooks = [dict(type='ChannelsLastHook')]
    assert tool.converts_to_channels_last(cfg)
