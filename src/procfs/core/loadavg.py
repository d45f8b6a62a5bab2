"""``/proc/loadavg``: load averages and scheduling-entity counts.

One line: ``0.02 0.04 0.05 1/497 11947``.
"""

from __future__ import annotations

from procfs.core._parse import parse_decimal, parse_int, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["LoadAverage", "parse_loadavg"]


class LoadAverage(Record):
    """The content of ``/proc/loadavg`` (field names as in the Rust crate).

    Attributes:
        one: load average over the last minute: the mean number of tasks
            runnable or in uninterruptible sleep (state R or D).
        five: load average over the last 5 minutes.
        fifteen: load average over the last 15 minutes.
        cur: kernel scheduling entities (processes and threads) runnable now.
        max: kernel scheduling entities that exist now.
        latest_pid: the pid most recently given to a new process or thread.
    """

    one: float
    five: float
    fifteen: float
    cur: int
    max: int
    latest_pid: int


@parser("loadavg", read="single", since="2.6")
def parse_loadavg(data: bytes) -> LoadAverage:
    """Parse ``/proc/loadavg``."""
    fields = data.split()
    if len(fields) == 5:
        # The usual line, checked as a whole: the loads only digits and dots
        # (float() refuses a second dot), the counts what int() takes. That
        # is what the strict reading accepts, with the same values.
        one, five, fifteen, tasks, last = fields
        running, slash, total = tasks.partition(b"/")
        if slash and (one + five + fifteen).replace(b".", b"").isdigit():
            try:
                return _make(
                    (float(one), float(five), float(fifteen), int(running), int(total), int(last))
                )
            except ValueError:
                pass
    return _parse_strict(data, fields)


_make = LoadAverage._make


def _parse_strict(data: bytes, fields: list[bytes]) -> LoadAverage:
    """The field-by-field reading, which names the field at fault."""
    if len(fields) != 5:
        raise ParseError(f"expected 5 fields, found {len(fields)}", line=data)
    running, slash, total = fields[3].partition(b"/")
    if not slash:
        raise ParseError("no '/' in the task counts", line=data)
    return LoadAverage(
        parse_decimal(fields[0], "load average"),
        parse_decimal(fields[1], "load average"),
        parse_decimal(fields[2], "load average"),
        parse_int(running, "runnable entities"),
        parse_int(total, "total entities"),
        parse_int(fields[4], "last pid"),
    )
