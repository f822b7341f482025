"""A repr whose cost is bounded by its length, not by the object's size.

Error messages about a file's contents show the offending value. ``repr``
builds the whole text first: a few hundred pickled bytes of lists that share
their items describe a structure whose repr is gigabytes, and ``'{x!r:.40}'``
truncates only after building it. :func:`short_repr` stops when its budget
of characters is spent.
"""

from typing import Any

import numpy as np
import torch

#: items of a container shown before '...'
MAX_ITEMS = 4
#: containers opened inside containers before '...'
MAX_DEPTH = 3


def short_repr(value: Any, limit: int = 80) -> str:
    """At most about ``limit`` characters describing ``value``.

    Strings and bytes show a prefix, containers their first items, arrays
    and tensors their type, shape and dtype; anything else its type name.
    The time spent is bounded by ``limit`` whatever ``value`` holds.
    """
    parts: list = []
    _describe(value, parts, [limit], MAX_DEPTH)
    text = ''.join(parts)
    return text if len(text) <= limit else text[: limit - 3] + '...'


def _describe(value: Any, parts: list, budget: list, depth: int) -> None:
    if budget[0] <= 0:
        return
    text = _leaf(value, budget[0])
    if text is None:
        opening, closing = _brackets(value)
        if depth <= 0:
            text = f'{opening}...{closing}'
        else:
            _emit(parts, budget, opening)
            _items(value, parts, budget, depth - 1)
            text = closing
    _emit(parts, budget, text)


def _emit(parts: list, budget: list, text: str) -> None:
    parts.append(text)
    budget[0] -= len(text)


def _leaf(value: Any, room: int):
    """The text of a value that is not a container, else None."""
    if value is None or isinstance(value, (bool, float, complex)):
        return repr(value)
    if isinstance(value, int):
        # a large int's decimal digits cost quadratic time to compute
        return repr(value) if value.bit_length() <= 64 else '<int>'
    if isinstance(value, (str, bytes, bytearray)):
        shown = repr(value[: room + 1])
        return shown if len(value) <= room else shown + '...'
    if isinstance(value, (np.ndarray, torch.Tensor)):
        shape = tuple(value.shape)
        return f'<{type(value).__name__} shape {shape} {value.dtype}>'
    if isinstance(value, np.generic) and value.dtype.kind in 'biufc':
        return f'{value.dtype}({value.item()!r})'
    if isinstance(value, np.dtype) and value.kind in 'biufc':
        return f'dtype({value.str!r})'
    if isinstance(value, torch.dtype):
        return str(value)
    if type(value) in (list, tuple, dict, set, frozenset) or isinstance(
        value, dict
    ):
        return None
    return f'<{type(value).__name__}>'


def _brackets(value: Any):
    if isinstance(value, dict):
        return '{', '}'
    if isinstance(value, tuple):
        return '(', ')'
    if isinstance(value, (set, frozenset)):
        return '{', '}'
    return '[', ']'


def _items(value: Any, parts: list, budget: list, depth: int) -> None:
    is_dict = isinstance(value, dict)
    for i, item in enumerate(value.items() if is_dict else value):
        if i == MAX_ITEMS or budget[0] <= 0:
            _emit(parts, budget, '...')
            return
        if i:
            _emit(parts, budget, ', ')
        if is_dict:
            _describe(item[0], parts, budget, depth)
            _emit(parts, budget, ': ')
            item = item[1]
        _describe(item, parts, budget, depth)
