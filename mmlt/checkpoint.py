"""Lets ``torch.load(weights_only=True)`` read mmengine Runner checkpoints.

Since torch 2.6 ``torch.load`` refuses any global that is not allow-listed,
and mmengine 0.10.7 (which calls it without ``weights_only``) writes
checkpoints holding its ``HistoryBuffer`` logs and numpy arrays and scalars.
Allow-listing numpy's own constructors (``numpy.ndarray``, ``numpy.dtype``,
``_reconstruct``) would let a file build object arrays whose pointers it
chooses, or allocate gigabytes from a few bytes. So the names those
checkpoints use are mapped to checking stand-ins defined here; each accepts
only what the Runner writes and refuses anything else with
``pickle.UnpicklingError``:

- ``numpy.dtype(spec, align, copy)`` and its state: a plain numeric dtype
  (bool, int, uint, float, complex) in either byte order; no object,
  structured, sub-array, string or void dtype.
- ``numpy.ndarray`` through ``_reconstruct`` and its state: such a dtype, at
  most 32 non-negative dimensions and exactly ``size * itemsize`` bytes of
  data, set once. Calling ``numpy.ndarray(...)`` itself is refused. Arrays
  come back as :class:`LoadedArray`, an ndarray subclass that pickles as a
  plain ndarray.
- ``numpy...multiarray.scalar(dtype, data)``: such a dtype and exactly
  ``itemsize`` bytes.
- ``mmengine.logging.HistoryBuffer``: a state of ``max_length`` and two
  equally long one-dimensional numeric histories; the statistics methods it
  names must be HistoryBuffer's own ``min``/``max``/``current``/``mean`` and
  are not written anywhere (mmengine's ``__setstate__`` writes them into a
  table all buffers share). The result is a plain ``HistoryBuffer``.
- ``bytes()``: only empty (an empty array's data).
- ``getattr``: only ``HistoryBuffer.min``/``max``/``current``/``mean``.

For a trusted legacy file that needs more, torch's own opt-out is
``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1``.
"""

import math
import os
import os.path as osp
import pickle
import pickletools
import zipfile
from typing import Any, Optional

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

# numpy kinds: b bool, i int, u uint, f float, c complex.
PLAIN_KINDS = 'biufc'
MAX_DIMS = 32
STATISTICS = ('min', 'max', 'current', 'mean')


def refuse(what: str) -> pickle.UnpicklingError:
    return pickle.UnpicklingError(
        f'mmlt: the checkpoint asks for {what}, which mmlt does not load '
        '(see the README, "Checkpoints"). Set '
        'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 only for a file you trust.'
    )


def plain_dtype(spec: Any) -> np.dtype:
    """``np.dtype(spec)`` for a string naming a plain numeric dtype."""
    if type(spec) is not str or len(spec) > 8:
        raise refuse(f'numpy.dtype({spec!r:.40})')
    try:
        dtype = np.dtype(spec)
    except TypeError:
        raise refuse(f'numpy.dtype({spec!r})') from None
    if dtype.kind not in PLAIN_KINDS or dtype.fields or dtype.subdtype:
        raise refuse(f'numpy.dtype({spec!r}) (not plain numeric)')
    return dtype


class CheckedDtype:
    """Stands in for ``numpy.dtype``: a plain numeric dtype, by its code.

    Args:
        spec (str): numpy's dtype code, e.g. ``'f8'``.
        align (bool): must be false, as numpy writes it.
        copy (bool): ignored.
    """

    def __init__(self, spec: Any, align: Any = False, copy: Any = True):
        if align not in (False, 0):
            raise refuse('an aligned numpy.dtype')
        self.dtype = plain_dtype(spec)

    def __setstate__(self, state: Any) -> None:
        # numpy's dtype state: (version, byte order, sub-array, names, fields,
        # item size, alignment, flags); a plain dtype has no sub-array, names
        # or fields and leaves the sizes to its code (-1).
        if type(state) is not tuple or len(state) not in (8, 9):
            raise refuse('a numpy.dtype state that is not a plain one')
        version, order, subarray, names, fields, elsize, align = state[:7]
        if (
            version not in (3, 4)
            or order not in ('<', '>', '|', '=')
            or (subarray, names, fields) != (None, None, None)
            or (elsize, align) != (-1, -1)
        ):
            raise refuse(f'a numpy.dtype state {state!r:.120}')
        if order in '<>' and self.dtype.itemsize > 1:
            self.dtype = self.dtype.newbyteorder(order)

    def __reduce__(self):
        return (np.dtype, (self.dtype.str, False, True))


def checked_dtype(value: Any) -> np.dtype:
    if type(value) is not CheckedDtype:
        raise refuse(f'a numpy value typed {type(value).__name__}')
    return value.dtype


class LoadedArray(np.ndarray):
    """A numpy array read from a checkpoint, its shape and data checked.

    ``numpy.ndarray`` in a checkpoint resolves to this class. Constructing it
    is refused; it only comes out of :func:`reconstruct` and its state, and
    it pickles again as a plain ``numpy.ndarray``.
    """

    def __new__(cls, *args, **kwargs):
        raise refuse('numpy.ndarray(...)')

    def __setstate__(self, state: Any) -> None:
        # A second state would free the data that views (a HistoryBuffer's
        # history) still point to.
        if vars(self).get('_built', False) or self.size:
            raise refuse('a second state for one numpy array')
        self._built = True
        if type(state) is not tuple or len(state) != 5:
            raise refuse('a numpy.ndarray state that is not a plain one')
        version, shape, dtype, is_fortran, data = state
        dtype = checked_dtype(dtype)
        if (
            version != 1
            or type(shape) is not tuple
            or len(shape) > MAX_DIMS
            or any(type(n) is not int or n < 0 for n in shape)
            or type(is_fortran) is not bool
            or type(data) not in (bytes, bytearray)
        ):
            raise refuse(f'a numpy.ndarray state {state!r:.120}')
        # Python integers: a product of crafted sizes cannot overflow.
        if math.prod(shape) * dtype.itemsize != len(data):
            raise refuse(
                f'a numpy array of shape {shape} and dtype {dtype} from '
                f'{len(data)} bytes'
            )
        np.ndarray.__setstate__(self, (1, shape, dtype, is_fortran, data))

    def __reduce_ex__(self, protocol: int):
        return np.asarray(self).__reduce_ex__(protocol)


def reconstruct(cls: Any, shape: Any = (0,), code: Any = b'b') -> LoadedArray:
    """Stands in for numpy's ``_reconstruct``: an empty array to be filled
    by :meth:`LoadedArray.__setstate__`."""
    if cls is not LoadedArray:
        raise refuse(f'_reconstruct of {cls!r:.60}')
    return np.ndarray.__new__(LoadedArray, (0,), np.uint8)


def scalar(dtype: Any, data: Any = None) -> np.generic:
    """Stands in for numpy's ``multiarray.scalar``: one plain number."""
    dtype = checked_dtype(dtype)
    if type(data) is not bytes or len(data) != dtype.itemsize:
        raise refuse(f'a numpy {dtype} scalar from {data!r:.40}')
    return np.frombuffer(data, dtype)[0]


class CheckedHistoryBuffer(HistoryBuffer):
    """Stands in for mmengine's ``HistoryBuffer`` while unpickling.

    Its state is checked and set on the instance only, which then becomes a
    plain ``HistoryBuffer``. Calling the class with arguments is refused.
    """

    def __init__(self, *args, **kwargs):
        raise refuse('HistoryBuffer(...)')

    def __setstate__(self, state: Any) -> None:
        if type(state) is not dict or not set(state) <= {
            'max_length',
            '_log_history',
            '_count_history',
            'statistics_methods',
            '_statistics_methods',  # a copy of the table on the instance
        }:
            raise refuse('a HistoryBuffer state with other keys')
        for key in ('statistics_methods', '_statistics_methods'):
            methods = state.get(key, {})
            if type(methods) is not dict:
                raise refuse(
                    f'HistoryBuffer {key} of {type(methods).__name__}'
                )
            for name, method in methods.items():
                if (
                    name not in STATISTICS
                    or method is not vars(HistoryBuffer)[name]
                ):
                    raise refuse(
                        f'HistoryBuffer statistics {name!r} = {method!r:.60}'
                    )
        length = state.get('max_length', 1000000)
        logs = state.get('_log_history')
        counts = state.get('_count_history')
        if (
            type(length) is not int
            or length < 1
            or type(logs) is not LoadedArray
            or type(counts) is not LoadedArray
            or logs.ndim != 1
            or logs.shape != counts.shape
        ):
            raise refuse('a HistoryBuffer state that is not a plain one')
        self.max_length = length
        self._log_history = np.asarray(logs)
        self._count_history = np.asarray(counts)
        self.__class__ = HistoryBuffer


def history_buffer_attribute(obj: Any, name: str) -> Any:
    """Stand-in for ``getattr`` while unpickling.

    Pickle refers to ``HistoryBuffer.min`` (a statistics method kept in the
    buffer's state) as ``getattr(HistoryBuffer, 'min')``; nothing else in an
    mmengine checkpoint calls ``getattr``, so nothing else is resolved.
    """
    if obj is CheckedHistoryBuffer and name in STATISTICS:
        return vars(HistoryBuffer)[name]
    raise refuse(f'getattr({obj!r:.60}, {name!r:.40})')


def empty_bytes(*args: Any) -> bytes:
    """Stands in for ``bytes``, which numpy pickles an empty array's data
    as ``bytes()``; with arguments it could allocate, so they are refused."""
    if args:
        raise refuse(f'bytes{args!r:.40}')
    return b''


def allow_mmengine_checkpoints() -> None:
    """Maps the globals of mmengine checkpoints to the checking stand-ins."""
    allowed = [
        (
            CheckedHistoryBuffer,
            'mmengine.logging.history_buffer.HistoryBuffer',
        ),
        (history_buffer_attribute, 'builtins.getattr'),
        (LoadedArray, 'numpy.ndarray'),
        (CheckedDtype, 'numpy.dtype'),
        (empty_bytes, 'builtins.bytes'),
    ]
    # numpy 2 pickles these from numpy._core, numpy 1 from numpy.core.
    for package in ('numpy._core', 'numpy.core'):
        allowed += [
            (reconstruct, f'{package}.multiarray._reconstruct'),
            (scalar, f'{package}.multiarray.scalar'),
        ]
    torch.serialization.add_safe_globals(allowed)
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local, force=True
    )


# torch's own allow-list has bytearray(n), which allocates n bytes
ALLOCATORS = {'builtins bytearray', '__builtin__ bytearray'}


def pickle_globals(path: str) -> set:
    """The ``module name`` globals a zip checkpoint's pickle refers to
    (empty for other files, and for a pickle that cannot be read: torch
    then says why)."""
    try:
        with zipfile.ZipFile(path) as z:
            name = next(n for n in z.namelist() if n.endswith('data.pkl'))
            data = z.read(name)
        return {
            arg
            for op, arg, _ in pickletools.genops(data)
            if op.name == 'GLOBAL'
        }
    except Exception:  # not a zip, torn, no pickle: torch.load reports it
        return set()


class CheckpointError(RuntimeError):
    """A checkpoint file that cannot be read; the message names the file."""


def load_local(filename: str, map_location: Optional[Any] = None) -> Any:
    """``torch.load`` of a local checkpoint, with errors naming the file.

    mmengine's loader for local paths: a missing, empty, torn or refused file
    raises :class:`CheckpointError` (or ``FileNotFoundError``) saying which
    file and why, instead of a bare ``EOFError`` or ``UnpicklingError``.

    Args:
        filename (str): path of the checkpoint.
        map_location: as for ``torch.load``.
    """
    path = osp.expanduser(str(filename))
    if not path:
        raise FileNotFoundError('checkpoint path is empty')
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint {path} does not exist')
    if os.path.getsize(path) == 0:
        raise CheckpointError(
            f'checkpoint {path} is empty (0 bytes); was its run killed while '
            'saving it?'
        )
    asked = pickle_globals(path)
    if asked & ALLOCATORS:
        raise CheckpointError(
            f'checkpoint {path} is refused: it calls bytearray, which torch '
            'allows but no mmengine checkpoint holds; from a '
            'few bytes it can allocate any size'
        )
    try:
        return torch.load(path, map_location=map_location)
    except pickle.UnpicklingError as e:
        raise CheckpointError(f'checkpoint {path} is refused: {e}') from None
    except (EOFError, RuntimeError, ValueError, OSError, IndexError) as e:
        raise CheckpointError(
            f'checkpoint {path} cannot be read (torn or not a checkpoint): '
            f'{type(e).__name__}: {e}'
        ) from None
