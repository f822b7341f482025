"""Crafted checkpoints that mmlt's loader must refuse, and a child process
that loads them one by one.

``python crafted_checkpoints.py DIR`` loads every ``DIR/*.pth`` with mmlt's
loader (the one mmengine's Runner and the tools use) and prints one JSON line
a file: the error it got (or ``loaded``) and how much memory the load took.
It prints ``start NAME`` first, so a process killed by a signal names the
file it was loading.
"""

import copyreg
import io
import json
import os
import os.path as osp
import pickle
import resource
import struct
import sys
import tracemalloc
import zipfile

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

multiarray = np._core.multiarray


class Reduce:
    """Pickles as ``func(*args)``, then ``BUILD state`` when one is given."""

    def __init__(self, func, args, state=None):
        self.value = (func, args) if state is None else (func, args, state)

    def __reduce__(self):
        return self.value


class NewBuffer:
    """Pickles as ``HistoryBuffer.__new__`` then ``BUILD state``, as pickle
    writes a HistoryBuffer, but with a state of our choosing."""

    __class__ = HistoryBuffer  # pickle checks __newobj__'s class against it

    def __init__(self, state):
        self.state = state

    def __reduce__(self):
        return (copyreg.__newobj__, (HistoryBuffer,), self.state)


def array_state(shape, dtype, data, fortran=False):
    return Reduce(
        multiarray._reconstruct,
        (np.ndarray, (0,), b'b'),
        (1, shape, dtype, fortran, data),
    )


def dtype_with_state(code, state):
    return Reduce(np.dtype, (code, False, True), state)


def buffer_with(methods):
    buf = HistoryBuffer([1.0, 2.0, 6.0], [1, 1, 1])
    return NewBuffer(dict(vars(buf), statistics_methods=methods))


def marker_command(marker):
    return f'touch {marker}'


def pickled(obj, protocol=2):
    buf = io.BytesIO()
    pickle.dump(obj, buf, protocol=protocol)
    return buf.getvalue()


def catalogue(marker):
    """name -> what to save (in a checkpoint-like dict) for each case."""
    f8 = np.dtype('f8')
    big = 2**28  # 2 GiB of float64
    cases = {
        # the cases
        'object_array': Reduce(np.ndarray, ((2,), np.dtype('O'), b'A' * 16)),
        'object_array_code': Reduce(np.ndarray, ((2,), 'O', b'A' * 16)),
        'huge_array_call': Reduce(np.ndarray, ((big,), f8)),
        'class_state_pollution': buffer_with({'mean': HistoryBuffer.max}),
        # constructors and gadgets
        'os_system': Reduce(os.system, (marker_command(marker),)),
        'eval': Reduce(eval, (f"open({marker!r}, 'w')",)),
        'getattr_tofile': Reduce(getattr, (np.ndarray, 'tofile')),
        'getattr_private': Reduce(getattr, (HistoryBuffer, '__init__')),
        'getattr_register': Reduce(
            getattr, (HistoryBuffer, 'register_statistics')
        ),
        'getattr_class_table': Reduce(
            getattr, (HistoryBuffer, '_statistics_methods')
        ),
        'np_zeros': Reduce(np.zeros, ((big,),)),
        'frombuffer': Reduce(np.frombuffer, (b'A' * 16, 'O')),
        'as_strided_negative': Reduce(
            np.lib.stride_tricks.as_strided, (np.zeros(4), (4,), (-8,))
        ),
        'overlapping_strides': Reduce(
            np.ndarray, ((4,), f8, b'A' * 8, 0, (0,))
        ),
        'negative_strides': Reduce(
            np.ndarray, ((2,), f8, b'A' * 16, 8, (-8,))
        ),
        'reconstruct_other_class': Reduce(
            multiarray._reconstruct, (np.dtype, (0,), b'b')
        ),
        # array states
        'state_object_dtype': array_state((2,), np.dtype('O'), b'A' * 16),
        'state_shape_bigger_than_data': array_state((big,), f8, b'A' * 8),
        'state_shape_overflows': array_state((2**62, 2**62, 16), f8, b''),
        'state_negative_shape': array_state((-1, 2), f8, b'A' * 16),
        'state_too_many_dims': array_state((1,) * 40, f8, b'A' * 8),
        'state_list_data': array_state((2,), f8, [1.0, 2.0]),
        'state_structured_object': array_state(
            (1,), np.dtype([('p', 'O'), ('x', 'f8')]), b'A' * 16
        ),
        'state_string_dtype': array_state((1,), np.dtype('U4'), b'A' * 16),
        'state_subarray_dtype': array_state(
            (1,), np.dtype(('f8', (2,))), b'A' * 16
        ),
        'state_raw_dtype_class': array_state((2,), type(f8), b'A' * 16),
        # dtypes
        'dtype_structured_fields': dtype_with_state(
            'V16', (3, '|', None, ('p',), {'p': (np.dtype('O'), 0)}, 16, 1, 27)
        ),
        'dtype_fields_on_float': dtype_with_state(
            'f8', (3, '<', None, ('p',), {'p': (f8, 0)}, -1, -1, 0)
        ),
        'dtype_huge_void': Reduce(np.dtype, ('V2147483647', False, True)),
        'dtype_huge_string': Reduce(np.dtype, ('S2000000000', False, True)),
        'dtype_aligned': Reduce(np.dtype, ('f8', True, True)),
        'dtype_type_object': Reduce(np.dtype, (object, False, True)),
        # scalars
        'scalar_object': Reduce(multiarray.scalar, (np.dtype('O'), [1])),
        'scalar_long_data': Reduce(multiarray.scalar, (f8, b'A' * 4096)),
        'scalar_nested_reduce': Reduce(
            multiarray.scalar, (f8, Reduce(multiarray.scalar, (f8, b'A' * 8)))
        ),
        # history buffers
        'buffer_called': Reduce(HistoryBuffer, ([1.0] * 4, [1] * 4)),
        'buffer_foreign_method': buffer_with({'mean': np.ndarray.tofile}),
        'buffer_extra_key': NewBuffer(
            {'_statistics_methods': {}, 'max_length': 3}
        ),
        'buffer_object_history': NewBuffer(
            {
                'max_length': 3,
                '_log_history': array_state((2,), np.dtype('O'), b'A' * 16),
                '_count_history': np.ones(2),
            },
        ),
        'bytes_allocation': Reduce(bytes, (big,)),
        # torch's own allow-list has bytearray; mmlt's loader refuses it
        'bytearray_allocation': Reduce(bytearray, (big,)),
    }
    return cases


def protocol_cases():
    """An ordinary array saved with each pickle protocol torch can write."""
    return {f'protocol_{p}': p for p in (0, 1, 3, 4, 5)}


def raw_zip(folder, name, data):
    """A checkpoint zip holding the pickle ``data`` as it is."""
    with zipfile.ZipFile(osp.join(folder, f'{name}.pth'), 'w') as z:
        z.writestr('archive/data.pkl', data)
        z.writestr('archive/version', '3\n')


def write_catalogue(folder, marker):
    """Writes every case as ``folder/NAME.pth``; returns the names."""
    os.makedirs(folder, exist_ok=True)
    for name, payload in catalogue(marker).items():
        torch.save(
            {'state_dict': {'w': torch.zeros(2)}, 'meta': {'x': payload}},
            osp.join(folder, f'{name}.pth'),
        )
    legacy = osp.join(folder, 'legacy_format.pth')
    torch.save(
        {'meta': {'x': catalogue(marker)['object_array']}},
        legacy,
        _use_new_zipfile_serialization=False,
    )
    for name, protocol in protocol_cases().items():
        torch.save(
            {'meta': {'x': np.arange(4.0)}},
            osp.join(folder, f'{name}.pth'),
            pickle_protocol=protocol,
        )
    # the control: what the Runner writes loads in the same process
    buf = HistoryBuffer([0.5, 0.25], [1, 1])
    torch.save(
        {
            'meta': {'eta': np.float64(2.0), 'a': np.arange(6).reshape(2, 3)},
            'message_hub': {'log_scalars': {'loss': buf}},
        },
        osp.join(folder, 'control_loads.pth'),
    )
    # a file cut while it was written, and one that is empty
    whole = osp.join(folder, 'protocol_1.pth')
    with open(whole, 'rb') as f:
        data = f.read()
    with open(osp.join(folder, 'torn.pth'), 'wb') as f:
        f.write(data[: len(data) // 2])
    open(osp.join(folder, 'empty.pth'), 'wb').close()
    # a legacy file declaring a 1 GiB storage for 16 bytes of data
    legacy = io.BytesIO()
    torch.save(
        {'w': torch.zeros(4)}, legacy, _use_new_zipfile_serialization=False
    )
    numel = b'X\x03\x00\x00\x00cpuq\x06K\x04N'
    huge = b'X\x03\x00\x00\x00cpuq\x06J' + struct.pack('<i', 2**28) + b'N'
    assert numel in legacy.getvalue()
    with open(osp.join(folder, 'legacy_huge_storage.pth'), 'wb') as f:
        f.write(legacy.getvalue().replace(numel, huge))
    # one array given a second state (with a view on its data, numpy would
    # free memory still in use)
    first = pickled(np.arange(1000.0))[:-1]  # without STOP
    second = pickled((1, (2,), np.dtype('f8'), False, b'A' * 16))[2:-1]
    raw_zip(folder, 'array_built_twice', first + second + b'b.')
    # a valid zip whose pickle calls os.system directly
    raw_zip(folder, 'raw_pickle_in_zip', pickled(Reduce(os.system, ('true',))))
    return sorted(n[:-4] for n in os.listdir(folder) if n.endswith('.pth'))


def load_all(folder):
    import mmlt  # noqa: F401  maps the checkpoint globals
    from mmlt.checkpoint import load_local

    table_before = dict(HistoryBuffer._statistics_methods)
    tracemalloc.start()
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.pth'):
            continue
        path = osp.join(folder, name)
        print(json.dumps({'start': name}), flush=True)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.reset_peak()
        traced_before = tracemalloc.get_traced_memory()[0]
        try:
            load_local(path, map_location='cpu')
            outcome, message = 'loaded', ''
        except Exception as e:  # report every kind; the test judges
            outcome, message = type(e).__name__, str(e)
        peak = tracemalloc.get_traced_memory()[1] - traced_before
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            json.dumps(
                {
                    'name': name[:-4],
                    'outcome': outcome,
                    'message': message[:2000],
                    'size': osp.getsize(path),
                    'traced_peak': peak,
                    'maxrss_growth_kib': rss_after - rss_before,
                }
            ),
            flush=True,
        )
    print(
        json.dumps(
            {
                'class_table_unchanged': table_before
                == HistoryBuffer._statistics_methods
            }
        ),
        flush=True,
    )


if __name__ == '__main__':
    sys.exit(load_all(sys.argv[1]))
