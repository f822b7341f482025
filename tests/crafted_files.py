"""Crafted files that mmlt's readers must refuse, and a child process that
loads them one by one.

``python crafted_files.py DIR`` loads every file in ``DIR`` with the reader
its suffix names: ``.pth`` mmlt's checkpoint loader (the one mmengine's
Runner, ``mim test`` and the tools use), ``.cifar`` the CIFAR batch reader,
``.gz`` and ``.idx`` the Fashion-MNIST idx reader. It first limits its own
address space to ``HEADROOM`` above what it holds after its imports, so
that an allocation the crafted sizes ask for fails instead of succeeding
lazily. For each file it prints one JSON line: the error (or ``loaded``),
the peak of the resident set (VmHWM, reset through
``/proc/self/clear_refs``) above where it started, and the seconds it
took. It prints ``start NAME`` first, so a process killed by a signal names
the file it was loading.

Files whose names start with ``loads_`` are controls that must load.
"""

import copyreg
import gzip
import io
import json
import os
import os.path as osp
import pickle
import re
import resource
import struct
import sys
import tarfile
import time
import warnings
import zipfile
from collections import OrderedDict

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

multiarray = np._core.multiarray
HEADROOM = 768 * 2**20
BIG = 2**28  # float64 elements: 2 GiB


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


class SubTensor(torch.Tensor):
    """A tensor subclass: torch pickles it with its class's name."""


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


def view(size, stride, offset=0, storage_numel=4):
    """``_rebuild_tensor_v2`` over a real storage, with a view of our
    choosing (torch.save writes the storage's persistent id)."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # TypedStorage is deprecated
        storage = torch.zeros(storage_numel).storage()
    return Reduce(
        torch._utils._rebuild_tensor_v2,
        (storage, offset, size, stride, False, OrderedDict()),
    )


def payload_cases(marker):
    """name -> what to save (in a checkpoint-like dict) with torch.save."""
    f8 = np.dtype('f8')
    wide = torch.zeros(1).expand(2**31)  # 8 GiB as float32, from 4 bytes
    return {
        # code and gadgets
        'os_system': Reduce(os.system, (f'touch {marker}',)),
        'eval': Reduce(eval, (f"open({marker!r}, 'w')",)),
        'getattr_tofile': Reduce(getattr, (np.ndarray, 'tofile')),
        'getattr_private': Reduce(getattr, (HistoryBuffer, '__init__')),
        'getattr_register': Reduce(
            getattr, (HistoryBuffer, 'register_statistics')
        ),
        'getattr_class_table': Reduce(
            getattr, (HistoryBuffer, '_statistics_methods')
        ),
        'class_state_pollution': buffer_with({'mean': HistoryBuffer.max}),
        # allocations
        'huge_array_call': Reduce(np.ndarray, ((BIG,), f8)),
        'np_zeros': Reduce(np.zeros, ((BIG,),)),
        'bytes_allocation': Reduce(bytes, (BIG,)),
        'bytearray_allocation': Reduce(bytearray, (BIG,)),
        # numpy
        'object_array': Reduce(np.ndarray, ((2,), np.dtype('O'), b'A' * 16)),
        'object_array_code': Reduce(np.ndarray, ((2,), 'O', b'A' * 16)),
        'frombuffer': Reduce(np.frombuffer, (b'A' * 16, 'O')),
        'as_strided_negative': Reduce(
            np.lib.stride_tricks.as_strided, (np.zeros(4), (4,), (-8,))
        ),
        'overlapping_strides': Reduce(
            np.ndarray, ((4,), f8, b'A' * 8, 0, (0,))
        ),
        'reconstruct_other_class': Reduce(
            multiarray._reconstruct, (np.dtype, (0,), b'b')
        ),
        'state_object_dtype': array_state((2,), np.dtype('O'), b'A' * 16),
        'state_shape_bigger_than_data': array_state((BIG,), f8, b'A' * 8),
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
        'dtype_of_a_long_int': Reduce(np.dtype, (2**8000, False, True)),
        'int_of_12_kib': Reduce(np.dtype, (2**100000, False, True)),
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
        # tensor rebuild functions
        'stride0_view': wide,
        'device_tensor_of_a_stride0_view': Reduce(
            torch._utils._rebuild_device_tensor_from_cpu_tensor,
            (wide, torch.float64, 'cpu', False),
        ),
        'view_past_its_storage': view((4,), (1,), offset=2),
        'view_stride_of_other_rank': view((2, 2), (1,)),
        'view_negative_offset': view((2,), (1,), offset=-1),
        'view_negative_stride': view((2,), (-1,), offset=3),
        'view_of_65_dims': view((1,) * 65, (1,) * 65),
        'parameter_with_state': Reduce(
            torch._utils._rebuild_parameter_with_state,
            (torch.zeros(2), False, OrderedDict(), {'x': 1}),
        ),
        'parameter_with_hooks': Reduce(
            torch._utils._rebuild_parameter,
            (torch.zeros(2), False, OrderedDict([(1, 2)])),
        ),
        'sparse_tensor': torch.zeros(3).to_sparse(),
        'quantized_tensor': torch.quantize_per_tensor(
            torch.zeros(2), 0.1, 0, torch.qint8
        ),
        'meta_tensor_of_8_tib': torch.empty(2**41, device='meta'),
        'tensor_subclass': torch.zeros(2).as_subclass(SubTensor),
        'conjugate_bit': torch.zeros(2, dtype=torch.complex64).conj(),
        # keys whose hashes collide: quadratic time to insert
        'colliding_int_keys': {k * (2**61 - 1): 0 for k in range(1, 2000)},
    }


# -- pickles written opcode by opcode -----------------------------------------
def utf8(text):
    data = text.encode()
    return b'X' + struct.pack('<I', len(data)) + data


def glob(module, name):
    return b'c' + module.encode() + b'\n' + name.encode() + b'\n'


def shared_lists(levels=64):
    """Opcodes leaving one list on the stack whose repr is 2**levels long
    (each level holds the one below twice), in about 6 bytes a level."""
    ops = b']q\x00'
    for i in range(1, levels):
        below = bytes([i - 1])
        # pop the level below (the memo keeps it), then list it twice
        ops += b'0(h' + below + b'h' + below + b'lq' + bytes([i])
    return ops


PROTO = b'\x80\x02'


def raw_pickles():
    """name -> raw pickle bytes, each refused."""
    nested = shared_lists()
    buffer = glob('mmengine.logging.history_buffer', 'HistoryBuffer')
    return {
        # arguments whose repr is 2**64 characters
        'shared_lists_as_dtype': PROTO
        + glob('numpy', 'dtype')
        + nested
        + b'\x85R.',
        'shared_lists_called': PROTO + nested + b')R.',
        'shared_lists_as_key': PROTO + b'}' + nested + b'K\x01s.',
        'shared_lists_as_persistent_id': PROTO + nested + b'Q.',
        'shared_lists_as_getattr_name': PROTO
        + glob('builtins', 'getattr')
        + buffer
        + nested
        + b'\x86R.',
        'shared_lists_as_tensor_storage': PROTO
        + glob('torch._utils', '_rebuild_tensor_v2')
        + b'('
        + nested
        + b'K\x00))\x89'
        + glob('collections', 'OrderedDict')
        + b')RtR.',
        'shared_lists_as_statistics': PROTO
        + buffer
        + b')\x81}'
        + utf8('statistics_methods')
        + b'}'
        + utf8('mean')
        + nested
        + b'ssb.',
        # malformed
        'memo_entry_missing': PROTO + b'h\x05.',
        'memo_index_of_4_gib': PROTO
        + b'Nr\xf0\xff\xff\xff0'
        + glob('posix', 'system')
        + b'.',
        'wrong_argument_count': PROTO
        + glob('torch._utils', '_rebuild_tensor_v2')
        + b'K\x01\x85R.',
        'stack_underflow': PROTO + b'R.',
        'unknown_opcode': PROTO + b'\xff.',
        'extension_code': PROTO + b'\x82\x01.',
        'inst_opcode': b'(ios\nsystem\n.',
        'obj_opcode': PROTO
        + b'('
        + glob('collections', 'OrderedDict')
        + b'o.',
        'out_of_band_buffer': b'\x80\x05\x97.',
        'binbytes8_of_4_eib': b'\x80\x04\x8e'
        + struct.pack('<Q', 2**62)
        + b'.',
        'binunicode_of_4_gib': PROTO + b'X\xff\xff\xff\xff.',
        'decimal_int_of_100k_digits': b'L' + b'9' * 100000 + b'L\n.',
        'frame_past_the_end': b'\x80\x04\x95'
        + struct.pack('<Q', 2**40)
        + b'N.',
        'marks_left_over': PROTO + b'((N.',
        'state_for_a_dict': PROTO + b'}}b.',
        'items_set_on_a_list': PROTO + b']NNs.',
        # 256 KiB of empty lists: 16 MiB of Python objects
        'empty_list_flood': PROTO + b']' * 2**18 + b'.',
    }


def raw_zip(path, data, extra=(), compress=zipfile.ZIP_STORED):
    """A checkpoint zip holding the pickle ``data`` as ``archive/data.pkl``,
    after the ``(name, bytes)`` records of ``extra``."""
    with zipfile.ZipFile(path, 'w', compression=compress) as z:
        for name, record in extra:
            z.writestr(name, record)
        z.writestr('archive/data.pkl', data)


def saved(obj, **kwargs):
    buffer = io.BytesIO()
    torch.save(obj, buffer, **kwargs)
    return buffer.getvalue()


def rezip(data, path, change=None, compress=None, drop=(), add=()):
    """Writes the zip ``data`` to ``path`` again: each record through
    ``change(name, bytes)``, records named in ``compress`` compressed with
    that method, ``drop`` left out and ``add`` appended."""
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(path, 'w') as dst,
    ):
        for info in src.infolist():
            name = info.filename
            if any(name.endswith(d) for d in drop):
                continue
            record = src.read(name)
            if change is not None:
                record = change(name, record)
            method = (compress or {}).get(name.split('/', 1)[1])
            dst.writestr(name, record, compress_type=method)
        for name, record in add:
            dst.writestr(name, record)


def patch_central_directory(path, name, **fields):
    """Overwrites fields of ``name``'s central-directory entry in place:
    ``flags``, ``compressed`` and ``size`` (zipfile reads these)."""
    offsets = {
        'flags': (8, '<H'),
        'compressed': (20, '<I'),
        'size': (24, '<I'),
    }
    with open(path, 'rb') as f:
        data = bytearray(f.read())
    entry = data.rindex(b'PK\x01\x02')
    while True:
        length = struct.unpack_from('<H', data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + length] == name.encode():
            break
        entry = data.rindex(b'PK\x01\x02', 0, entry)
    for field, value in fields.items():
        offset, fmt = offsets[field]
        struct.pack_into(fmt, data, entry + offset, value)
    with open(path, 'wb') as f:
        f.write(data)


def state_dict_zip():
    return saved({'state_dict': {'w': torch.arange(4.0)}})


def storage_numel_to(data, numel):
    """A zip checkpoint's pickle with its one storage's element count (4)
    replaced by ``numel``."""
    pattern = re.compile(rb'(X\x03\x00\x00\x00cpu(?:q.|r....))K\x04', re.S)
    assert pattern.search(data), 'the storage id has changed shape'
    return pattern.sub(
        lambda m: m.group(1) + b'J' + struct.pack('<i', numel), data
    )


def write_format_cases(folder):
    """Layouts, compression and formats, each refused."""

    def at(name):
        return osp.join(folder, f'{name}.pth')

    base = state_dict_zip()
    zeros = saved({'w': torch.zeros(2**24)})  # a 64 MiB record
    rezip(zeros, at('deflated_storage_record'), compress={'data/0': 8})
    raw_zip(
        at('deflated_data_pkl'),
        pickle.dumps({'x': bytes(64 * 2**20)}, protocol=2),
        compress=zipfile.ZIP_DEFLATED,
    )
    rezip(base, at('bzip2_storage_record'), compress={'data/0': 12})
    rezip(
        base,
        at('storage_numel_beyond_its_record'),
        change=lambda n, r: (
            storage_numel_to(r, BIG) if n.endswith('data.pkl') else r
        ),
    )
    for case, fields in {
        'stored_record_states_2_gib': dict(size=2**31 - 1),
        'record_past_the_end': dict(size=2**31 - 1, compressed=2**31 - 1),
        'encrypted_record': dict(flags=1),
    }.items():
        rezip(base, at(case))
        patch_central_directory(at(case), 'archive/data/0', **fields)
    rezip(
        base, at('torchscript_archive'), add=[('archive/constants.pkl', b'')]
    )
    rezip(base, at('no_data_pkl'), drop=('data.pkl',))
    rezip(
        base,
        at('byte_order_unknown'),
        change=lambda n, r: b'middle' if n.endswith('byteorder') else r,
    )
    # a decoy listed first: the old guard scanned it and let torch read the
    # pickle after it
    raw_zip(
        at('decoy_entry_before_data_pkl'),
        pickle.dumps(Reduce(bytearray, (BIG,)), protocol=2),
        extra=[('archive/decoy_data.pkl', pickle.dumps({}, protocol=2))],
    )
    with zipfile.ZipFile(at('zip_of_other_files'), 'w') as z:
        z.writestr('data.pkl', pickle.dumps({}, protocol=2))
    with tarfile.open(at('tar_archive'), 'w') as tar:
        info = tarfile.TarInfo('storages')
        tar.addfile(info, io.BytesIO(b''))
    # legacy (non-zip) files
    legacy = saved({'w': torch.zeros(4)}, _use_new_zipfile_serialization=False)
    numel = b'X\x03\x00\x00\x00cpuq\x06K\x04N'
    assert numel in legacy
    huge = b'X\x03\x00\x00\x00cpuq\x06J' + struct.pack('<i', BIG) + b'N'
    with open(at('legacy_storage_of_2_gib'), 'wb') as f:
        f.write(legacy.replace(numel, huge))
    with open(at('legacy_storage_count_lies'), 'wb') as f:
        count = struct.pack('<q', 4)
        f.write(
            legacy[::-1].replace(count[::-1], struct.pack('<q', 5)[::-1], 1)[
                ::-1
            ]
        )
    with open(at('legacy_bytearray'), 'wb') as f:
        f.write(
            saved(
                {'x': Reduce(bytearray, (BIG,))},
                _use_new_zipfile_serialization=False,
            )
        )
    with open(at('legacy_whole_model'), 'wb') as f:
        f.write(
            saved(torch.nn.Linear(2, 2), _use_new_zipfile_serialization=False)
        )
    with open(at('torn_zip'), 'wb') as f:
        f.write(base[: len(base) // 2])
    open(at('empty'), 'wb').close()


def write_data_cases(folder, marker):
    """CIFAR batches and idx files, each refused."""
    nested = shared_lists()
    cifar = {
        'cifar_os_system': pickle.dumps(
            {'data': Reduce(os.system, (f'touch {marker}',)), 'labels': [0]}
        ),
        'cifar_array_of_6_tib': pickle.dumps(
            {'data': array_state((2**31, 3072), np.dtype('u1'), b'A' * 16)}
        ),
        'cifar_object_array': pickle.dumps(
            {'data': array_state((2,), np.dtype('O'), b'A' * 16)}
        ),
        'cifar_bytearray': pickle.dumps({'data': Reduce(bytearray, (BIG,))}),
        # labels whose repr is 2**64 characters
        'cifar_shared_list_labels': PROTO
        + b'}('
        + utf8('data')
        + glob('numpy._core.numeric', '_frombuffer')
        + b'(C\x00'
        + glob('numpy', 'dtype')
        + utf8('u1')
        + b'\x89\x88\x87RK\x00M\x00\x0c\x86'
        + utf8('C')
        + b'tR'
        + utf8('labels')
        + b'('
        + nested
        + b'lu.',
    }
    for name, data in cifar.items():
        with open(osp.join(folder, f'{name}.cifar'), 'wb') as f:
            f.write(data)

    def idx(count):  # an idx header of count 28x28 images
        return struct.pack('>IIII', 0x803, count, 28, 28)

    with gzip.open(
        osp.join(folder, 'idx_states_more_than_deflate.gz'), 'wb'
    ) as f:
        f.write(idx(60000) + bytes(28 * 28))
    with gzip.open(
        osp.join(folder, 'idx_longer_than_its_header.gz'), 'wb'
    ) as f:
        f.write(idx(2) + bytes(64 * 2**20))
    whole = gzip.compress(idx(2) + bytes(2 * 28 * 28))
    with open(osp.join(folder, 'idx_gzip_cut_short.gz'), 'wb') as f:
        f.write(whole[: len(whole) // 2])
    with open(osp.join(folder, 'idx_header_states_2_gib.idx'), 'wb') as f:
        f.write(idx(2**31 // 784) + bytes(784))


def write_controls(folder):
    """Files that must load: what the Runner writes, every protocol, both
    formats, a memo index far beyond the memo's size."""
    buf = HistoryBuffer([0.5, 0.25], [1, 1])
    runner_like = {
        'meta': {'eta': np.float64(2.0), 'a': np.arange(6).reshape(2, 3)},
        'message_hub': {'log_scalars': {'loss': buf}},
        'state_dict': OrderedDict(w=torch.arange(4.0)),
    }
    for protocol in (0, 1, 2, 3, 4, 5):
        # protocol 0 has text persistent ids only: torch saves no tensor
        obj = (
            dict(runner_like, state_dict={}) if protocol == 0 else runner_like
        )
        with open(
            osp.join(folder, f'loads_protocol_{protocol}.pth'), 'wb'
        ) as f:
            f.write(saved(obj, pickle_protocol=protocol))
    with open(osp.join(folder, 'loads_legacy_format.pth'), 'wb') as f:
        f.write(saved(runner_like, _use_new_zipfile_serialization=False))
    raw_zip(
        osp.join(folder, 'loads_memo_index_of_4_gib.pth'),
        PROTO + b'Nr\xf0\xff\xff\xff.',
    )
    with open(osp.join(folder, 'loads_cifar_batch.cifar'), 'wb') as f:
        pickle.dump(
            {'data': np.zeros((2, 3072), np.uint8), 'labels': [0, 1]}, f
        )


def write_catalogue(folder, marker):
    """Writes every case into ``folder``; returns the file names."""
    os.makedirs(folder, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for name, payload in payload_cases(marker).items():
            torch.save(
                {'state_dict': {'w': torch.zeros(2)}, 'meta': {'x': payload}},
                osp.join(folder, f'{name}.pth'),
            )
    for name, data in raw_pickles().items():
        raw_zip(osp.join(folder, f'{name}.pth'), data)
    write_format_cases(folder)
    write_data_cases(folder, marker)
    write_controls(folder)
    return sorted(os.listdir(folder))


# -- the child ----------------------------------------------------------------
def memory_status():
    found = {}
    with open('/proc/self/status') as f:
        for line in f:
            key, value = line.split(':', 1)
            if key in ('VmSize', 'VmRSS', 'VmHWM'):
                found[key] = int(value.split()[0]) * 1024
    return found


def reset_peak_rss():
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')


def readers():
    import mmlt  # noqa: F401  registers mmlt's checkpoint loader
    from mmlt.checkpoint import load_from_local
    from mmlt.datasets.cifar_lt import read_cifar_batch
    from mmlt.datasets.fashion_mnist_lt import read_idx

    return {
        '.pth': lambda p: load_from_local(p, map_location='cpu'),
        '.cifar': lambda p: read_cifar_batch(p, 10),
        '.gz': lambda p: read_idx(p, 3),
        '.idx': lambda p: read_idx(p, 3),
    }


def load_all(folder):
    by_suffix = readers()
    table_before = dict(HistoryBuffer._statistics_methods)
    limit = memory_status()['VmSize'] + HEADROOM
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for name in sorted(os.listdir(folder)):
        path = osp.join(folder, name)
        print(json.dumps({'start': name}), flush=True)
        reset_peak_rss()
        rss_before = memory_status()['VmRSS']
        started = time.perf_counter()
        try:
            by_suffix[osp.splitext(name)[1]](path)
            outcome, message = 'loaded', ''
        except Exception as e:  # report every kind; the test judges
            outcome, message = type(e).__name__, str(e)
        seconds = time.perf_counter() - started
        result = {
            'name': name,
            'outcome': outcome,
            'message': message[:2000],
            'size': osp.getsize(path),
            'rss_peak': memory_status()['VmHWM'] - rss_before,
            'seconds': seconds,
        }
        print(json.dumps(result), flush=True)
    unchanged = table_before == HistoryBuffer._statistics_methods
    print(json.dumps({'class_table_unchanged': unchanged}), flush=True)


if __name__ == '__main__':
    sys.exit(load_all(sys.argv[1]))
