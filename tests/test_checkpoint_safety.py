"""mmlt reads what mmengine checkpoints hold, and nothing more: its own
loader by its own rules, and ``torch.load`` with its stand-ins."""

import json
import os
import pickle
import subprocess
import sys
import zipfile
from collections import Counter

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

from mmlt.checkpoint import CheckpointError, load_from_local

import crafted_files
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
    """Each crafted file (formats, zip layouts, compression, rebuild
    functions, repr-expensive arguments, malformed pickles, CIFAR batches,
    idx files) is loaded by mmlt's readers in a child process whose address
    space is limited: every one is refused with the reader's error naming
    the file, none runs code (no marker file), the child is not killed by
    a signal, and each load takes under a second and a peak resident memory
    within 16 times the file's size plus 24 MiB (the unpickler's budget)."""
    folder, marker = tmp_path / 'catalogue', tmp_path / 'MARKER'
    names = crafted_files.write_catalogue(str(folder), str(marker))
    refused = [n for n in names if not n.startswith('loads_')]
    assert len(refused) >= 100
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1')
    child = subprocess.run(
        [sys.executable, crafted_files.__file__, str(folder)],
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
    for name, result in results.items():
        if name.startswith('loads_'):
            assert result['outcome'] == 'loaded', (name, result)
            continue
        error = 'CheckpointError' if name.endswith('.pth') else 'ValueError'
        assert result['outcome'] == error, (name, result)
        assert name in result['message'], (name, result)
        assert 'more memory than is free' not in result['message'], result
        assert result['seconds'] < 1.0, (name, result)
        bound = 16 * result['size'] + 24 * 2**20
        assert result['rss_peak'] < bound, (name, result)


def runner_like_checkpoint():
    """What mmengine's Runner writes, in small: weights with their
    metadata, optimizer state, numpy meta values and log buffers."""
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.randn(5, 3)).sum().backward()
    optimizer.step()
    buf = HistoryBuffer([0.5, 0.25], [1, 1])
    return {
        'meta': {
            'epoch': 3,
            'seed': np.int64(7),
            'dataset_meta': {'classes': ('a', 'b'), 'class_counts': [9, 1]},
        },
        'state_dict': model.state_dict(),
        'optimizer': optimizer.state_dict(),
        'message_hub': {'log_scalars': {'train/loss': buf}},
        'param': torch.nn.Parameter(torch.ones(2)),
        'counter': Counter(a=2),
    }


def assert_same(ours, theirs, where='checkpoint'):
    assert type(ours) is type(theirs) or isinstance(ours, np.ndarray), where
    if isinstance(theirs, torch.Tensor):
        assert ours.dtype == theirs.dtype and ours.stride() == theirs.stride()
        assert torch.equal(ours, theirs), where
    elif isinstance(theirs, dict):
        assert list(ours) == list(theirs), where
        assert getattr(ours, '_metadata', None) == getattr(
            theirs, '_metadata', None
        )
        for key in theirs:
            assert_same(ours[key], theirs[key], f'{where}.{key}')
    elif isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f'{where}[{i}]')
    elif isinstance(theirs, HistoryBuffer):
        np.testing.assert_array_equal(ours._log_history, theirs._log_history)
    elif isinstance(theirs, np.ndarray):
        np.testing.assert_array_equal(ours, theirs)
    else:
        assert ours == theirs, where


@pytest.mark.parametrize(
    'options',
    [{}, {'_use_new_zipfile_serialization': False}]
    + [{'pickle_protocol': p} for p in (1, 2, 3, 4, 5)],
    ids=['zip', 'legacy'] + [f'protocol_{p}' for p in (1, 2, 3, 4, 5)],
)
def test_what_torch_save_writes_loads_as_torch_loads_it(tmp_path, options):
    checkpoint = runner_like_checkpoint()
    path = tmp_path / 'ckpt.pth'
    torch.save(checkpoint, path, **options)
    ours = load_from_local(str(path), map_location='cpu')
    theirs = torch.load(path, map_location='cpu', weights_only=False)
    assert_same(ours, theirs)
    assert type(ours['param']) is torch.nn.Parameter


def byte_swapped(path, out, units):
    """The zip checkpoint at ``path`` as a big-endian machine writes it:
    each record ``data/KEY`` swapped in ``units[KEY]``-byte elements."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, 'w') as dst:
        for info in src.infolist():
            record = src.read(info)
            name = info.filename.split('/', 1)[1]
            if name == 'byteorder':
                record = b'big'
            elif name.startswith('data/'):
                unit = units[name[5:]]
                little = np.frombuffer(record, f'<u{unit}')
                record = little.astype(f'>u{unit}').tobytes()
            dst.writestr(info, record)


def test_a_big_endian_checkpoint_loads_swapped(tmp_path):
    values = {
        'f32': torch.tensor([1.5, -2.0]),
        'i64': torch.tensor([1, 2**40, -3]),
    }
    torch.save(values, tmp_path / 'little.pth')
    units = {'0': 4, '1': 8}  # the storages in the order pickled
    byte_swapped(tmp_path / 'little.pth', tmp_path / 'big.pth', units)
    loaded = load_from_local(str(tmp_path / 'big.pth'))
    for key, value in values.items():
        assert torch.equal(loaded[key], value), key


def test_map_location_as_torch_takes_it(tmp_path):
    path = tmp_path / 'ckpt.pth'
    torch.save({'w': torch.arange(3.0)}, path)
    seen = []

    def remember(storage, location):
        seen.append(location)
        return storage

    assert load_from_local(str(path), map_location=remember)['w'].sum() == 3
    assert seen == ['cpu']
    assert load_from_local(str(path), map_location={'cpu': 'cpu'})['w'].is_cpu
    assert load_from_local(str(path), map_location=torch.device('cpu'))[
        'w'
    ].is_cpu
    assert load_from_local(str(path), map_location='meta')['w'].is_meta


def test_a_cuda_checkpoint_on_a_machine_without_cuda_says_so(tmp_path):
    if torch.cuda.is_available():
        pytest.skip('this machine has CUDA')
    path = tmp_path / 'ckpt.pth'
    torch.save({'w': torch.arange(3.0)}, path)
    with zipfile.ZipFile(path) as z:
        pickled = z.read('ckpt/data.pkl')
    assert b'X\x03\x00\x00\x00cpu' in pickled
    crafted_files.raw_zip(
        tmp_path / 'cuda.pth',
        pickled.replace(b'X\x03\x00\x00\x00cpu', b'X\x06\x00\x00\x00cuda:0'),
        extra=[('archive/data/0', torch.arange(3.0).numpy().tobytes())],
    )
    with pytest.raises(CheckpointError, match="map_location='cpu'"):
        load_from_local(str(tmp_path / 'cuda.pth'))
    assert load_from_local(str(tmp_path / 'cuda.pth'), 'cpu')['w'].sum() == 3


def test_a_legacy_file_read_again_when_its_storages_move(tmp_path):
    """A map_location that returns another storage: the legacy reader moves
    the filled storages and reads the pickle again over them."""
    path = tmp_path / 'legacy.pth'
    values = {'a': torch.arange(4.0), 'b': torch.arange(3)}
    torch.save(values, path, _use_new_zipfile_serialization=False)
    copies = []

    def copy(storage, location):
        copies.append(storage.clone())
        return copies[-1]

    loaded = load_from_local(str(path), map_location=copy)
    assert len(copies) == 2
    for key, value in values.items():
        assert torch.equal(loaded[key], value)
        assert any(
            loaded[key].untyped_storage().data_ptr() == c.data_ptr()
            for c in copies
        )


def test_a_deflated_record_within_its_bound_loads(tmp_path):
    weights = {'w': torch.randn(1000)}
    torch.save(weights, tmp_path / 'stored.pth')
    crafted_files.rezip(
        (tmp_path / 'stored.pth').read_bytes(),
        tmp_path / 'deflated.pth',
        compress={'data/0': zipfile.ZIP_DEFLATED, 'data.pkl': 8},
    )
    loaded = load_from_local(str(tmp_path / 'deflated.pth'))
    assert torch.equal(loaded['w'], weights['w'])


def test_the_device_rebuild_copies_a_view_that_fits(tmp_path):
    payload = crafted_files.Reduce(
        torch._utils._rebuild_device_tensor_from_cpu_tensor,
        (torch.arange(4.0), torch.float64, 'cpu', False),
    )
    torch.save({'t': payload}, tmp_path / 'device.pth')
    loaded = load_from_local(str(tmp_path / 'device.pth'))['t']
    assert loaded.dtype == torch.float64 and loaded.tolist() == [0, 1, 2, 3]


def test_the_trust_variable_loads_anything_with_a_warning(
    tmp_path, monkeypatch
):
    path = tmp_path / 'trusted.pth'
    torch.save({'x': Counter(a=1), 'f': np.ndarray.tofile}, path)
    with pytest.raises(CheckpointError, match='tofile'):
        load_from_local(str(path))
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    with pytest.warns(UserWarning, match='weights_only=False'):
        assert load_from_local(str(path))['f'] is np.ndarray.tofile
