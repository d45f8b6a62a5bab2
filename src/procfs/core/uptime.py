"""``/proc/uptime``: time since boot, and time the CPUs spent idle.

One line of two decimal numbers of seconds: ``2578790.61 1999230.98``. The
kernel prints each as ``%lu.%02lu`` (hundredths of a second).
"""

from __future__ import annotations

from procfs.core._parse import parser
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


def _seconds(token: bytes) -> float:
    # Accept only what the kernel prints (digits, one optional dot): float()
    # would also take "nan", "inf", "1e5" and "1_0".
    if not token.replace(b".", b"", 1).isdigit():
        raise ParseError("not a decimal number of seconds", line=token)
    return float(token)


@parser("uptime")
def parse_uptime(data: bytes) -> Uptime:
    """Parse ``/proc/uptime``."""
    fields = data.split()
    if len(fields) != 2:
        raise ParseError(f"expected 2 fields, found {len(fields)}", line=data)
    return Uptime(_seconds(fields[0]), _seconds(fields[1]))
