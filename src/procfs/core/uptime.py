"""``/proc/uptime``: time since boot, and time the CPUs spent idle.

One line of two decimal numbers of seconds: ``2578790.61 1999230.98``. The
kernel prints each as ``%lu.%02lu`` (hundredths of a second).
"""

from __future__ import annotations

from procfs.core._parse import parse_decimal, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Uptime", "parse_uptime"]


class Uptime(Record):
    """The content of ``/proc/uptime`` (field names as in the Rust crate).

    Attributes:
        uptime: seconds since the system booted, counting time spent
            suspended (the CLOCK_BOOTTIME clock).
        idle: seconds the CPUs have spent idle, summed over every CPU: on a
            machine with N CPUs it grows up to N times faster than
            ``uptime``.
    """

    uptime: float
    idle: float


@parser("uptime", read="single", since="2.6")
def parse_uptime(data: bytes) -> Uptime:
    """Parse ``/proc/uptime``."""
    fields = data.split()
    if len(fields) != 2:
        raise ParseError(f"expected 2 fields, found {len(fields)}", line=data)
    return Uptime(parse_decimal(fields[0], "uptime"), parse_decimal(fields[1], "idle time"))
