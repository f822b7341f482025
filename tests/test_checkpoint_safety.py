"""mmlt allows what mmengine checkpoints hold, and nothing more."""

import json
import os
import pickle
import subprocess
import sys

import crafted_checkpoints
import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

from runner_utils import REPO


class RunsCode:
    def __reduce__(self):
        return (os.system, ('echo unsafe',))


class ReachesThroughGetattr:
    def __reduce__(self):
        return (getattr, (np.ndarray, 'tofile'))


class ReachesPrivateAttribute:
    def __reduce__(self):
        return (getattr, (HistoryBuffer, '__init__'))


@pytest.mark.parametrize(
    'payload', [RunsCode(), ReachesThroughGetattr(), ReachesPrivateAttribute()]
)
def test_crafted_pickles_are_refused(tmp_path, payload):
    path = tmp_path / 'crafted.pth'
    torch.save({'state_dict': {}, 'x': payload}, path)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)


def test_history_buffers_and_numpy_values_load(tmp_path):
    buf = HistoryBuffer()
    buf.update(0.5)
    buf.update(0.25)
    buf._statistics_methods = dict(buf._statistics_methods)
    path = tmp_path / 'ok.pth'
    torch.save(
        {
            'buf': buf,
            'eta': np.float64(3.5),
            'arr': np.arange(6, dtype=np.int32).reshape(2, 3),
        },
        path,
    )
    loaded = torch.load(path)
    assert loaded['buf'].mean() == pytest.approx(0.375)
    assert loaded['eta'] == 3.5 and loaded['arr'].sum() == 15


def test_arrays_scalars_and_buffers_come_back_as_written(tmp_path):
    buf = HistoryBuffer([1.0, 2.0, 6.0], [1, 1, 1])
    values = {
        'big_endian': np.arange(6, dtype='>i4').reshape(2, 3),
        'fortran': np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        'empty': np.zeros((0, 4), np.float32),
        'flags': np.array([True, False]),
        'c64': np.complex64(1j),
        'u8': np.uint8(255),
    }
    path = tmp_path / 'ok.pth'
    torch.save({'buf': buf, **values}, path)
    loaded = torch.load(path)
    for key, value in values.items():
        # as numpy's own unpickling gives it (native byte order)
        expected = pickle.loads(pickle.dumps(value, protocol=2))
        assert loaded[key].dtype == expected.dtype, key
        np.testing.assert_array_equal(loaded[key], value)
    assert loaded['fortran'].flags.f_contiguous
    assert type(loaded['buf']) is HistoryBuffer
    assert loaded['buf'].statistics('mean') == 3.0
    # saved again, the file names numpy's own classes, not mmlt's
    torch.save(loaded, tmp_path / 'again.pth')
    names = torch.serialization.get_unsafe_globals_in_checkpoint(
        tmp_path / 'again.pth'
    )
    assert not [n for n in names if 'mmlt' in n]
    assert (
        np.asarray(torch.load(tmp_path / 'again.pth')['big_endian']).sum()
        == 15
    )


def test_a_buffer_state_cannot_change_other_buffers(tmp_path):
    buf = HistoryBuffer([1.0, 2.0, 6.0], [1, 1, 1])
    # the statistics it names are HistoryBuffer's own: accepted, not written
    buf._statistics_methods = dict(HistoryBuffer._statistics_methods)
    torch.save({'buf': buf}, tmp_path / 'own.pth')
    table = dict(HistoryBuffer._statistics_methods)
    torch.load(tmp_path / 'own.pth')
    assert HistoryBuffer._statistics_methods == table
    assert HistoryBuffer([1.0, 2.0, 6.0], [1, 1, 1]).statistics('mean') == 3.0


def test_the_crafted_catalogue_is_refused_in_a_child_process(tmp_path):
    """Each crafted file is loaded by mmlt's loader in a child process: every
    one is refused with mmlt's error, none runs code (no marker file), the
    child is not killed by a signal, and no load's traced peak or the
    child's peak resident memory grows by more than a bound far below what
    the crafted sizes ask for (GiB)."""
    folder, marker = tmp_path / 'catalogue', tmp_path / 'MARKER'
    names = crafted_checkpoints.write_catalogue(str(folder), str(marker))
    assert len(names) >= 40
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1')
    child = subprocess.run(
        [sys.executable, crafted_checkpoints.__file__, str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    lines = [
        json.loads(x) for x in child.stdout.splitlines() if x.startswith('{')
    ]
    started = [x['start'] for x in lines if 'start' in x]
    assert child.returncode == 0, (
        f'the child died (status {child.returncode}) loading {started[-1:]}: '
        f'{child.stderr[-2000:]}'
    )
    results = {x['name']: x for x in lines if 'name' in x}
    assert sorted(results) == names
    assert not marker.exists()
    assert lines[-1] == {'class_table_unchanged': True}
    assert results.pop('control_loads')['outcome'] == 'loaded'
    for name, result in results.items():
        assert result['outcome'] == 'CheckpointError', (name, result)
        assert (
            f'{name}.pth' in result['message'] or 'mmlt:' in result['message']
        )
        # tracemalloc sees numpy's and Python's allocations; the fixed
        # MiB covers torch's warnings reading their source lines
        assert result['traced_peak'] < 8 * result['size'] + 2**20, (
            name,
            result,
        )
        assert result['maxrss_growth_kib'] < 64 * 1024, (name, result)
