"""``torch.save`` files read without ``torch.load``: zip and legacy formats.

mmlt reads checkpoints itself so that the same rules hold for every layout
a file may have. Both formats are one pickle (read with
:mod:`.restricted_unpickler` and the checkpoint vocabulary below) whose
persistent ids name storages:

- zip (torch >= 1.6): ``ARCHIVE/data.pkl`` and a record ``ARCHIVE/data/KEY``
  a storage, ``ARCHIVE`` being the first entry's folder, as torch reads it.
  Every record is checked before it is read (:mod:`.bounded_read`), must
  hold exactly the bytes its persistent id states, and is read in chunks
  into the storage's own memory; ``ARCHIVE/byteorder`` says whether to
  swap bytes.
- legacy (``_use_new_zipfile_serialization=False``): four pickles (magic
  number, protocol, system information, the object), a list of storage
  keys, then each storage as a little-endian int64 element count and its
  data. A storage's size counts against the bytes left in the file before
  it is allocated.

Everything a file's storages take, and every copy the device rebuild
makes, is charged against 4 times the file's size plus 1 MiB (zip records
are stored uncompressed by torch, so a real checkpoint spends about its own
size). Any failure raises :class:`CheckpointError` naming the file.
"""

import mmap
import os
import pickle
import sys
import zipfile
from collections import OrderedDict
from typing import Any, Callable, Dict, Optional

import numpy as np
import torch

from .bounded_read import (
    CORRUPT_ERRORS,
    INFLATION_SLACK,
    ZIP_INFLATION,
    SizeError,
    check_zip_entry,
    read_zip_entry,
    read_zip_entry_into,
)
from .mmengine_values import mmengine_vocabulary
from .numpy_values import numpy_vocabulary
from .restricted_unpickler import (
    RestrictedUnpickler,
    Vocabulary,
    exception_text,
    refuse,
)
from .short_repr import short_repr
from .torch_values import (
    STORAGE_DTYPES,
    StorageType,
    check_tensor_flags,
    check_view,
    torch_vocabulary,
)

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL = 1001
MAX_KEY_LENGTH = 256


class CheckpointError(RuntimeError):
    """A checkpoint file that cannot be read; the message names the file."""


class LoadedStorage:
    """A storage read from the file: its bytes, dtype and element count."""

    def __init__(self, untyped: torch.UntypedStorage, dtype: torch.dtype):
        self.untyped = untyped
        self.dtype = dtype
        self.numel = untyped.nbytes() // dtype.itemsize


def allocate(nbytes: int) -> torch.Tensor:
    """``nbytes`` of uninitialised CPU memory; torch's own failure (a
    RuntimeError) becomes the MemoryError it is."""
    try:
        return torch.empty(nbytes, dtype=torch.uint8)
    except RuntimeError as e:
        if "can't allocate memory" in str(e):
            raise MemoryError(nbytes) from None
        raise


def swap_bytes(buffer: torch.Tensor, dtype: torch.dtype) -> None:
    """Byte-swaps a uint8 buffer's elements of ``dtype`` in place."""
    unit = dtype.itemsize // (2 if dtype.is_complex else 1)
    if unit > 1:
        buffer.numpy().view(f'u{unit}').byteswap(inplace=True)


class TorchFile:
    """One ``torch.save`` file being read: its storages, its budget and
    where its storages go (``map_location``, as for ``torch.load``)."""

    def __init__(self, path: str, map_location: Any = None) -> None:
        self.path = path
        self.size = os.path.getsize(path)
        self.map_location = map_location
        self.budget = ZIP_INFLATION * self.size + INFLATION_SLACK
        self.storages: Dict[str, LoadedStorage] = {}

    # -- what the pickle may name ---------------------------------------------
    def vocabulary(self) -> Vocabulary:
        """The globals an mmengine checkpoint uses, each checking its
        arguments; the tensor rebuild functions are this file's."""
        rebuild = 'torch._utils'
        own = Vocabulary(
            'tensors',
            {
                (rebuild, '_rebuild_tensor_v2'): self.rebuild_tensor,
                (rebuild, '_rebuild_parameter'): self.rebuild_parameter,
                (
                    rebuild,
                    '_rebuild_device_tensor_from_cpu_tensor',
                ): self.rebuild_device_tensor,
            },
        )
        return Vocabulary.union(
            'a checkpoint',
            numpy_vocabulary(),
            mmengine_vocabulary(),
            torch_vocabulary(),
            own,
        )

    def malformed(self, why: str) -> CheckpointError:
        return CheckpointError(f'checkpoint {self.path} cannot be read: {why}')

    def spend(self, nbytes: int, what: str) -> None:
        self.budget -= nbytes
        if self.budget < 0:
            raise refuse(
                f"{what}, beyond 4 times the file's {self.size} bytes plus "
                '1 MiB in all'
            )

    def rebuild_tensor(
        self,
        storage: Any,
        offset: Any,
        size: Any,
        stride: Any,
        requires_grad: Any,
        hooks: Any,
        metadata: Any = None,
    ) -> torch.Tensor:
        """``torch._utils._rebuild_tensor_v2``, for views that fit."""
        if type(storage) is not LoadedStorage:
            raise refuse(f'a tensor over {short_repr(storage, 40)}')
        check_view(storage.numel, offset, size, stride)
        check_tensor_flags(requires_grad, hooks)
        if metadata not in (None, {}):
            raise refuse(f'tensor metadata {short_repr(metadata, 40)}')
        tensor = torch.empty(
            0, dtype=storage.dtype, device=storage.untyped.device
        )
        tensor.set_(storage.untyped, offset, tuple(size), tuple(stride))
        tensor.requires_grad = requires_grad
        return tensor

    def rebuild_parameter(
        self, data: Any, requires_grad: Any, hooks: Any
    ) -> torch.nn.Parameter:
        """``torch._utils._rebuild_parameter`` of a tensor from this file."""
        if type(data) is not torch.Tensor:
            raise refuse(f'a parameter of {short_repr(data, 40)}')
        check_tensor_flags(requires_grad, hooks)
        return torch.nn.Parameter(data, requires_grad)

    def rebuild_device_tensor(
        self, data: Any, dtype: Any, device: Any, requires_grad: Any
    ) -> torch.Tensor:
        """``torch._utils._rebuild_device_tensor_from_cpu_tensor``: a copy,
        charged to the file's budget, of a view that fits its storage."""
        if (
            type(data) is not torch.Tensor
            or dtype not in STORAGE_DTYPES.values()
            or type(device) is not str
            or len(device) > 64
        ):
            raise refuse(
                f'a device tensor from {short_repr((data, dtype, device), 80)}'
            )
        check_tensor_flags(requires_grad, OrderedDict())
        target = self.target_device(device)
        if dtype != data.dtype or target != data.device:
            self.spend(data.numel() * dtype.itemsize, 'a device tensor copy')
        tensor = data.to(dtype=dtype, device=target)
        tensor.requires_grad = requires_grad
        return tensor

    # -- map_location, as torch.load takes it -------------------------------
    def target_device(self, location: str) -> torch.device:
        where = self.map_location
        if isinstance(where, dict):
            where = where.get(location, location)
        elif where is None or callable(where):
            where = location
        try:
            device = torch.device(where)
        except (RuntimeError, TypeError):
            raise refuse(
                f'a storage location {short_repr(where, 40)}'
            ) from None
        if device.type == 'cuda' and not torch.cuda.is_available():
            raise pickle.UnpicklingError(
                f'a storage saved on {location}, and CUDA is not available '
                "here; load it with map_location='cpu'"
            )
        return device

    def restore(
        self, storage: torch.UntypedStorage, location: str
    ) -> torch.UntypedStorage:
        if callable(self.map_location):
            moved = self.map_location(storage, location)
            if moved is not None:
                if isinstance(moved, torch.storage.TypedStorage):
                    moved = moved.untyped()
                return moved
        device = self.target_device(location)
        if device.type == 'cpu':
            return storage
        as_bytes = torch.empty(0, dtype=torch.uint8).set_(storage)
        return as_bytes.to(device).untyped_storage()

    # -- persistent ids -------------------------------------------------------
    def storage_id(self, pid: Any, length: int) -> tuple:
        """(dtype, key, location, numel) of a storage's persistent id."""
        if type(pid) is tuple and pid[:1] == ('module',):
            raise refuse("a module's source code (a whole pickled model)")
        if type(pid) is not tuple or len(pid) != length or pid[0] != 'storage':
            raise refuse(f'a persistent id {short_repr(pid, 80)}')
        storage_type, key, location, numel = pid[1:5]
        if (
            type(storage_type) is not StorageType
            or type(key) is not str
            or not 0 < len(key) <= MAX_KEY_LENGTH
            or type(location) is not str
            or len(location) > 64
            or type(numel) is not int
            or numel < 0
        ):
            raise refuse(f'a storage {short_repr(pid, 80)}')
        cached = self.storages.get(key)
        if cached is not None and cached.dtype != storage_type.dtype:
            raise refuse(
                f'storage {key} as {storage_type.dtype} and {cached.dtype}'
            )
        return storage_type.dtype, key, location, numel


class ZipCheckpoint(TorchFile):
    """The zip format: a record per storage, read when the pickle asks."""

    def load(self) -> Any:
        with zipfile.ZipFile(self.path) as archive:
            self.archive = archive
            first = archive.filelist[0].filename if archive.filelist else ''
            if '/' not in first:
                raise self.malformed('a zip, but not a torch.save archive')
            self.prefix = first.split('/')[0]
            if self.record('constants.pkl', required=False):
                raise self.malformed(
                    'a TorchScript archive (load it with torch.jit.load)'
                )
            data = read_zip_entry(archive, self.record('data.pkl'))
            self.spend(len(data), 'its data.pkl')
            self.swap = self.byte_order() != sys.byteorder
            unpickler = RestrictedUnpickler(
                data, self.vocabulary(), persistent_load=self.load_storage
            )
            return unpickler.load()

    def record(self, name: str, required: bool = True):
        full = f'{self.prefix}/{name}'
        try:
            info = self.archive.getinfo(full)
        except KeyError:
            if required:
                raise self.malformed(
                    f'no record {full}: not a whole torch.save archive'
                ) from None
            return None
        check_zip_entry(info, self.size)
        return info

    def byte_order(self) -> str:
        info = self.record('byteorder', required=False)
        if info is None:
            return 'little'
        if info.file_size > 8:
            raise self.malformed(f'a byteorder of {info.file_size} bytes')
        order = read_zip_entry(self.archive, info).decode('ascii', 'replace')
        if order not in ('little', 'big'):
            raise self.malformed(f'byte order {order!r}')
        return order

    def load_storage(self, pid: Any) -> LoadedStorage:
        dtype, key, location, numel = self.storage_id(pid, 5)
        if key in self.storages:
            return self.storages[key]
        info = self.record(f'data/{key}', required=False)
        if info is None:
            raise refuse(f'storage {key}, which has no record data/{key}')
        nbytes = numel * dtype.itemsize
        if info.file_size != nbytes:
            raise refuse(
                f'a storage of {numel} {dtype} elements ({nbytes} bytes) in '
                f'record data/{key} of {info.file_size} bytes'
            )
        self.spend(nbytes, f'storage {key} ({nbytes} bytes)')
        buffer = allocate(nbytes)
        read_zip_entry_into(self.archive, info, memoryview(buffer.numpy()))
        if self.swap:
            swap_bytes(buffer, dtype)
        untyped = self.restore(buffer.untyped_storage(), location)
        self.storages[key] = LoadedStorage(untyped, dtype)
        return self.storages[key]


class LegacyCheckpoint(TorchFile):
    """The legacy format: storages after the pickle, filled once it is
    read. When ``map_location`` sends a storage elsewhere than the CPU, the
    storages are moved once filled and the pickle is read again over them.
    """

    def load(self) -> Any:
        with open(self.path, 'rb') as f:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            return self.load_from(data)
        finally:
            data.close()

    def load_from(self, data) -> Any:
        plain = Vocabulary('a checkpoint')
        magic, pos = self.pickle(data, 0, plain)
        if magic != LEGACY_MAGIC:
            raise self.malformed('not a torch.save file (no magic number)')
        protocol, pos = self.pickle(data, pos, plain)
        info, start = self.pickle(data, pos, plain)
        if protocol != LEGACY_PROTOCOL or type(info) is not dict:
            raise self.malformed(
                f'legacy format version {short_repr(protocol, 20)}'
            )
        self.locations: Dict[str, str] = {}
        self.buffers: Dict[str, torch.Tensor] = {}
        self.declared = 0
        result, end = self.pickle(data, start, self.vocabulary(), self.declare)
        keys, pos = self.pickle(data, end, plain)
        self.fill(data, pos, keys)
        moved = {
            key: self.restore(storage.untyped, self.locations[key])
            for key, storage in self.storages.items()
        }
        if all(moved[k] is s.untyped for k, s in self.storages.items()):
            return result
        self.storages = {
            key: LoadedStorage(moved[key], storage.dtype)
            for key, storage in self.storages.items()
        }
        return self.pickle(data, start, self.vocabulary(), self.reuse)[0]

    def pickle(
        self,
        data,
        start: int,
        vocabulary: Vocabulary,
        persistent_load: Optional[Callable] = None,
    ) -> tuple:
        """(the pickle at ``start``, the position after it)"""
        unpickler = RestrictedUnpickler(
            data, vocabulary, start, persistent_load
        )
        return unpickler.load(), unpickler.position

    def declare(self, pid: Any) -> LoadedStorage:
        dtype, key, location, numel = self.storage_id(pid, 6)
        if pid[5] is not None:
            raise refuse('a storage view (torch < 0.4)')
        if key in self.storages:
            return self.storages[key]
        nbytes = numel * dtype.itemsize
        self.declared += nbytes
        if self.declared > self.size:
            raise refuse(
                f'storages of {self.declared} bytes in all, in a file of '
                f'{self.size}'
            )
        self.buffers[key] = allocate(nbytes)
        self.locations[key] = location
        storage = LoadedStorage(self.buffers[key].untyped_storage(), dtype)
        self.storages[key] = storage
        return storage

    def reuse(self, pid: Any) -> LoadedStorage:
        return self.storages[self.storage_id(pid, 6)[1]]

    def fill(self, data, pos: int, keys: Any) -> None:
        if (
            type(keys) is not list
            or not all(type(k) is str for k in keys)
            or sorted(keys) != sorted(self.storages)
        ):
            raise self.malformed(
                'a storage list that is not the storages its pickle uses'
            )
        with memoryview(data) as view:
            for key in keys:
                storage = self.storages[key]
                nbytes = storage.numel * storage.dtype.itemsize
                count = int.from_bytes(view[pos : pos + 8], 'little')
                if count != storage.numel or pos + 8 + nbytes > len(view):
                    raise self.malformed(
                        f'storage {key} of {storage.numel} elements stored '
                        f'as {count} at byte {pos} of {len(view)}'
                    )
                record = view[pos + 8 : pos + 8 + nbytes]
                self.buffers[key].numpy()[:] = np.frombuffer(record, np.uint8)
                record.release()
                pos += 8 + nbytes


def load_torch_file(path: str, map_location: Any = None) -> Any:
    """What ``torch.save`` wrote to ``path``, read by mmlt's rules.

    Args:
        path (str): A zip or legacy ``torch.save`` file.
        map_location: Where storages go, as for ``torch.load`` (None, a
            device or its name, a dict of locations, or
            ``f(storage, location)``).

    Raises:
        CheckpointError: naming the file and why it is refused or cannot
            be read.
    """
    with open(path, 'rb') as f:
        head = f.read(262)
    if head[:4] == b'PK\x03\x04':
        reader = ZipCheckpoint(path, map_location)
    elif head[257:262] == b'ustar':
        raise CheckpointError(
            f'checkpoint {path} is a tar archive (torch < 0.4), which mmlt '
            'does not read'
        )
    else:
        reader = LegacyCheckpoint(path, map_location)
    try:
        return reader.load()
    except CheckpointError:
        raise
    except pickle.UnpicklingError as e:
        raise CheckpointError(f'checkpoint {path} is refused: {e}') from None
    except SizeError as e:
        raise CheckpointError(f'checkpoint {path} is refused: {e}') from None
    except MemoryError:
        raise CheckpointError(
            f'checkpoint {path} cannot be loaded: it needs more memory than '
            'is free'
        ) from None
    except (*CORRUPT_ERRORS, RuntimeError, ValueError, IndexError) as e:
        raise CheckpointError(
            f'checkpoint {path} cannot be read (torn or not a checkpoint): '
            f'{exception_text(e)}'
        ) from None
