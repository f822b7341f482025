"""Checking stand-ins for the numpy globals that pickled arrays name.

numpy pickles an array as ``_reconstruct(numpy.ndarray, (0,), b'b')`` and a
state ``(1, shape, dtype, fortran, data)`` (protocols 0-4), or as
``_frombuffer(buffer, dtype, shape, order)`` (protocol 5); a dtype as
``numpy.dtype(code, False, True)`` and a state; a scalar as
``multiarray.scalar(dtype, data)``. numpy's own functions would let a file
build object arrays whose pointers it chooses, or allocate gigabytes from a
few bytes. The stand-ins here accept only plain numeric data whose size
matches the bytes given, and refuse anything else with
``pickle.UnpicklingError``:

- a dtype: a plain numeric code (bool, int, uint, float, complex) in either
  byte order; no object, structured, sub-array, string or void dtype;
- an array: such a dtype, at most 32 non-negative dimensions and exactly
  ``size * itemsize`` bytes of data, set once; arrays come back as
  :class:`LoadedArray`, an ndarray subclass that pickles as a plain ndarray;
- a scalar: such a dtype and exactly ``itemsize`` bytes;
- ``bytes()`` only empty, and ``_codecs.encode(text, 'latin1')`` (how
  protocols 0-2 write bytes).
"""

import math
from typing import Any

import numpy as np

from .restricted_unpickler import Vocabulary, refuse
from .short_repr import short_repr

# numpy kinds: b bool, i int, u uint, f float, c complex.
PLAIN_KINDS = 'biufc'
MAX_DIMS = 32


def plain_dtype(spec: Any) -> np.dtype:
    """``np.dtype(spec)`` for a string naming a plain numeric dtype."""
    if type(spec) is not str or len(spec) > 8:
        raise refuse(f'numpy.dtype({short_repr(spec, 40)})')
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
            raise refuse(f'a numpy.dtype state {short_repr(state, 120)}')
        if order in '<>' and self.dtype.itemsize > 1:
            self.dtype = self.dtype.newbyteorder(order)

    def __reduce__(self):
        return (np.dtype, (self.dtype.str, False, True))


def checked_dtype(value: Any) -> np.dtype:
    if type(value) is not CheckedDtype or not hasattr(value, 'dtype'):
        raise refuse(f'a numpy value typed {type(value).__name__}')
    return value.dtype


def checked_shape(shape: Any) -> tuple:
    if (
        type(shape) is not tuple
        or len(shape) > MAX_DIMS
        or any(type(n) is not int or n < 0 for n in shape)
    ):
        raise refuse(f'a numpy shape {short_repr(shape, 60)}')
    return shape


def array_bytes(data: Any) -> bytes:
    """An array's data: bytes, or a Python 2 string read as latin-1."""
    if type(data) is str:  # numpy encodes it back, as here
        return data.encode('latin1')
    if type(data) not in (bytes, bytearray):
        raise refuse(f'numpy array data of {type(data).__name__}')
    return data


def check_size(shape: tuple, dtype: np.dtype, data: Any) -> None:
    # Python integers: a product of crafted sizes cannot overflow.
    if math.prod(shape) * dtype.itemsize != len(data):
        raise refuse(
            f'a numpy array of shape {short_repr(shape, 60)} and dtype '
            f'{dtype} from {len(data)} bytes'
        )


class LoadedArray(np.ndarray):
    """A numpy array read from a file, its shape and data checked.

    ``numpy.ndarray`` in a pickle resolves to this class. Constructing it is
    refused; it only comes out of :func:`reconstruct` and its state (or
    :func:`frombuffer`), and it pickles again as a plain ``numpy.ndarray``.
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
        if version != 1 or type(is_fortran) is not bool:
            raise refuse(f'a numpy.ndarray state {short_repr(state, 120)}')
        shape = checked_shape(shape)
        data = array_bytes(data)
        check_size(shape, dtype, data)
        np.ndarray.__setstate__(self, (1, shape, dtype, is_fortran, data))

    def __reduce_ex__(self, protocol: int):
        return np.asarray(self).__reduce_ex__(protocol)


def reconstruct(cls: Any, shape: Any = (0,), code: Any = b'b') -> LoadedArray:
    """Stands in for numpy's ``_reconstruct``: an empty array to be filled
    by :meth:`LoadedArray.__setstate__`."""
    if cls is not LoadedArray:
        raise refuse(f'_reconstruct of {short_repr(cls, 60)}')
    return np.ndarray.__new__(LoadedArray, (0,), np.uint8)


def frombuffer(
    buffer: Any, dtype: Any, shape: Any, order: Any = 'C'
) -> LoadedArray:
    """Stands in for numpy's ``_frombuffer`` (protocol 5 arrays)."""
    dtype = checked_dtype(dtype)
    shape = checked_shape(shape)
    if order not in ('C', 'F'):
        raise refuse(f'a numpy array order {short_repr(order, 20)}')
    data = array_bytes(buffer)
    check_size(shape, dtype, data)
    flat = np.frombuffer(data, dtype)
    # a copy: frombuffer's view of bytes is read-only
    return flat.reshape(shape, order=order).copy(order='K').view(LoadedArray)


def scalar(dtype: Any, data: Any = None) -> np.generic:
    """Stands in for numpy's ``multiarray.scalar``: one plain number."""
    dtype = checked_dtype(dtype)
    if type(data) is not bytes or len(data) != dtype.itemsize:
        raise refuse(f'a numpy {dtype} scalar from {short_repr(data, 40)}')
    return np.frombuffer(data, dtype)[0]


def empty_bytes(*args: Any) -> bytes:
    """Stands in for ``bytes``, which numpy pickles an empty array's data
    as ``bytes()``; with arguments it could allocate, so they are refused."""
    if args:
        raise refuse(f'bytes{short_repr(args, 40)}')
    return b''


def latin1_bytes(text: Any, encoding: Any = 'latin1') -> bytes:
    """Stands in for ``_codecs.encode``, which protocols 0-2 write bytes
    as: ``encode(str, 'latin1')`` of at most as many bytes as ``text``."""
    if type(text) is not str or encoding not in ('latin1', 'latin-1'):
        raise refuse(
            f'_codecs.encode({short_repr(text, 30)}, '
            f'{short_repr(encoding, 20)})'
        )
    return text.encode('latin1')


def numpy_vocabulary() -> Vocabulary:
    """The stand-ins, under every name numpy 1 and 2 pickle arrays, dtypes
    and scalars with (and Python 2's ``__builtin__``)."""
    callables = {
        ('numpy', 'dtype'): CheckedDtype,
        ('_codecs', 'encode'): latin1_bytes,
        ('builtins', 'bytes'): empty_bytes,
        ('__builtin__', 'bytes'): empty_bytes,
    }
    # numpy 2 pickles from numpy._core, numpy 1 from numpy.core.
    for package in ('numpy._core', 'numpy.core'):
        callables[(f'{package}.multiarray', '_reconstruct')] = reconstruct
        callables[(f'{package}.multiarray', 'scalar')] = scalar
        callables[(f'{package}.numeric', '_frombuffer')] = frombuffer
    return Vocabulary(
        'numpy values',
        callables,
        # _reconstruct's first argument; calling it is refused
        constants={('numpy', 'ndarray'): LoadedArray},
        builders={
            LoadedArray: LoadedArray.__setstate__,
            CheckedDtype: CheckedDtype.__setstate__,
        },
    )
