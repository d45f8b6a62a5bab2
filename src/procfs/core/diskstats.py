"""``/proc/diskstats``: I/O counters of every block device and partition.

One line per device: ``major minor name`` then the counters of
Documentation/admin-guide/iostats.rst. How many counters a line has depends
on the kernel:

* 4 (2.6.0 to 2.6.24, partitions only): reads, sectors read, writes,
  sectors written;
* 11 (whole disks since 2.6, partitions since 2.6.25);
* 15 (4.18): discard counters added;
* 17 (5.5): flush counters added.

A file may mix widths (a 2.6.2x kernel prints 11 counters for disks and 4
for partitions); counters a line lacks are ``None``. Counters past the 17th
(from a later kernel) are kept in :attr:`DiskStat.extra`.

Sectors are always 512-byte units, whatever the device's sector size; times
are milliseconds. The counters are unsigned integers of the kernel's word
size and wrap around on 32-bit kernels.

A file in the layout of Linux 5.5 onward is read without converting the
fields: a :class:`DiskStat` keeps the kernel's words (digits, the name's
bytes) and converts the one read (a record converting on access, as
``Stat`` does; equality, ``to_dict()`` and pickling see the values).
"""

from __future__ import annotations

import sys as _sys
from _operator import itemgetter as _itemgetter

from procfs.core._parse import MAX_DIGITS, decode, lines, parser
from procfs.core._record import Lazy, Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SECTOR_SIZE", "DiskStat", "parse_diskstats"]

#: The unit of the sector counters, in bytes (fixed by the kernel).
SECTOR_SIZE = 512
_ENCODING = _sys.getfilesystemencoding()
_ERRORS = _sys.getfilesystemencodeerrors()


def _name(raw: bytes) -> str:
    """A device name kept as its bytes, decoded as ``os.fsdecode`` does."""
    return raw.decode(_ENCODING, _ERRORS)


def _counters(raw: bytes) -> list[int]:
    """Counters after the 17th kept as text (``b""`` for none)."""
    return list(map(int, raw.split()))


class DiskStat(Record):
    """One line of ``/proc/diskstats`` (field names as in the Rust crate).

    Attributes:
        major: major device number.
        minor: minor device number.
        name: device name (``sda``, ``nvme0n1p2``, ``dm-0``).
        reads: reads completed successfully (on 2.6.0-2.6.24 partition
            lines: reads issued to the partition).
        merged: adjacent reads merged into one before being issued
            (``None`` on 4-counter lines).
        sectors_read: sectors read (512-byte units).
        time_reading: milliseconds spent by all reads, from issue to
            completion (``None`` on 4-counter lines).
        writes: writes completed successfully (on 4-counter lines: issued).
        writes_merged: adjacent writes merged (``None`` on 4-counter lines).
        sectors_written: sectors written (512-byte units).
        time_writing: milliseconds spent by all writes (``None`` on
            4-counter lines).
        in_progress: I/Os in flight now (the only counter that goes down;
            ``None`` on 4-counter lines).
        time_in_progress: milliseconds during which at least one I/O was in
            flight: the device's busy time (``None`` on 4-counter lines).
        weighted_time_in_progress: milliseconds spent doing I/O weighted by
            the number of I/Os in flight: the sum of every I/O's time, a
            measure of queueing (``None`` on 4-counter lines).
        discards: (4.18) discards completed successfully, else ``None``.
        discards_merged: (4.18) adjacent discards merged.
        sectors_discarded: (4.18) sectors discarded (512-byte units).
        time_discarding: (4.18) milliseconds spent by all discards.
        flushes: (5.5) flush requests completed successfully, else ``None``.
        time_flushing: (5.5) milliseconds spent by all flush requests.
        extra: counters after the 17th, from kernels newer than this module.
    """

    major: int
    minor: int
    name: str
    reads: int
    merged: int | None
    sectors_read: int
    time_reading: int | None
    writes: int
    writes_merged: int | None
    sectors_written: int
    time_writing: int | None
    in_progress: int | None
    time_in_progress: int | None
    weighted_time_in_progress: int | None
    discards: int | None = None
    discards_merged: int | None = None
    sectors_discarded: int | None = None
    time_discarding: int | None = None
    flushes: int | None = None
    time_flushing: int | None = None
    extra: list[int] = []

    # The fast reading keeps the kernel's words and converts the one read.
    __lazy__ = Lazy(int, name=_name, extra=_counters)

    @property
    def bytes_read(self) -> int:
        """Bytes read (``sectors_read`` x 512)."""
        return self.sectors_read * SECTOR_SIZE

    @property
    def bytes_written(self) -> int:
        """Bytes written (``sectors_written`` x 512)."""
        return self.sectors_written * SECTOR_SIZE


# Fill-ins for the counters a short line lacks (the record has 3 + 17 + 1 fields).
_MISSING_AFTER_4 = [None] * 10  # time_writing ... time_flushing
_MISSING_AFTER_11 = [None] * 6  # discards ... time_flushing
_MISSING_AFTER_15 = [None] * 2  # flushes, time_flushing


def _parse_line(fields: list[bytes], line: bytes, lineno: int) -> DiskStat:
    count = len(fields) - 3
    if count not in (4, 11, 15) and count < 17:
        raise ParseError(
            f"expected 4, 11, 15 or 17 counters, found {count}", line=line, lineno=lineno
        )
    numbers = [int(field) for field in fields[3:]]
    head: list[Any] = [int(fields[0]), int(fields[1]), decode(fields[2])]
    if count == 4:
        reads, sectors_read, writes, sectors_written = numbers
        values = [reads, None, sectors_read, None, writes, None, sectors_written]
        return DiskStat._make(head + values + _MISSING_AFTER_4 + [[]])
    if count == 11:
        return DiskStat._make(head + numbers + _MISSING_AFTER_11 + [[]])
    if count == 15:
        return DiskStat._make(head + numbers + _MISSING_AFTER_15 + [[]])
    return DiskStat._make(head + numbers[:17] + [numbers[17:]])


#: The longest line the fast reading keeps as words: 17 counters of up to
#: MAX_DIGITS digits, device numbers and a name (so that every counter kept
#: converts).
_LONGEST_LINE = 20 * (MAX_DIGITS + 1) + 64
_third = _itemgetter(2)
_split = bytes.split


@parser("diskstats", since="2.6 (discards 4.18, flushes 5.5)")
def parse_diskstats(data: bytes) -> list[DiskStat]:
    """Every device in ``/proc/diskstats``, in the kernel's order.

    A file whose lines all have the 17 counters of Linux 5.5 onward is read
    here: each line's words are the record, as they are (the numbers stay
    digits and the name bytes; :class:`DiskStat` converts a field when it is
    read, and most readers look at a few). Every line is split in one pass,
    and one pass over the file checks that nothing but the names has a
    character other than a digit; a line longer than 17 counters of
    MAX_DIGITS digits and a name would hold can only be odd, and so can the
    others. Anything else (another kernel's columns, a sign, a blank line)
    goes to the line-by-line reading, which converts every number at once.
    """
    rows = data.split(b"\n")
    if not rows.pop() and rows and max(map(len, rows)) <= _LONGEST_LINE:
        lines = list(map(_split, rows))
        if set(map(len, lines)) == {20}:
            # Once digits, spaces and newlines are gone, only the names may remain.
            names = b"".join(map(_third, lines)).translate(None, b"0123456789")
            if data.translate(None, b"0123456789 \n") == names:
                return list(map(_from_stored, map(_with_no_extra, lines)))
    return _parse_strict(data)


_make = DiskStat._make
_from_stored = DiskStat._from_stored


def _with_no_extra(words: list[bytes]) -> tuple[bytes, ...]:
    """What a DiskStat of the fast reading stores: a line's words and no counters after
    the 17th."""
    return (*words, b"")


def _parse_strict(data: bytes) -> list[DiskStat]:
    """The line-by-line reading of any kernel's columns (names the line at fault)."""
    out: list[DiskStat] = []
    for lineno, line in enumerate(lines(data), 1):
        fields = line.split()
        if not fields:
            continue
        try:
            out.append(_parse_line(fields, line, lineno))
        except ParseError:
            raise
        except ValueError:
            raise ParseError("a counter is not an integer", line=line, lineno=lineno) from None
    return out
