"""A checking stand-in for the ``HistoryBuffer`` logs in mmengine's
checkpoints (the message hub's scalars).

pickle writes a buffer as ``HistoryBuffer.__new__`` (``NEWOBJ``) and a state
dict; the statistics table in that state names its methods as
``getattr(HistoryBuffer, 'min')``. mmengine's ``__setstate__`` would write
that table into the one every buffer shares, so a file could change how all
buffers compute their statistics. Here the state must be ``max_length`` and
two equally long one-dimensional numeric histories (numpy arrays that
:mod:`.numpy_values` checked), and any statistics it names must be
HistoryBuffer's own ``min``/``max``/``current``/``mean``; they are not
written anywhere. The result is a plain ``HistoryBuffer``.
"""

from typing import Any

import numpy as np
from mmengine.logging import HistoryBuffer

from .numpy_values import LoadedArray
from .restricted_unpickler import Vocabulary, refuse
from .short_repr import short_repr

STATISTICS = ('min', 'max', 'current', 'mean')
STATE_KEYS = {
    'max_length',
    '_log_history',
    '_count_history',
    'statistics_methods',
    '_statistics_methods',  # a copy of the table on the instance
}


class CheckedHistoryBuffer(HistoryBuffer):
    """Stands in for mmengine's ``HistoryBuffer`` while unpickling.

    Its state is checked and set on the instance only, which then becomes a
    plain ``HistoryBuffer``. Calling the class with arguments is refused.
    """

    def __init__(self, *args, **kwargs):
        raise refuse('HistoryBuffer(...)')

    def __setstate__(self, state: Any) -> None:
        if type(state) is not dict or not set(state) <= STATE_KEYS:
            raise refuse('a HistoryBuffer state with other keys')
        for key in ('statistics_methods', '_statistics_methods'):
            check_statistics(key, state.get(key, {}))
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


def check_statistics(key: str, methods: Any) -> None:
    if type(methods) is not dict:
        raise refuse(f'HistoryBuffer {key} of {type(methods).__name__}')
    for name, method in methods.items():
        if name not in STATISTICS or method is not vars(HistoryBuffer)[name]:
            raise refuse(
                f'HistoryBuffer statistics {short_repr(name, 30)} = '
                f'{short_repr(method, 60)}'
            )


def history_buffer_attribute(obj: Any, name: Any) -> Any:
    """Stand-in for ``getattr`` while unpickling.

    Pickle refers to ``HistoryBuffer.min`` (a statistics method kept in the
    buffer's state) as ``getattr(HistoryBuffer, 'min')``; nothing else in an
    mmengine checkpoint calls ``getattr``, so nothing else is resolved.
    """
    if obj is CheckedHistoryBuffer and name in STATISTICS:
        return vars(HistoryBuffer)[name]
    raise refuse(f'getattr({short_repr(obj, 60)}, {short_repr(name, 40)})')


def reconstructor(cls: Any, base: Any, state: Any = None) -> Any:
    """Stands in for ``copyreg._reconstructor``, which protocols 0 and 1
    write a HistoryBuffer with: ``object.__new__`` of it, no more."""
    if cls is not CheckedHistoryBuffer or base is not object or state:
        raise refuse(f'_reconstructor{short_repr((cls, base, state), 60)}')
    return object.__new__(cls)


def mmengine_vocabulary() -> Vocabulary:
    """The message hub's buffers: the class (created by ``NEWOBJ`` or
    :func:`reconstructor`, given state by its checking ``__setstate__``)
    and its statistics methods, named by ``getattr`` (protocols 0-3) or by
    their qualified names (protocols 4 and 5)."""
    module = 'mmengine.logging.history_buffer'
    constants = {(module, 'HistoryBuffer'): CheckedHistoryBuffer}
    for name in STATISTICS:
        constants[(module, f'HistoryBuffer.{name}')] = vars(HistoryBuffer)[
            name
        ]
    callables = {}
    for builtins in ('builtins', '__builtin__'):
        callables[(builtins, 'getattr')] = history_buffer_attribute
        constants[(builtins, 'object')] = object
    for copyreg in ('copyreg', 'copy_reg'):
        callables[(copyreg, '_reconstructor')] = reconstructor
    return Vocabulary(
        'mmengine values',
        callables,
        constants,
        newobj=(CheckedHistoryBuffer,),
        builders={CheckedHistoryBuffer: CheckedHistoryBuffer.__setstate__},
    )
