import os.path as osp
import re
import subprocess
import sys
import uuid

import pytest
from mmengine.logging import MessageHub

sys.path.insert(0, osp.dirname(__file__))
import mmlt  # noqa: E402,F401  registers mmlt's components

from cifar_files import write_cifar  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))

import torch  # noqa: E402

#: where the device-parametrised tests run: the CPU, and CUDA where there is
#: a GPU (CI has none; a session lent one runs them there)
DEVICES = ['cpu'] + (['cuda'] if torch.cuda.is_available() else [])
#: the autocast dtypes each device is tested under (fp16 is a GPU's)
AUTOCAST_DTYPES = {
    'cpu': [torch.bfloat16],
    'cuda': [torch.bfloat16, torch.float16],
}
#: each dtype's unit roundoff, the largest relative error of one rounding
UNIT_ROUNDOFF = {torch.bfloat16: 2**-8, torch.float16: 2**-11}
DEVICE_DTYPES = [(d, t) for d in DEVICES for t in AUTOCAST_DTYPES[d]]


def mim_test(
    config: str, checkpoint: str, work_dir
) -> subprocess.CompletedProcess:
    """``mim test mmpretrain CONFIG --checkpoint CHECKPOINT``, as a user
    runs it, for a config path relative to the repository."""
    return subprocess.run(
        [
            sys.executable,
            '-m',
            'mim',
            'test',
            'mmpretrain',
            osp.join(REPO, config),
            '--checkpoint',
            checkpoint,
            '--work-dir',
            str(work_dir),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(autouse=True)
def fresh_message_hub():
    """A message hub of its own for every test: a Runner of an earlier
    test (one that failed mid-training, say) would otherwise still say it
    is training, with its max_epochs, to the samplers' schedule checks."""
    MessageHub.get_instance(f'test_{uuid.uuid4().hex}')


@pytest.fixture
def cifar10_root(tmp_path):
    write_cifar(str(tmp_path), num_classes=10, train_per_class=20)
    return str(tmp_path)


@pytest.fixture
def cifar100_root(tmp_path):
    write_cifar(str(tmp_path), num_classes=100, train_per_class=20)
    return str(tmp_path)


def readme_section(title: str, doc: str = 'README.md') -> str:
    """The section of ``doc`` (a path from the repository's root) under the
    ``## title`` heading."""
    with open(osp.join(REPO, doc), encoding='utf-8') as f:
        text = f.read()
    start = text.index(f'\n## {title}\n')
    end = text.find('\n## ', start + 1)
    return text[start : end if end > 0 else None]


def code_blocks(section: str, lang: str) -> list:
    return re.findall(rf'```{lang}\n(.*?)```', section, re.S)
