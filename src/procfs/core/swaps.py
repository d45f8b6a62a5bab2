"""``/proc/swaps``: the swap areas in use.

A header line, then one row per swap area::

    Filename                                Type            Size    Used    Priority
    /dev/dm-2                               partition       131068  176     -2

The kernel pads the file name with spaces and separates the other columns
with tabs; it writes space, tab, newline and backslash in the file name as
octal escapes (``\\040``), decoded here, so the columns split on whitespace.
Sizes are printed in KiB and given here in bytes.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser, unescape_octal
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Swap", "parse_swaps"]


class Swap(Record):
    """One swap area, from a row of ``/proc/swaps``.

    Attributes:
        filename: the swap device or file (a swap file that was deleted
            ends with ``" (deleted)"``).
        type: ``"partition"`` for a block device, ``"file"`` for a swap file.
        size: usable size of the area, in bytes (the header page excluded).
        used: swap space in use, in bytes.
        priority: the area's priority: higher ones are used first; areas
            given none get negative values, in the order they were enabled.
    """

    filename: str
    type: str
    size: int
    used: int
    priority: int


@parser("swaps", since="2.6")
def parse_swaps(data: bytes) -> list[Swap]:
    """Every swap area of ``/proc/swaps``, in the kernel's order."""
    rows = lines(data)
    if not rows or not rows[0].startswith(b"Filename"):
        raise ParseError("no 'Filename Type Size Used Priority' header")
    out: list[Swap] = []
    for lineno, line in enumerate(rows[1:], 2):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 5:
            raise ParseError(f"expected 5 fields, found {len(fields)}", line=line, lineno=lineno)
        try:
            size = int(fields[2]) * 1024
            used = int(fields[3]) * 1024
            priority = int(fields[4])
        except ValueError:
            raise ParseError("a number is not an integer", line=line, lineno=lineno) from None
        out.append(Swap(decode(unescape_octal(fields[0])), decode(fields[1]), size, used, priority))
    return out
