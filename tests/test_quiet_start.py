"""A newcomer's first `mim train` prints no warning that is not about the
run: the quick start's command, cut to one epoch, in a fresh process."""

import os
import os.path as osp
import re
import shutil
import subprocess
import sys
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement

from conftest import REPO

#: What the stack printed before mmlt silenced it (issue 17).
NOISE = (
    'MultiScaleDeformableAttention',
    '"FileClient" will be deprecated',
    '"HardDiskBackend" is the alias',
)
PKG_RESOURCES = 'pkg_resources is deprecated'


def setuptools_pin() -> Requirement:
    with open(osp.join(REPO, 'setup.py')) as f:
        (pin,) = re.findall(r"'(setuptools[<>=!].*?)'", f.read())
    return Requirement(pin)


@pytest.fixture(scope='module')
def quick_start(tmp_path_factory):
    mim = shutil.which('mim', path=osp.dirname(sys.executable))
    work_dir = tmp_path_factory.mktemp('quick_start')
    cmd = [mim, 'train', 'mmpretrain', 'configs/ldam_mnist_lt.py']
    cmd += ['--work-dir', str(work_dir)]
    cmd += ['--cfg-options', 'train_cfg.max_epochs=1']
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        p for p in (REPO, env.get('PYTHONPATH')) if p
    )
    env.pop('PYTHONWARNINGS', None)
    out = subprocess.run(
        cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, (out.stdout + out.stderr)[-4000:]
    return out


def test_no_stack_noise(quick_start):
    printed = quick_start.stdout + quick_start.stderr
    assert 'Epoch(train)' in printed  # it did train
    for noise in NOISE:
        assert noise not in printed
    # what mmengine logs as a warning is about the run: a 1-epoch run
    # never reaches DRWHook's re-weighting epoch, and says so
    warnings = re.findall(r'- WARNING - (.*)', quick_start.stdout)
    assert all(w.startswith('DRWHook: drw_epoch=80') for w in warnings), (
        warnings
    )


def test_no_python_warning_with_the_pinned_setuptools(quick_start):
    installed = version('setuptools')
    if installed not in setuptools_pin().specifier:
        pytest.skip(
            f'setuptools {installed} is not what setup.py pins '
            f"({setuptools_pin()}): pip install -e '.[tests]' installs it"
        )
    assert PKG_RESOURCES not in quick_start.stderr
    assert 'Warning' not in quick_start.stderr, quick_start.stderr[-4000:]
