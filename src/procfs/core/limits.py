"""``/proc/[pid]/limits``: the resource limits of a process (since Linux 2.6.24).

The file is a table with a header line::

    Limit                     Soft Limit           Hard Limit           Units
    Max cpu time              unlimited            unlimited            seconds
    Max nice priority         0                    0

The kernel pads the columns to fixed widths (25, 20, 20 and 10 characters),
but a 20-digit value fills its column completely, and two rows have no unit.
Values never contain spaces, so each row is read from the right: an optional
unit (a word that is neither a number nor ``unlimited``), then the hard and
the soft limit; the words before them are the limit's name.
"""

from __future__ import annotations

from procfs.core._parse import decode, fields_reader_of, lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["Limit", "Limits", "fields_reader", "parse_limits"]


class Limit(Record):
    """One resource limit (a row of ``/proc/[pid]/limits``).

    Attributes:
        soft: The soft limit (the one enforced), or ``None`` for unlimited.
        hard: The hard limit (the ceiling for the soft one), or ``None`` for
            unlimited.
        unit: The unit the kernel names (``seconds``, ``bytes``,
            ``processes``, ``files``, ``locks``, ``signals``, ``us``), or
            ``None`` for the two rows without one (nice and real-time
            priority).
    """

    soft: int | None
    hard: int | None
    unit: str | None


class Limits(Record):
    """All resource limits of a process, from ``/proc/[pid]/limits``.

    Each field is ``None`` when the file has no such row. See getrlimit(2).

    Attributes:
        max_cpu_time: CPU time the process may consume (``RLIMIT_CPU``), seconds.
        max_file_size: Largest file the process may create (``RLIMIT_FSIZE``), bytes.
        max_data_size: Size of the data segment and heap (``RLIMIT_DATA``), bytes.
        max_stack_size: Size of the main thread's stack (``RLIMIT_STACK``), bytes.
        max_core_file_size: Largest core dump (``RLIMIT_CORE``), bytes.
        max_resident_set: Resident set size (``RLIMIT_RSS``, not enforced
            since Linux 2.6), bytes.
        max_processes: Threads the real user ID may have (``RLIMIT_NPROC``).
        max_open_files: One more than the highest file descriptor number the
            process may open (``RLIMIT_NOFILE``).
        max_locked_memory: Memory that may be locked into RAM
            (``RLIMIT_MEMLOCK``), bytes.
        max_address_space: Size of the virtual address space (``RLIMIT_AS``), bytes.
        max_file_locks: flock(2) locks and fcntl(2) leases (``RLIMIT_LOCKS``).
        max_pending_signals: Signals that may be queued for the real user ID
            (``RLIMIT_SIGPENDING``).
        max_msgqueue_size: Bytes of POSIX message queues for the real user ID
            (``RLIMIT_MSGQUEUE``).
        max_nice_priority: Ceiling of the nice value, as ``20 - nice``
            (``RLIMIT_NICE``); no unit.
        max_realtime_priority: Ceiling of the real-time priority
            (``RLIMIT_RTPRIO``); no unit.
        max_realtime_timeout: CPU time a real-time task may use without a
            blocking system call (``RLIMIT_RTTIME``), microseconds.
        extra: Rows with any other name, by the name as printed.
    """

    max_cpu_time: Limit | None
    max_file_size: Limit | None
    max_data_size: Limit | None
    max_stack_size: Limit | None
    max_core_file_size: Limit | None
    max_resident_set: Limit | None
    max_processes: Limit | None
    max_open_files: Limit | None
    max_locked_memory: Limit | None
    max_address_space: Limit | None
    max_file_locks: Limit | None
    max_pending_signals: Limit | None
    max_msgqueue_size: Limit | None
    max_nice_priority: Limit | None
    max_realtime_priority: Limit | None
    max_realtime_timeout: Limit | None
    extra: dict[str, Limit]


_new = Limits._make


#: Row name as printed (``b"Max cpu time"``) -> field index in Limits.
_INDEX = {
    name.replace("_", " ").capitalize().encode(): index
    for index, name in enumerate(Limits._fields[:-1])
}


def _value(token: bytes, lineno: int) -> int | None:
    if token == b"unlimited":
        return None
    try:
        return int(token)
    except ValueError:
        raise ParseError(
            "limit is neither a number nor 'unlimited'", line=token, lineno=lineno
        ) from None


def _is_value(token: bytes) -> bool:
    return token == b"unlimited" or token.lstrip(b"-").isdigit()


# One record (ONE: single_open; an INF page before): the first short read is all of it.
@parser("[pid]/limits", read="single", record=Limits, since="2.6.24")
def parse_limits(data: bytes) -> Limits:
    """Parse ``/proc/[pid]/limits`` into a :class:`Limits` record."""
    values: list[object] = [None] * (len(Limits._fields) - 1)
    extra: dict[str, Limit] = {}
    rows = 0
    for lineno, line in enumerate(lines(data), 1):
        words = line.split()
        if len(words) < 3 and words:
            raise ParseError("expected 'name soft hard [unit]'", line=line, lineno=lineno)
        if not words or (lineno == 1 and words[0] == b"Limit" and not _is_value(words[-1])):
            continue  # blank line, or the header
        if _is_value(words[-1]):
            unit = None
            soft, hard = words[-2], words[-1]
            name_words = words[:-2]
        else:
            unit = decode(words[-1])
            soft, hard = words[-3:-1] if len(words) >= 4 else (b"", b"")
            name_words = words[:-3]
        if not name_words or not _is_value(soft):
            raise ParseError("expected 'name soft hard [unit]'", line=line, lineno=lineno)
        limit = Limit(_value(soft, lineno), _value(hard, lineno), unit)
        name = b" ".join(name_words)
        index = _INDEX.get(name)
        if index is None:
            extra[decode(name)] = limit
        else:
            values[index] = limit
        rows += 1
    if not rows:
        raise ParseError("no limits found")
    values.append(extra)
    return _new(values)


#: Field name -> the start of its row as printed (``b"\nMax open files "``).
_ROWS = {
    name: b"\n" + name.replace("_", " ").capitalize().encode() + b" "
    for name in Limits._fields[:-1]
}


@fields_reader_of(parse_limits)
def fields_reader(names: Sequence[str]) -> Callable[[bytes, str], tuple[Any, ...]]:
    """A function that reads the limits ``names`` of the file's bytes, as a tuple.

    What :func:`procfs.scan.scan_fields` uses: each asked row is found by its
    name and split alone (the rows not asked for are not checked); a file in
    any other shape (or ``extra`` asked for) goes through :func:`parse_limits`,
    whose values and errors it gives.
    """
    if "extra" in names:
        return lambda data, path: tuple(getattr(parse_limits(data, path), n) for n in names)
    rows = [_ROWS[name] for name in names]

    def read(data: bytes, path: str) -> tuple[Any, ...]:
        values: list[Limit | None] = []
        for row in rows:
            start = data.find(row)
            if start < 0:
                if data.startswith(b"Limit ") and data.count(b"\n") > 1:  # a row it lacks
                    values.append(None)
                    continue
                break
            end = data.find(b"\n", start + 1)
            words = data[start + len(row) : end if end > 0 else len(data)].split()
            if len(words) not in (2, 3) or not (_is_value(words[0]) and _is_value(words[1])):
                break
            values.append(
                Limit(
                    _value(words[0], 0),
                    _value(words[1], 0),
                    decode(words[2]) if len(words) == 3 else None,
                )
            )
        else:
            return tuple(values)
        return tuple(getattr(parse_limits(data, path), n) for n in names)

    return read
