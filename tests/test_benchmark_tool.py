import os.path as osp
import subprocess
import sys

from conftest import REPO


def test_benchmark_writes_a_table_over_seeds(tmp_path):
    config = tmp_path / 'ldam_mnist_lt_1e.py'
    config.write_text(
        f'_base_ = [{osp.join(REPO, "configs", "ldam_mnist_lt.py")!r}]\n'
        'train_cfg = dict(max_epochs=1, val_interval=1)\n'
    )
    out = tmp_path / 'table.md'
    proc = subprocess.run(
        [
            sys.executable,
            osp.join(REPO, 'tools', 'benchmark.py'),
            str(config),
            '--seeds',
            '0',
            '1',
            '--out',
            str(out),
            '--work-dir',
            str(tmp_path / 'work'),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert '[2/2] ldam_mnist_lt_1e seed 1: top1' in proc.stdout
    table = out.read_text()
    assert 'python tools/benchmark.py' in table and '--seeds 0 1' in table
    row = next(r for r in table.splitlines() if r.startswith('| ldam'))
    cells = [c.strip() for c in row.strip('|').split('|')]
    assert len(cells) == 6 and all('±' in c for c in cells[1:5])
