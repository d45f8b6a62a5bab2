"""``/proc/[pid]/io``: I/O counters of a process (since Linux 2.6.20)."""

from __future__ import annotations

from procfs.core._parse import decode, key_values, parser
from procfs.core._record import Record, digits_field
from procfs.errors import ParseError

__all__ = ["Io", "parse_io"]


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


# The parser's fast path keeps the digits and converts on access.
for _index, _name in enumerate(Io._fields[:-1]):
    setattr(Io, _name, digits_field(_index))
del _index, _name

_new = Io._make


_INDEX = {name.encode(): index for index, name in enumerate(Io._fields[:-1])}
#: The keys of every line, in the order the kernel prints them (since 2.6.20).
_USUAL_KEYS = [name.encode() + b":" for name in Io._fields[:-1]]


@parser("[pid]/io")
def parse_io(data: bytes) -> Io:
    """Parse ``/proc/[pid]/io`` into an :class:`Io` record."""
    tokens = data.split()
    if tokens[0::2] == _USUAL_KEYS:
        numbers = tokens[1::2]
        if len(numbers) == 7 and b"".join(numbers).isdigit():
            numbers.append({})  # type: ignore[arg-type]
            return _new(numbers)
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
