"""The message hub's scalar histories, appended to without copying them.

mmengine keeps every scalar the Runner logs (the learning rate, each loss
term, the iteration and data-loading times) in a ``HistoryBuffer``, whose
``update`` appends with ``np.append``: a copy of the whole history so far,
for each of 4-7 scalars at every iteration. Its cost grows with the run
(``max_length`` is a million values), and even a short history's copy takes
longer than the append itself (``docs/throughput.md``).
:class:`GrowingHistoryBuffer` holds the same values in arrays with spare
room, as a Python list does, so an append copies nothing but now and then
(amortised O(1)); every read (``mean``, ``current``, ``data``, the
statistics mmengine's ``LogProcessor`` computes) sees the values and dtypes
a ``HistoryBuffer`` would hold. Deep-copied (what ``MessageHub.state_dict``
does for a checkpoint) it is mmengine's plain ``HistoryBuffer``, so
checkpoints are unchanged and load without mmlt; pickled directly it loads
as one too.
``GrowingHistoryHook`` puts the message hub's buffers in this form.
"""

import copyreg
from typing import Sequence, Union

import numpy as np
from mmengine.logging import HistoryBuffer

INT64_RANGE = (-(2**63), 2**63)


def check_max_length(max_length: int) -> None:
    # HistoryBuffer keeps its whole history at max_length=0 (its trim is
    # history[-0:]); no length below 1 is one a history can be cut to
    if type(max_length) is not int or max_length < 1:
        raise ValueError(
            'GrowingHistoryBuffer: max_length must be an int >= 1, got '
            f'{max_length!r}'
        )


class GrowableArray:
    """A one-dimensional numpy array that appends in amortised O(1) and
    keeps at most its last ``max_length`` values.

    Args:
        values (np.ndarray): The values so far; their dtype is kept.
    """

    __slots__ = ('store', 'begin', 'end')

    def __init__(self, values: np.ndarray) -> None:
        values = np.asarray(values)
        self.store = np.empty(max(2 * values.size, 16), values.dtype)
        self.store[: values.size] = values.ravel()
        self.begin, self.end = 0, values.size

    def view(self) -> np.ndarray:
        """The values, a view: a later append writes outside it (or into
        a new array), so like ``np.append``'s result it keeps what it held."""
        return self.store[self.begin : self.end]

    def append(self, value: Union[int, float], max_length: int) -> None:
        """Appends ``value``, in the dtype ``np.append`` would give (an
        integer history becomes float64 at its first float), and drops the
        oldest value beyond ``max_length``."""
        store = self.store
        dtype = store.dtype
        if not (
            (type(value) is float and dtype == np.float64)
            or (
                type(value) is int
                and dtype == np.int64
                and INT64_RANGE[0] <= value < INT64_RANGE[1]
            )
        ):
            dtype = np.result_type(dtype, np.asarray(value).dtype)
        if self.end == store.size or dtype != store.dtype:
            kept = store[self.begin : self.end]
            store = np.empty(max(2 * (kept.size + 1), 16), dtype)
            store[: kept.size] = kept
            self.store, self.begin, self.end = store, 0, kept.size
        store[self.end] = value
        self.end += 1
        if self.end - self.begin > max_length:
            self.begin = self.end - max_length


class GrowingHistoryBuffer(HistoryBuffer):
    """mmengine's ``HistoryBuffer`` whose ``update`` appends in amortised
    O(1) instead of copying the history.

    Args:
        log_history (Sequence): History logs. Defaults to ().
        count_history (Sequence): Counts of history logs. Defaults to ().
        max_length (int): The max length of history logs. Defaults to
            1000000, mmengine's.
    """

    def __init__(
        self,
        log_history: Sequence = (),
        count_history: Sequence = (),
        max_length: int = 1000000,
    ) -> None:
        check_max_length(max_length)
        super().__init__(list(log_history), list(count_history), max_length)

    @classmethod
    def from_buffer(cls, buffer: HistoryBuffer) -> 'GrowingHistoryBuffer':
        """The same history as ``buffer`` (which is left as it is)."""
        check_max_length(buffer.max_length)
        grown = cls.__new__(cls)
        grown.max_length = buffer.max_length
        grown._log_history, grown._count_history = buffer.data
        return grown

    # HistoryBuffer's own methods read and assign these two names
    @property
    def _log_history(self) -> np.ndarray:
        return self._logs.view()

    @_log_history.setter
    def _log_history(self, values: np.ndarray) -> None:
        self._logs = GrowableArray(values)

    @property
    def _count_history(self) -> np.ndarray:
        return self._counts.view()

    @_count_history.setter
    def _count_history(self, values: np.ndarray) -> None:
        self._counts = GrowableArray(values)

    def update(self, log_val: Union[int, float], count: int = 1) -> None:
        if not isinstance(log_val, (int, float)) or not isinstance(
            count, (int, float)
        ):
            raise TypeError(
                f'log_val must be int or float but got {type(log_val)}, '
                f'count must be int but got {type(count)}'
            )
        self._logs.append(log_val, self.max_length)
        self._counts.append(count, self.max_length)

    def plain(self) -> HistoryBuffer:
        """mmengine's ``HistoryBuffer`` with a copy of this history."""
        plain = HistoryBuffer.__new__(HistoryBuffer)
        vars(plain).update(
            max_length=self.max_length,
            _log_history=self._log_history.copy(),
            _count_history=self._count_history.copy(),
        )
        return plain

    def __deepcopy__(self, memo: dict) -> HistoryBuffer:
        # MessageHub.state_dict deep-copies each buffer into a checkpoint:
        # the file then holds exactly what mmengine's buffer would write
        return self.plain()

    def __reduce_ex__(self, protocol: int) -> tuple:
        # pickled directly, it loads as the plain buffer too (NEWOBJ, which
        # protocols 2-5 write, must name the object's own class)
        plain = self.plain()
        return (
            copyreg._reconstructor,
            (HistoryBuffer, object, None),
            vars(plain),
        )
