"""``btime`` of ``/proc/stat``: when the system booted, without the rest of the file.

Its own module so that a command that needs only the boot time (``ps``'s
start times, psutil's ``create_time``) does not import the records of
:mod:`procfs.core.kernel_stats` (0.6 ms of import; with the listing below,
interleaved A/B of ``procfs ps -ef`` x30: 62.6 -> 61.4 ms of CPU).
"""

from __future__ import annotations

from procfs.core._parse import parse_int
from procfs.errors import ParseError

__all__ = ["parse_boot_time"]


def parse_boot_time(data: bytes, path: str | None = None) -> int:
    """The ``btime`` of ``/proc/stat`` (seconds since the epoch), found without
    parsing the rest of the file."""
    start = 0 if data[:6] == b"btime " else data.find(b"\nbtime ") + 1
    if start <= 0 and data[:6] != b"btime ":
        raise ParseError("no 'btime' line", path or "stat")
    end = data.find(b"\n", start)
    line = data[start : end if end >= 0 else len(data)]
    try:
        return parse_int(line[6:].strip(), "btime")
    except ParseError as exc:
        exc.path = path or "stat"
        raise
