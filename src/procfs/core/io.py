"""``/proc/[pid]/io``: I/O counters of a process (since Linux 2.6.20)."""

from __future__ import annotations

from procfs.core._parse import MAX_DIGITS, decode, fields_reader_of, key_values, parser
from procfs.core._record import Lazy, Record, digits_reader
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["Io", "fields_reader", "parse_io"]


class Io(Record):
    """I/O statistics from ``/proc/[pid]/io``.

    Each field is ``None`` when the kernel does not print its line (kernels
    built without ``CONFIG_TASK_XACCT`` lacked the first four).

    Attributes:
        rchar: Bytes the task passed to read(2) and similar calls, whether or
            not the storage was touched (page cache and terminals count).
        wchar: Bytes the task passed to write(2) and similar calls.
        syscr: Number of read system calls (read(2), pread(2), …).
        syscw: Number of write system calls (write(2), pwrite(2), …).
        read_bytes: Bytes the task really caused to be fetched from the
            storage layer.
        write_bytes: Bytes the task caused to be sent to the storage layer.
        cancelled_write_bytes: Bytes whose write-out the task cancelled, by
            truncating dirty page cache, bytes.
        extra: Any other ``key: value`` line, by key (none today).
    """

    rchar: int | None
    wchar: int | None
    syscr: int | None
    syscw: int | None
    read_bytes: int | None
    write_bytes: int | None
    cancelled_write_bytes: int | None
    extra: dict[str, int]

    # The parser's fast path keeps the digits; a field converts on access.
    __lazy__ = Lazy(int, extra=None)


_new = Io._make


_INDEX = {name.encode(): index for index, name in enumerate(Io._fields[:-1])}
#: The file the kernel prints (since 2.6.20) without its digits: its keys, in order.
_SHAPE = b"".join(name.encode() + b": \n" for name in Io._fields[:-1])
_DIGITS = b"0123456789"


#: The keys of every line, in the order the kernel prints them.
_KEYS = [name.encode() + b":" for name in Io._fields[:-1]]


def _usual(data: bytes) -> list[bytes] | None:
    """The seven values of the usual file (its lines in order, digits only, at most
    MAX_DIGITS each), or None."""
    if data.translate(None, _DIGITS) == _SHAPE:
        tokens = data.split()
        # (no value is empty, and no digit hides in a key)
        if len(tokens) == 14 and tokens[0::2] == _KEYS:
            values = tokens[1::2]
            if max(map(len, values)) <= MAX_DIGITS:
                return values
    return None


@parser("[pid]/io", read="single", record=Io, since="2.6.20")
def parse_io(data: bytes) -> Io:
    """Parse ``/proc/[pid]/io`` into an :class:`Io` record."""
    numbers: list[Any] | None = _usual(data)
    if numbers is not None:
        numbers.append({})
        return _new(numbers)
    return _parse_lines(data)


def _parse_lines(data: bytes) -> Io:
    """:func:`parse_io` line by line: any order, unknown keys, missing lines."""
    values: list[object] = [None] * 7
    extra: dict[str, int] = {}
    seen = 0
    for key, value, lineno in key_values(data):
        try:
            number = int(value)
        except ValueError:
            raise ParseError("value is not an integer", line=value, lineno=lineno) from None
        index = _INDEX.get(key)
        if index is None:
            extra[decode(key)] = number
        else:
            values[index] = number
        seen += 1
    if not seen:
        raise ParseError("no counters found")
    values.append(extra)
    return _new(values)


@fields_reader_of(parse_io)
def fields_reader(names: Sequence[str]) -> Callable[[bytes, str], tuple[Any, ...]]:
    """A function that reads the fields ``names`` of the file's bytes, as a tuple.

    What :func:`procfs.scan.scan_fields` uses: the values of
    ``parse_io(data)``'s attributes (and its errors), with no record made
    for the usual file.
    """
    return digits_reader(Io, names, Io._fields[:-1], _usual, parse_io.__wrapped__)  # type: ignore[attr-defined]
