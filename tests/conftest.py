import os.path as osp
import sys

import pytest

sys.path.insert(0, osp.dirname(__file__))
import mmlt  # noqa: E402,F401  registers mmlt's components

from cifar_files import write_cifar  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture
def cifar10_root(tmp_path):
    write_cifar(str(tmp_path), num_classes=10, train_per_class=20)
    return str(tmp_path)


@pytest.fixture
def cifar100_root(tmp_path):
    write_cifar(str(tmp_path), num_classes=100, train_per_class=20)
    return str(tmp_path)
