"""README.md's own-config example: its commands, run as a user runs them,
train and test docs/examples/ldam_mnist_lt_own.py outside the repository,
and the example names every piece mmlt's runtime adds to a stock one."""

import os
import os.path as osp
import re
import subprocess
import sys

from mmengine.config import Config

from conftest import REPO, code_blocks, readme_section

EXAMPLE = osp.join(REPO, 'docs', 'examples', 'ldam_mnist_lt_own.py')
STOCK_RUNTIME = 'mmpretrain::_base_/default_runtime.py'


def top1(printed: str, mode: str) -> list:
    return [
        float(v)
        for v in re.findall(rf'Epoch\({mode}\).*?lt/top1: ([\d.]+)', printed)
    ]


def test_the_readme_commands_train_and_test_it_outside_the_repo(tmp_path):
    section = readme_section('Using mmlt from a config of your own')
    (block,) = code_blocks(section, 'bash')
    assert 'docs/examples/ldam_mnist_lt_own.py' in block
    env = dict(os.environ, HOME=str(tmp_path))
    env['PATH'] = os.pathsep.join([osp.dirname(sys.executable), env['PATH']])
    # the repository is not on the path: mmlt comes from its installation
    env.pop('PYTHONPATH', None)
    proc = subprocess.run(
        ['bash', '-euo', 'pipefail', '-c', block],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    printed = proc.stdout + proc.stderr
    assert proc.returncode == 0, printed[-4000:]
    (trained,) = top1(printed, 'val')
    (tested,) = top1(printed, 'test')
    # untrained it scores about 10; the test split is the validation split
    assert trained > 80
    assert tested == trained
    for shot in ('many', 'medium', 'few'):
        assert f'lt/{shot}:' in printed
    assert osp.isdir(tmp_path / 'lt' / 'work_dirs' / 'ldam_mnist_lt_own')


def test_it_names_what_mmlt_runtime_adds_to_a_stock_one():
    import mmpretrain

    with open(EXAMPLE) as f:
        assert f'_base_ = [{STOCK_RUNTIME!r}]' in f.read()
    example = Config.fromfile(EXAMPLE)
    mmlt_runtime = Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'default_runtime.py')
    )
    stock = Config.fromfile(
        osp.join(
            osp.dirname(mmpretrain.__file__),
            '.mim/configs/_base_/default_runtime.py',
        )
    )
    added = set(mmlt_runtime.default_hooks) - set(stock.default_hooks)
    assert {'class_counts', 'non_finite'} <= added
    for name in added:
        assert example.default_hooks[name] == mmlt_runtime.default_hooks[name]
    assert example.runner_type == mmlt_runtime.runner_type
    assert example.custom_imports == mmlt_runtime.custom_imports
