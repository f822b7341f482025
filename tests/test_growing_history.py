"""GrowingHistoryBuffer holds what mmengine's HistoryBuffer would, appends
without copying, and is saved as the plain buffer; GrowingHistoryHook puts
the Runner's message hub in that form."""

import copy
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.hooks import Hook
from mmengine.logging import HistoryBuffer

from mmlt.checkpoint import load_from_local
from mmlt.engine.growing_history import GrowingHistoryBuffer

from runner_utils import REPO, build, mnist_cfg, run

# integers first (an int64 history), then floats (float64 from the first
# one on, as np.append makes it), a bool, one past int64, numpy scalars
VALUES = [3, -2, 7, 0.5, 2**40, True, 1.25, np.float64(0.75), 2**63, -1.5]


def assert_same_history(grown, plain):
    for ours, theirs in zip(grown.data, plain.data):
        assert ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)
    for window in (None, 1, 3, 100):
        for name in ('mean', 'max', 'min'):
            assert grown.statistics(name, window) == plain.statistics(
                name, window
            )
    assert grown.current() == plain.current()


@pytest.mark.parametrize('max_length', [1, 4, 1000000])
def test_every_update_holds_what_mmengines_buffer_holds(max_length):
    rng = np.random.default_rng(0)
    values = VALUES + rng.normal(size=200).tolist()
    counts = [1, 2, 1, 3] * (len(values) // 4 + 1)
    plain = HistoryBuffer([VALUES[0]], [1], max_length=max_length)
    grown = GrowingHistoryBuffer.from_buffer(plain)
    built = GrowingHistoryBuffer([VALUES[0]], [1], max_length=max_length)
    assert_same_history(built, plain)
    for value, count in zip(values[1:], counts):
        for buffer in (plain, grown, built):
            buffer.update(value, count)
        assert_same_history(grown, plain)
        assert_same_history(built, plain)
    with pytest.raises(TypeError, match='log_val must be int or float'):
        grown.update('1.0')
    for bad in (0, -3, 2.0):
        with pytest.raises(ValueError, match='max_length must be an int >='):
            GrowingHistoryBuffer(max_length=bad)


def test_a_buffer_left_behind_keeps_its_history():
    plain = HistoryBuffer([1.0, 2.0], [1, 1])
    grown = GrowingHistoryBuffer.from_buffer(plain)
    plain.update(5.0)
    assert grown.data[0].tolist() == [1.0, 2.0]
    logs = grown.data[0]
    grown.update(9.0)
    assert logs.tolist() == [1.0, 2.0]  # as np.append's result would
    assert plain.data[0].tolist() == [1.0, 2.0, 5.0]


def test_appends_reallocate_only_as_the_history_outgrows_its_room():
    grown = GrowingHistoryBuffer()
    stores = set()
    for i in range(10_000):
        grown.update(float(i))
        stores.add(id(grown._logs.store))
    # the room doubles: 16, 34, 70, ... past 10,000 in 10 arrays
    assert len(stores) <= 11
    assert grown.data[0].tolist() == [float(i) for i in range(10_000)]

    capped = GrowingHistoryBuffer(max_length=100)
    sizes = set()
    for i in range(10_000):
        capped.update(float(i))
        sizes.add(capped._logs.store.size)
    assert max(sizes) <= 2 * (100 + 1)
    assert capped.data[0].tolist() == [float(i) for i in range(9_900, 10_000)]


def test_pickled_or_deep_copied_it_is_mmengines_plain_buffer(tmp_path):
    plain = HistoryBuffer([0.5], [1])
    grown = GrowingHistoryBuffer.from_buffer(plain)
    for value in (1.5, 2.5):
        plain.update(value)
        grown.update(value)
    # what MessageHub.state_dict puts in a checkpoint
    assert pickle.dumps(copy.deepcopy(grown)) == pickle.dumps(plain)
    for copied in (copy.deepcopy(grown), pickle.loads(pickle.dumps(grown))):
        assert type(copied) is HistoryBuffer
        assert_same_history(grown, copied)
    # a checkpoint holding one loads through mmlt's checking unpickler
    path = tmp_path / 'hub.pth'
    torch.save({'message_hub': {'log_scalars': {'train/loss': grown}}}, path)
    loaded = load_from_local(str(path))['message_hub']['log_scalars']
    assert type(loaded['train/loss']) is HistoryBuffer
    assert_same_history(grown, loaded['train/loss'])


class HubTypes(Hook):
    """Records the type of each message-hub buffer after the last
    iteration of each epoch (after GrowingHistoryHook, also LOWEST)."""

    priority = 'LOWEST'

    def __init__(self):
        self.seen = []

    def after_train_epoch(self, runner):
        self.seen.append(
            {k: type(v) for k, v in runner.message_hub.log_scalars.items()}
        )


def test_the_default_runtime_keeps_the_hubs_histories_growing(tmp_path):
    """In a run and in the run resumed from its checkpoint every logged
    scalar's buffer grows in place, the checkpoints hold plain buffers, and
    the resumed history goes on from the saved one."""
    cfg = mnist_cfg(tmp_path / 'run', config='ce_mnist_lt.py', max_epochs=1)
    types = HubTypes()
    runner = run(cfg)
    scalars = runner.message_hub.log_scalars
    assert {'train/loss', 'train/lr', 'train/time'} <= set(scalars)
    assert all(type(b) is GrowingHistoryBuffer for b in scalars.values())
    iterations = runner.iter
    assert len(scalars['train/loss'].data[0]) == iterations

    saved = load_from_local(str(tmp_path / 'run' / 'epoch_1.pth'))
    saved = saved['message_hub']['log_scalars']
    assert all(type(b) is HistoryBuffer for b in saved.values())
    np.testing.assert_array_equal(
        saved['train/loss'].data[0], scalars['train/loss'].data[0]
    )

    resumed = mnist_cfg(
        tmp_path / 'resumed',
        config='ce_mnist_lt.py',
        max_epochs=2,
        resume=True,
        load_from=str(tmp_path / 'run' / 'epoch_1.pth'),
    )
    runner = build(resumed)
    runner.register_hook(types, priority='LOWEST')
    runner.train()
    assert len(types.seen) == 1  # the second epoch only
    assert set(types.seen[0].values()) == {GrowingHistoryBuffer}
    loss = runner.message_hub.log_scalars['train/loss'].data[0]
    assert len(loss) == runner.iter == 2 * iterations
    np.testing.assert_array_equal(
        loss[:iterations], saved['train/loss'].data[0]
    )


def test_the_benchmark_prints_a_row_per_length():
    result = subprocess.run(
        [
            sys.executable,
            osp.join(REPO, 'tools', 'benchmark_history_buffer.py'),
            '--lengths',
            '10',
            '2000',
            '--updates',
            '5',
            '--repeats',
            '1',
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [r for r in result.stdout.splitlines() if r.startswith('| ')]
    assert [r.split(' | ')[0] for r in rows[1:]] == ['| 10', '| 2,000']
    for row in rows[1:]:
        plain, grown = (float(x) for x in row.split(' | ')[1:3])
        assert plain > 0 and grown > 0
