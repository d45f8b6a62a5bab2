"""``/proc/tty/drivers``: the tty drivers and the device numbers they own."""

from __future__ import annotations

from procfs.core._parse import decode, parse_int, parser, table_rows
from procfs.core._record import Record

__all__ = ["TtyDriver", "parse_tty_drivers"]


class TtyDriver(Record):
    """One tty driver (a line of ``/proc/tty/drivers``).

    Attributes:
        driver: the driver's name (``pty_slave``, ``serial``, ``unknown``).
        path: the device node prefix (``/dev/pts``, ``/dev/ttyS``).
        major: the major device number.
        minor_first: the first minor number the driver owns.
        minor_last: the last minor number the driver owns (inclusive).
        type: the driver type, with its subtype after ``:`` (``pty:slave``).
    """

    driver: str
    path: str
    major: int
    minor_first: int
    minor_last: int
    type: str

    def owns(self, major: int, minor: int) -> bool:
        """Whether the device (major, minor) belongs to this driver."""
        return major == self.major and self.minor_first <= minor <= self.minor_last


@parser("tty/drivers", since="2.6")
def parse_tty_drivers(data: bytes) -> list[TtyDriver]:
    """Parse ``/proc/tty/drivers``."""
    drivers = []
    for fields, _ in table_rows(data, header_lines=0, min_fields=5):
        first, _, last = fields[3].partition(b"-")
        minor_first = parse_int(first, "minor")
        drivers.append(
            TtyDriver(
                decode(fields[0]),
                decode(fields[1]),
                parse_int(fields[2], "major"),
                minor_first,
                parse_int(last, "minor") if last else minor_first,
                decode(b" ".join(fields[4:])),
            )
        )
    return drivers
