"""mmlt's restricted unpickler, bounded repr and bounded readers, and the
data sets that read pickles and gzip files through them."""

import gzip
import os
import pickle
import struct
import time

import numpy as np
import pytest
from mmpretrain.registry import DATASETS

import mmlt.datasets.fashion_mnist_lt as fashion
from mmlt.datasets.cifar_lt import read_cifar_batch
from mmlt.serialization import (
    PickleRefused,
    Vocabulary,
    restricted_load,
    short_repr,
)
from mmlt.serialization.numpy_values import numpy_vocabulary
from mmlt.serialization.torch_values import torch_vocabulary

import crafted_files
from cifar_files import write_cifar

PLAIN = Vocabulary.union(
    'plain values', numpy_vocabulary(), torch_vocabulary()
)
VALUES = {
    'numbers': [0, 1, -1, 255, 256, 65535, 2**31, -(2**31) - 1, 2**70, 0.5],
    'text': ['', 'a', 'é', '\u20ac' * 3, 'x' * 300],
    'bytes': [b'', b'\x00\xff', b'y' * 300],
    'containers': {'t': (1, (2, 3)), 'l': [[], [1]], 'd': {1: {'k': None}}},
    'sets': [set(), {1, 'a'}, frozenset({b'b'})],
    'flags': [True, False, None],
    'shared': [[1, 2]] * 3,
    'array': np.arange(6, dtype='>i4').reshape(2, 3),
}


@pytest.mark.parametrize('protocol', range(pickle.HIGHEST_PROTOCOL + 1))
def test_plain_values_load_as_pickle_loads_them(protocol):
    data = pickle.dumps(VALUES, protocol=protocol)
    ours, end = restricted_load(data, PLAIN)
    theirs = pickle.loads(data)
    assert end == len(data)
    np.testing.assert_array_equal(ours.pop('array'), theirs.pop('array'))
    assert ours == theirs
    assert ours['shared'][0] is ours['shared'][1]


def test_a_bytearray_loads_only_from_its_own_opcode():
    assert restricted_load(pickle.dumps(bytearray(b'ab'), 5), PLAIN)[0] == (
        bytearray(b'ab')
    )
    with pytest.raises(PickleRefused, match='bytearray'):
        restricted_load(pickle.dumps(bytearray(b'ab'), 2), PLAIN)


def test_a_python_2_cifar_batch_loads():
    """The official batches are Python 2 pickles: keys, the array's data and
    its dtype code are byte strings, read as latin-1."""
    data = bytes(range(256)) * 12  # one row of 3072 values

    def string(raw):  # SHORT_BINSTRING or BINSTRING
        if len(raw) < 256:
            return b'U' + bytes([len(raw)]) + raw
        return b'T' + struct.pack('<i', len(raw)) + raw

    glob = crafted_files.glob
    batch = (
        b'\x80\x02}q\x01(' + string(b'data')
        + glob('numpy.core.multiarray', '_reconstruct')
        + glob('numpy', 'ndarray')
        + b'K\x00\x85' + string(b'b') + b'\x87R'
        + b'(K\x01K\x01M\x00\x0c\x86'
        + glob('numpy', 'dtype') + string(b'u1') + b'K\x00K\x01\x87R'
        + b'(K\x03' + string(b'|') + b'NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xff'
        + b'K\x00tb\x89' + string(data) + b'tb'
        + string(b'labels') + b']K\x07a'
        + string(b'batch_label') + string(b'training batch 1 of 5')
        + b'u.'
    )  # fmt: skip
    entry = restricted_load(batch, PLAIN, encoding='latin1')[0]
    assert entry['batch_label'] == 'training batch 1 of 5'
    assert entry['labels'] == [7]
    assert entry['data'].dtype == np.uint8
    assert entry['data'].tobytes() == data
    assert pickle.loads(batch, encoding='latin1')['data'].tobytes() == data


def test_a_cifar_batch_that_runs_code_is_refused_without_the_checksum(
    tmp_path,
):
    write_cifar(str(tmp_path))
    marker = tmp_path / 'MARKER'
    batch = tmp_path / 'cifar-10-batches-py' / 'data_batch_1'
    payload = crafted_files.Reduce(os.system, (f'touch {marker}',))
    batch.write_bytes(pickle.dumps({'data': payload, 'labels': [0]}))
    with pytest.raises(ValueError, match='data_batch_1 is not a CIFAR pickle'):
        DATASETS.build(
            dict(
                type='CIFAR10LT',
                data_root=str(tmp_path),
                verify_checksum=False,
            )
        )
    assert not marker.exists()


def test_cifar_labels_whose_repr_is_huge_are_reported_briefly(tmp_path):
    path = tmp_path / 'batch'
    nested = crafted_files.shared_lists(200)
    path.write_bytes(
        b'\x80\x02}(' + crafted_files.utf8('data') + b'N'
        + crafted_files.utf8('labels') + b'(' + nested + b'lu.'
    )  # fmt: skip
    with pytest.raises(ValueError) as e:
        read_cifar_batch(str(path), 10)
    assert len(str(e.value)) < 400


def test_short_repr_costs_its_length_not_the_values_size():
    shared = []
    for _ in range(200):
        shared = [shared, shared]
    started = time.perf_counter()
    text = short_repr({'x': shared, 'n': 2**100000, 's': 'y' * 10**6})
    assert time.perf_counter() - started < 0.01
    assert len(text) <= 80 and text.startswith("{'x': [[[")
    assert short_repr(np.float32(1.5)) == 'float32(1.5)'
    assert short_repr(np.zeros((2, 3))) == '<ndarray shape (2, 3) float64>'


@pytest.mark.parametrize(
    'pickled,match',
    [
        (b'\x80\x02h\x05.', 'memo entry 5 is missing'),
        (b'\x80\x02R.', 'the stack is empty'),
        (b'\x80\x02N', 'ends before its STOP'),
        (b'\x80\x02((N.', 'marks or items left over'),
        (b'\x80\x02K', r'asks for 1 bytes where 0 remain'),
    ],
)
def test_a_malformed_pickle_names_the_byte_and_the_opcode(pickled, match):
    with pytest.raises(PickleRefused, match=r'pickle byte \d+ \([\w ]+\): '):
        restricted_load(pickled, PLAIN)
    with pytest.raises(PickleRefused, match=match):
        restricted_load(pickled, PLAIN)


def test_a_gzip_idx_file_out_of_memory_is_reported_with_its_path(
    tmp_path, monkeypatch
):
    path = tmp_path / 'train-images-idx3-ubyte.gz'
    path.write_bytes(gzip.compress(struct.pack('>IIII', 0x803, 1, 28, 28)))

    def out_of_memory(*args):
        raise MemoryError

    monkeypatch.setattr(fashion, 'read_gzip', out_of_memory)
    with pytest.raises(ValueError, match='idx3-ubyte.gz needs more memory'):
        fashion.read_idx(str(path), 3)
