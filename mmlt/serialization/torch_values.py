"""Checks for the torch values a checkpoint's pickle rebuilds.

``torch.save`` pickles a tensor as ``_rebuild_tensor_v2(storage, offset,
size, stride, requires_grad, hooks)``, its storage as a persistent id naming
a storage class (``torch.FloatStorage``, ...), and a ``state_dict`` as an
``OrderedDict`` whose ``_metadata`` attribute is set by ``BUILD``. The
functions here check those arguments before anything is built:

- a storage class is one of the plain numeric ones (no quantized types);
- a view's size and stride are at most 64 non-negative integers, and the
  view fits its storage: its last element lies inside it and it has no
  more elements than the storage (an expanded, stride-0 view larger than
  its storage is refused: copied, as loading to another dtype or device
  does, it would allocate its full size from a few bytes);
- backward hooks are empty and tensor metadata (conj/neg bits) absent;
- ``OrderedDict``, ``Counter``, ``set``, ``frozenset``, ``torch.Size`` and
  ``torch.device`` take only plain values.
"""

import math
from collections import Counter, OrderedDict
from typing import Any

import torch

from .restricted_unpickler import Vocabulary, is_safe_key, refuse
from .short_repr import short_repr

MAX_TENSOR_DIMS = 64

#: storage class name -> dtype, the plain numeric ones
STORAGE_DTYPES = {
    'DoubleStorage': torch.float64,
    'FloatStorage': torch.float32,
    'HalfStorage': torch.float16,
    'BFloat16Storage': torch.bfloat16,
    'LongStorage': torch.int64,
    'IntStorage': torch.int32,
    'ShortStorage': torch.int16,
    'CharStorage': torch.int8,
    'ByteStorage': torch.uint8,
    'BoolStorage': torch.bool,
    'ComplexDoubleStorage': torch.complex128,
    'ComplexFloatStorage': torch.complex64,
    'UntypedStorage': torch.uint8,
}


class StorageType:
    """What ``torch.FloatStorage`` and the like resolve to: a name and a
    dtype, for persistent ids. Not callable."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.dtype = STORAGE_DTYPES[name]

    def __repr__(self) -> str:
        return f'torch.{self.name}'


def checked_dims(dims: Any, what: str) -> tuple:
    """A tensor's size or stride: a tuple (or ``torch.Size``) of at most 64
    non-negative ints."""
    if (
        type(dims) not in (tuple, torch.Size)
        or len(dims) > MAX_TENSOR_DIMS
        or any(type(n) is not int or n < 0 for n in dims)
    ):
        raise refuse(f'a tensor {what} {short_repr(dims, 60)}')
    return tuple(dims)


def check_view(
    storage_numel: int, offset: Any, size: Any, stride: Any
) -> None:
    """Refuses a view (offset, size, stride) that does not fit a storage of
    ``storage_numel`` elements."""
    size = checked_dims(size, 'size')
    stride = checked_dims(stride, 'stride')
    if len(size) != len(stride) or type(offset) is not int or offset < 0:
        raise refuse(
            f'a tensor view at offset {short_repr(offset, 20)} of size '
            f'{size} and stride {stride}'
        )
    numel = math.prod(size)
    if numel == 0:
        fits = offset <= storage_numel
    else:
        last = offset + sum((n - 1) * s for n, s in zip(size, stride))
        fits = last < storage_numel and numel <= storage_numel
    if not fits:
        raise refuse(
            f'a tensor of size {size}, stride {stride} at offset {offset} '
            f'over a storage of {storage_numel} elements'
        )


def check_tensor_flags(requires_grad: Any, hooks: Any) -> None:
    if type(requires_grad) is not bool:
        raise refuse(f'requires_grad={short_repr(requires_grad, 30)}')
    if type(hooks) is not OrderedDict or hooks:
        raise refuse(f'tensor backward hooks {short_repr(hooks, 60)}')


def ordered_dict(*args: Any) -> OrderedDict:
    """Stands in for ``OrderedDict``: empty (pickle then sets its items),
    or from one list of key-value pairs (Python 2's pickles)."""
    if not args:
        return OrderedDict()
    pairs = args[0]
    if (
        len(args) != 1
        or type(pairs) is not list
        or any(
            type(p) not in (list, tuple)
            or len(p) != 2
            or not is_safe_key(p[0])
            for p in pairs
        )
    ):
        raise refuse(f'OrderedDict{short_repr(args, 60)}')
    return OrderedDict(pairs)


def build_ordered_dict(target: OrderedDict, state: Any) -> None:
    """BUILD of an ``OrderedDict``: only a state dict's ``_metadata``."""
    if (
        type(state) is not dict
        or set(state) != {'_metadata'}
        or not isinstance(state['_metadata'], dict)
    ):
        raise refuse(f'OrderedDict state {short_repr(state, 60)}')
    target._metadata = state['_metadata']


def counter(*args: Any) -> Counter:
    """Stands in for ``Counter``: empty, or from one plain dict."""
    if args and (len(args) != 1 or type(args[0]) is not dict):
        raise refuse(f'Counter{short_repr(args, 60)}')
    return Counter(*args)


def set_of(*args: Any) -> set:
    """Stands in for ``set`` (protocol 2 writes ``set([items])``)."""
    return set(_keys(args, 'set'))


def frozenset_of(*args: Any) -> frozenset:
    return frozenset(_keys(args, 'frozenset'))


def _keys(args: tuple, what: str) -> list:
    items = args[0] if args else []
    if (
        len(args) > 1
        or type(items) is not list
        or not all(is_safe_key(x) for x in items)
    ):
        raise refuse(f'{what}{short_repr(args, 60)}')
    return items


def torch_size(dims: Any = ()) -> torch.Size:
    return torch.Size(checked_dims(dims, 'size'))


def torch_device(kind: Any, index: Any = None) -> torch.device:
    if (
        type(kind) is not str
        or len(kind) > 32
        or (
            index is not None
            and (type(index) is not int or not 0 <= index < 2**16)
        )
    ):
        raise refuse(f'torch.device({short_repr((kind, index), 40)})')
    try:
        return (
            torch.device(kind) if index is None else torch.device(kind, index)
        )
    except RuntimeError:
        raise refuse(f'torch.device({kind!r})') from None


def torch_vocabulary() -> Vocabulary:
    """The containers and small torch values checkpoints hold, the storage
    classes (:class:`StorageType`) and the dtypes (constants); the tensor
    rebuild functions are the reading file's own."""
    callables = {
        ('collections', 'OrderedDict'): ordered_dict,
        ('collections', 'Counter'): counter,
        ('torch', 'Size'): torch_size,
        ('torch', 'device'): torch_device,
    }
    for module in ('builtins', '__builtin__'):
        callables[(module, 'set')] = set_of
        callables[(module, 'frozenset')] = frozenset_of
    constants = {('torch', name): StorageType(name) for name in STORAGE_DTYPES}
    for dtype in set(STORAGE_DTYPES.values()):
        constants[('torch', str(dtype).split('.')[1])] = dtype
    return Vocabulary(
        'torch values',
        callables,
        constants,
        builders={OrderedDict: build_ordered_dict},
    )
