"""tools/test_distributions.py: a row over SADE's test distributions, the
uniform column equal to the plain test, and the expert weights the
test-time aggregation learned on each distribution."""

import os.path as osp
import re
import subprocess
import sys

import pytest

from conftest import REPO
from runner_utils import build, mnist_cfg

SADE = 'sade/sade_resnet8_100e_mnist-lt.py'
AGGREGATION = 'sade/sade-aggregation_resnet8_100e_mnist-lt.py'


def tool(*args):
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'test_distributions.py')]
        + list(args),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('sade')
    runner = build(mnist_cfg(work_dir, config=SADE, max_epochs=1))
    runner.train()
    return str(work_dir / 'epoch_1.pth'), runner.test()['lt/top1']


def cells(stdout, row):
    line = next(x for x in stdout.splitlines() if x.startswith(f'| {row} |'))
    return [c.strip() for c in line.strip('|').split('|')[1:]]


def test_a_row_over_the_distributions(tmp_path, checkpoint):
    path, top1 = checkpoint
    out = tmp_path / 'rows.md'
    stdout = tool(
        osp.join('configs', SADE),
        path,
        '--distributions',
        'forward50',
        'uniform',
        'backward50',
        '--out',
        str(out),
    )
    assert '| model | forward-50 | uniform | backward-50 |' in stdout
    forward, uniform, backward = cells(stdout, 'sade_resnet8_100e_mnist-lt')
    # the uniform split is the whole balanced test split
    assert uniform == f'{top1:.2f} ± 0.00'
    assert forward != backward
    assert out.read_text() in stdout
    # equal weights, not learned: no weights table
    assert 'Expert weights' not in stdout


def test_the_aggregation_prints_the_weights_it_learned(checkpoint):
    path, _ = checkpoint
    stdout = tool(
        osp.join('configs', AGGREGATION),
        path,
        '--distributions',
        'forward50',
        'backward50',
    )
    assert 'Expert weights (mean over the checkpoints)' in stdout
    rows = {}
    for label in ('forward-50', 'backward-50'):
        line = next(
            x for x in stdout.splitlines() if x.startswith(f'| {label} |')
        )
        rows[label] = [float(x) for x in re.findall(r'\d\.\d\d', line)]
        assert len(rows[label]) == 3
        assert sum(rows[label]) == pytest.approx(1.0, abs=0.02)
    assert rows['forward-50'] != rows['backward-50']
