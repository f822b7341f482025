"""A pickle reader that builds only what its caller lists.

Python's ``pickle`` imports and calls whatever global a file names, so
unpickling a file runs the file's code. mmlt reads every pickle it finds on
disk (checkpoints, CIFAR batches) with this reader instead, written opcode by
opcode after the pickle protocol (``pickletools`` documents it). A pickle:

- may name only the globals of its :class:`Vocabulary`, and call only those
  that are callable (each a function or class that checks its arguments);
- may give state (``BUILD``) only to the types the vocabulary lists, through
  the vocabulary's checking function, create objects with ``NEWOBJ`` only of
  the classes it lists, and add items only to plain lists, dicts and sets
  (dict and set keys: strings, bytes, booleans, None and integers below
  2**61, whose hashes cannot be made to collide);
- has its sizes checked before memory is spent: every length must fit in the
  bytes that remain, integers are at most 1 KiB long, and what the reader
  builds is charged against a budget in proportion to the pickle's size.

Anything else (extension codes, ``INST``/``OBJ``, out-of-band buffers, a
missing memo entry, a wrong argument count) raises :class:`PickleRefused`, a
``pickle.UnpicklingError`` naming the byte offset and the opcode.
"""

import codecs
import gc
import pickle
import struct
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from .short_repr import short_repr

#: the longest integer a pickle may hold, in bytes (LONG1/LONG4) or
#: decimal digits (INT/LONG): big enough for any size or seed, small enough
#: that arithmetic on it stays cheap
MAX_INT_BYTES = 1024
MAX_INT_DIGITS = 2466  # 1024 bytes' worth
#: dict and set keys: integers below this hash to themselves
MAX_KEY_INT = 2**61 - 1
#: what the reader charges, in bytes: a reference (on the stack, in a
#: container), a new object beside its payload, a number
REF = 8
OBJECT_COST = 64
NUMBER = 40
#: the budget: this many times the pickle's size, plus a constant
BUDGET_FACTOR = 16
BUDGET_CONSTANT = 4 * 2**20


class PickleRefused(pickle.UnpicklingError):
    """A pickle that asks for something mmlt does not build, or is
    malformed; the message says which and where."""


class Vocabulary:
    """What a pickle may name, call and give state to.

    Args:
        name (str): What the pickles are, for messages ('a checkpoint').
        callables (dict): ``(module, name)`` -> a function or class that
            checks its arguments; ``GLOBAL`` gives it and ``REDUCE`` may
            call it.
        constants (dict): ``(module, name)`` -> a value ``GLOBAL`` gives
            that may not be called (a dtype, a class passed to a callable).
        newobj (tuple): Classes ``NEWOBJ`` may create (``cls.__new__(cls)``).
        builders (dict): type -> ``f(obj, state)``, the only way ``BUILD``
            gives an object state.
    """

    def __init__(
        self,
        name: str,
        callables: Optional[Mapping[Tuple[str, str], Callable]] = None,
        constants: Optional[Mapping[Tuple[str, str], Any]] = None,
        newobj: tuple = (),
        builders: Optional[Mapping[type, Callable]] = None,
    ) -> None:
        self.name = name
        self.callables = dict(callables or {})
        self.constants = dict(constants or {})
        self.globals = {**self.constants, **self.callables}
        self.newobj = tuple(newobj)
        self.builders = dict(builders or {})
        self.callable_names = {
            id(value): f'{module}.{attr}'
            for (module, attr), value in self.callables.items()
        }

    @classmethod
    def union(cls, name: str, *parts: 'Vocabulary') -> 'Vocabulary':
        """One vocabulary of everything ``parts`` allow."""
        merged = cls(name)
        for part in parts:
            merged.callables.update(part.callables)
            merged.constants.update(part.constants)
            merged.newobj += part.newobj
            merged.builders.update(part.builders)
        return cls(
            name,
            merged.callables,
            merged.constants,
            merged.newobj,
            merged.builders,
        )


def refuse(what: str) -> pickle.UnpicklingError:
    """The error a checking stand-in raises for an argument it refuses (the
    reader adds where in the pickle)."""
    return pickle.UnpicklingError(
        f'it asks for {what}, which mmlt does not load (docs/checkpoints.md)'
    )


def is_safe_key(value: Any) -> bool:
    """Whether ``value`` may be a dict or set key: a type whose hashes a
    file cannot make collide (colliding keys make each insertion scan all
    the others, quadratic time from a linear file)."""
    kind = type(value)
    return kind in (str, bytes, bool, type(None)) or (
        kind is int and abs(value) < MAX_KEY_INT
    )


def exception_text(error: BaseException) -> str:
    """An exception's message in bounded time (``str`` of a ``KeyError``
    is the repr of its key, which may be anything)."""
    args = error.args
    if len(args) == 1 and isinstance(args[0], str):
        text = args[0]
    else:
        text = short_repr(args, 200)
    text = text if len(text) <= 300 else text[:297] + '...'
    return f'{type(error).__name__}: {text}'


class RestrictedUnpickler:
    """Reads one pickle from ``data`` at ``start`` with a vocabulary.

    Args:
        data: ``bytes`` or an ``mmap`` holding the pickle.
        vocabulary (Vocabulary): What it may build.
        start (int): Where the pickle begins. ``position`` is where it
            ended after :meth:`load`.
        persistent_load (callable, optional): ``f(pid)`` for persistent ids
            (torch's storages); without one they are refused.
        encoding (str): How Python 2 strings decode: 'ASCII', 'latin1' or
            'bytes' (kept as bytes), as for ``pickle.load``.
        budget (int, optional): Bytes the objects it builds may take.
            Defaults to 16 times the bytes from ``start`` on, plus 4 MiB.
    """

    def __init__(
        self,
        data,
        vocabulary: Vocabulary,
        start: int = 0,
        persistent_load: Optional[Callable[[Any], Any]] = None,
        encoding: str = 'ASCII',
        budget: Optional[int] = None,
    ) -> None:
        self.data = data
        self.end = len(data)
        self.position = start
        self.vocabulary = vocabulary
        self.persistent_load = persistent_load
        self.encoding = encoding
        if budget is None:
            budget = BUDGET_FACTOR * (self.end - start) + BUDGET_CONSTANT
        self.budget = budget
        self.stack: list = []
        self.metastack: list = []
        self.memo: Dict[int, Any] = {}
        self.opcode = ''

    # -- the reader's primitives -------------------------------------------
    def refuse(self, why: str) -> PickleRefused:
        return PickleRefused(
            f'pickle byte {self.op_start} ({self.opcode}): {why}'
        )

    def charge(self, nbytes: int) -> None:
        self.budget -= nbytes
        if self.budget < 0:
            raise self.refuse(
                'the objects it builds outgrow the memory allowed for a '
                'pickle of its size'
            )

    def take(self, n: int) -> bytes:
        if n < 0 or n > self.end - self.position:
            raise self.refuse(
                f'it asks for {n} bytes where {self.end - self.position} '
                'remain (truncated, or a forged length)'
            )
        start = self.position
        self.position += n
        return self.data[start : self.position]

    def unsigned(self, n: int) -> int:
        return int.from_bytes(self.take(n), 'little')

    def line(self) -> bytes:
        # text opcodes end at a newline
        if isinstance(self.data, bytes):
            stop = self.data.find(b'\n', self.position)
        else:
            stop = self.data.find(b'\n', self.position, self.end)
        if stop < 0:
            raise self.refuse('a text argument without its newline')
        return self.take(stop + 1 - self.position)[:-1]

    def push(self, value: Any, cost: int = REF) -> None:
        self.budget -= cost
        if self.budget < 0:
            self.charge(0)  # raises
        self.stack.append(value)

    def pop(self) -> Any:
        if not self.stack:
            raise self.refuse('the stack is empty')
        return self.stack.pop()

    def top(self) -> Any:
        if not self.stack:
            raise self.refuse('the stack is empty')
        return self.stack[-1]

    def pop_mark(self) -> list:
        if not self.metastack:
            raise self.refuse('no MARK to pop to')
        items = self.stack
        self.stack = self.metastack.pop()
        return items

    def key(self, value: Any) -> Any:
        if is_safe_key(value):
            return value
        raise self.refuse(
            f'a dict or set key {short_repr(value, 40)} of type '
            f'{type(value).__name__} (keys may be str, bytes, bool, None or '
            'int below 2**61)'
        )

    def call(self, func: Any, args: tuple) -> Any:
        name = self.vocabulary.callable_names.get(id(func))
        if name is None:
            raise self.refuse(f'a call of {short_repr(func, 60)}')
        if type(args) is not tuple:
            raise self.refuse(f'{name} called with {type(args).__name__}')
        try:
            return func(*args)
        except PickleRefused:
            raise
        except pickle.UnpicklingError as e:
            raise self.refuse(str(e)) from None
        except MemoryError:
            raise
        except Exception as e:  # a wrong argument count or kind
            raise self.refuse(
                f'{name}(...) failed: {exception_text(e)}'
            ) from None

    def decode_string(self, raw: bytes) -> Any:
        if self.encoding == 'bytes':
            return raw
        try:
            return raw.decode(self.encoding)
        except UnicodeDecodeError as e:
            raise self.refuse(exception_text(e)) from None

    def text_int(self) -> int:
        text = self.line()
        if len(text) > MAX_INT_DIGITS + 2:
            raise self.refuse(f'a decimal integer of {len(text)} digits')
        try:
            return int(text.rstrip(b'L'))
        except ValueError:
            raise self.refuse(f'{text[:40]!r} is not an integer') from None

    # -- the loop -------------------------------------------------------------
    def load(self) -> Any:
        """The pickle's object; ``position`` is then the byte after it."""
        # the collector would scan every container built so far, again and
        # again: quadratic time in a pickle of many containers
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self.run()
        finally:
            if collecting:
                gc.enable()

    def run(self) -> Any:
        data = self.data
        while True:
            start = self.op_start = self.position
            if start >= self.end:
                self.opcode = 'end of data'
                raise self.refuse('the pickle ends before its STOP')
            self.position = start + 1
            known = OPCODES.get(data[start : start + 1])
            if known is None:
                self.opcode = f'opcode {data[start]}'
                raise self.refuse('not a pickle opcode mmlt reads')
            handler, self.opcode = known
            if handler is RestrictedUnpickler.op_stop:
                return self.finish()
            try:
                handler(self)
            except (PickleRefused, MemoryError, RecursionError):
                raise
            except Exception as e:  # struct, codecs, hashing
                raise self.refuse(exception_text(e)) from None

    def finish(self) -> Any:
        if self.metastack or len(self.stack) != 1:
            raise self.refuse('the pickle ends with marks or items left over')
        return self.stack.pop()

    # -- opcodes -------------------------------------------------------------
    def op_proto(self) -> None:
        version = self.unsigned(1)
        if version > pickle.HIGHEST_PROTOCOL:
            raise self.refuse(f'pickle protocol {version}')

    def op_frame(self) -> None:
        # framing only groups opcodes; its length must still fit
        length = self.unsigned(8)
        if length > self.end - self.position:
            raise self.refuse(f'a frame of {length} bytes past the end')

    def op_stop(self) -> None:  # load returns instead
        raise AssertionError('unreachable')

    def op_mark(self) -> None:
        self.charge(OBJECT_COST)
        self.metastack.append(self.stack)
        self.stack = []

    def op_pop(self) -> None:
        if self.stack:
            self.stack.pop()
        else:
            self.pop_mark()

    def op_pop_mark(self) -> None:
        self.pop_mark()

    def op_dup(self) -> None:
        self.push(self.top())

    def op_none(self) -> None:
        self.push(None)

    def op_newtrue(self) -> None:
        self.push(True)

    def op_newfalse(self) -> None:
        self.push(False)

    def op_int(self) -> None:
        # protocol 0 writes booleans as I01 / I00
        value = self.text_int()
        raw = self.data[self.op_start + 1 : self.position - 1]
        self.push(bool(value) if raw in (b'00', b'01') else value, NUMBER)

    def op_long(self) -> None:
        self.push(self.text_int(), NUMBER)

    def op_binint(self) -> None:
        self.push(int.from_bytes(self.take(4), 'little', signed=True), NUMBER)

    def op_binint1(self) -> None:
        # Python keeps one object for each int below 257
        self.push(self.unsigned(1))

    def op_binint2(self) -> None:
        self.push(self.unsigned(2), NUMBER)

    def long_of(self, n: int) -> None:
        if n > MAX_INT_BYTES:
            raise self.refuse(f'an integer of {n} bytes')
        self.push(
            int.from_bytes(self.take(n), 'little', signed=True), NUMBER + n
        )

    def op_long1(self) -> None:
        self.long_of(self.unsigned(1))

    def op_long4(self) -> None:
        self.long_of(int.from_bytes(self.take(4), 'little', signed=True))

    def op_float(self) -> None:
        text = self.line()
        try:
            self.push(float(text), NUMBER)
        except ValueError:
            raise self.refuse(f'{text[:40]!r} is not a float') from None

    def op_binfloat(self) -> None:
        self.push(struct.unpack('>d', self.take(8))[0], NUMBER)

    def string_of(self, n: int) -> None:
        raw = self.take(n)
        self.push(self.decode_string(raw), OBJECT_COST + n)

    def op_string(self) -> None:
        text = self.line()
        if len(text) < 2 or text[:1] != text[-1:] or text[:1] not in b'"\'':
            raise self.refuse('a STRING argument without its quotes')
        self.push(
            self.decode_string(codecs.escape_decode(text[1:-1])[0]),
            OBJECT_COST + len(text),
        )

    def op_binstring(self) -> None:
        self.string_of(int.from_bytes(self.take(4), 'little', signed=True))

    def op_short_binstring(self) -> None:
        self.string_of(self.unsigned(1))

    def bytes_of(self, n: int, kind=bytes) -> None:
        raw = self.take(n)
        self.charge(n)  # the slice, beside the object
        self.push(kind(raw), OBJECT_COST + n)

    def op_binbytes(self) -> None:
        self.bytes_of(self.unsigned(4))

    def op_short_binbytes(self) -> None:
        self.bytes_of(self.unsigned(1))

    def op_binbytes8(self) -> None:
        self.bytes_of(self.unsigned(8))

    def op_bytearray8(self) -> None:
        self.bytes_of(self.unsigned(8), bytearray)

    def unicode_of(self, n: int) -> None:
        raw = self.take(n)
        # UTF-8 of n bytes decodes to at most 4 n bytes of str
        self.push(str(raw, 'utf-8', 'surrogatepass'), OBJECT_COST + 4 * n)

    def op_unicode(self) -> None:
        raw = self.line()
        self.push(str(raw, 'raw-unicode-escape'), OBJECT_COST + 4 * len(raw))

    def op_binunicode(self) -> None:
        self.unicode_of(self.unsigned(4))

    def op_short_binunicode(self) -> None:
        self.unicode_of(self.unsigned(1))

    def op_binunicode8(self) -> None:
        self.unicode_of(self.unsigned(8))

    def op_empty_tuple(self) -> None:
        self.push((), REF)

    def op_tuple(self) -> None:
        items = self.pop_mark()
        self.push(tuple(items), OBJECT_COST + REF * len(items))

    def op_tuple1(self) -> None:
        self.push((self.pop(),), OBJECT_COST + REF)

    def op_tuple2(self) -> None:
        second, first = self.pop(), self.pop()
        self.push((first, second), OBJECT_COST + 2 * REF)

    def op_tuple3(self) -> None:
        third, second, first = self.pop(), self.pop(), self.pop()
        self.push((first, second, third), OBJECT_COST + 3 * REF)

    def op_empty_list(self) -> None:
        self.push([], OBJECT_COST)

    def op_list(self) -> None:
        items = self.pop_mark()
        self.push(items, OBJECT_COST)  # the mark's list

    def op_empty_dict(self) -> None:
        self.push({}, OBJECT_COST)

    def op_dict(self) -> None:
        items = self.pop_mark()
        self.push({}, OBJECT_COST)
        self.fill_dict(self.top(), items)

    def op_empty_set(self) -> None:
        self.push(set(), OBJECT_COST)

    def op_frozenset(self) -> None:
        items = self.pop_mark()
        self.push(
            frozenset(self.key(x) for x in items),
            OBJECT_COST + 32 * len(items),
        )

    def list_target(self) -> list:
        target = self.top()
        if type(target) is not list:
            raise self.refuse(f'items added to a {type(target).__name__}')
        return target

    def op_append(self) -> None:
        value = self.pop()
        self.charge(REF)
        self.list_target().append(value)

    def op_appends(self) -> None:
        items = self.pop_mark()
        self.charge(REF * len(items))
        self.list_target().extend(items)

    def fill_dict(self, target: Any, items: list) -> None:
        # dict subclasses come only from the vocabulary's own functions
        if not isinstance(target, dict):
            raise self.refuse(f'items set on a {type(target).__name__}')
        if len(items) % 2:
            raise self.refuse('a key without its value')
        self.charge(24 * len(items))
        for i in range(0, len(items), 2):
            target[self.key(items[i])] = items[i + 1]

    def op_setitem(self) -> None:
        value, key = self.pop(), self.pop()
        self.fill_dict(self.top(), [key, value])

    def op_setitems(self) -> None:
        items = self.pop_mark()
        self.fill_dict(self.top(), items)

    def op_additems(self) -> None:
        items = self.pop_mark()
        target = self.top()
        if type(target) is not set:
            raise self.refuse(f'set items added to a {type(target).__name__}')
        self.charge(32 * len(items))
        target.update(self.key(x) for x in items)

    def memo_put(self, index: int) -> None:
        self.charge(40)
        self.memo[index] = self.top()

    def memo_get(self, index: int) -> None:
        if index not in self.memo:
            raise self.refuse(f'memo entry {index} is missing')
        self.push(self.memo[index])

    def op_put(self) -> None:
        self.memo_put(self.text_int())

    def op_binput(self) -> None:
        self.memo_put(self.unsigned(1))

    def op_long_binput(self) -> None:
        self.memo_put(self.unsigned(4))

    def op_memoize(self) -> None:
        self.memo_put(len(self.memo))

    def op_get(self) -> None:
        self.memo_get(self.text_int())

    def op_binget(self) -> None:
        self.memo_get(self.unsigned(1))

    def op_long_binget(self) -> None:
        self.memo_get(self.unsigned(4))

    def find_global(self, module: Any, name: Any) -> None:
        if type(module) is not str or type(name) is not str:
            raise self.refuse('a global named by something not a string')
        value = self.vocabulary.globals.get((module, name), self)
        if value is self:
            raise self.refuse(
                f'the global {short_repr(module, 60)}.{short_repr(name, 60)},'
                f' which {self.vocabulary.name} may not name'
            )
        self.push(value)

    def op_global(self) -> None:
        module = self.line().decode('utf-8')
        self.find_global(module, self.line().decode('utf-8'))

    def op_stack_global(self) -> None:
        name = self.pop()
        self.find_global(self.pop(), name)

    def op_reduce(self) -> None:
        args = self.pop()
        func = self.pop()
        self.push(self.call(func, args), OBJECT_COST)

    def new_object(self, cls: Any, args: Any) -> None:
        if not any(cls is allowed for allowed in self.vocabulary.newobj):
            raise self.refuse(f'NEWOBJ of {short_repr(cls, 60)}')
        if type(args) is not tuple:
            raise self.refuse(f'NEWOBJ arguments of {type(args).__name__}')
        self.push(cls.__new__(cls, *args), OBJECT_COST)

    def op_newobj(self) -> None:
        args = self.pop()
        self.new_object(self.pop(), args)

    def op_newobj_ex(self) -> None:
        kwargs, args = self.pop(), self.pop()
        if kwargs != {}:
            raise self.refuse('NEWOBJ_EX with keyword arguments')
        self.new_object(self.pop(), args)

    def op_build(self) -> None:
        state = self.pop()
        target = self.top()
        builder = self.vocabulary.builders.get(type(target))
        if builder is None:
            raise self.refuse(f'state given to a {type(target).__name__}')
        try:
            builder(target, state)
        except pickle.UnpicklingError as e:
            raise self.refuse(str(e)) from None

    def persistent(self, pid: Any) -> None:
        if self.persistent_load is None:
            raise self.refuse('a persistent id, which these files never hold')
        try:
            self.push(self.persistent_load(pid), OBJECT_COST)
        except pickle.UnpicklingError as e:
            raise self.refuse(str(e)) from None

    def op_persid(self) -> None:
        self.persistent(self.line().decode('ascii'))

    def op_binpersid(self) -> None:
        self.persistent(self.pop())


def _opcode_table() -> dict:
    table = {}
    for name in dir(RestrictedUnpickler):
        if name.startswith('op_'):
            opcode = name[3:].upper()
            handler = getattr(RestrictedUnpickler, name)
            table[getattr(pickle, opcode)] = (handler, opcode)
    return table


#: opcode byte -> (handler, name); every opcode not here is refused:
#: EXT1/2/4 (the copyreg extension registry), INST and OBJ (calls of any
#: class), and NEXT_BUFFER / READONLY_BUFFER (out-of-band buffers)
OPCODES = _opcode_table()


def restricted_load(
    data,
    vocabulary: Vocabulary,
    start: int = 0,
    persistent_load: Optional[Callable[[Any], Any]] = None,
    encoding: str = 'ASCII',
) -> Tuple[Any, int]:
    """One pickle from ``data`` at ``start``: ``(object, end position)``.
    See :class:`RestrictedUnpickler`."""
    reader = RestrictedUnpickler(
        data, vocabulary, start, persistent_load, encoding
    )
    return reader.load(), reader.position
