"""``/proc/partitions``: every block device and partition, with its size.

A header line, a blank line, then one right-aligned row per device::

    major minor  #blocks  name

     259        0 1000204632 nvme0n1
     259        1    1048576 nvme0n1p1

``#blocks`` counts 1024-byte blocks (the device's size in 512-byte sectors,
halved); :attr:`Partition.size` gives it in bytes. Devices of size 0 that
are not removable (empty loop devices) are left out by the kernel.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Partition", "parse_partitions"]


class Partition(Record):
    """One row of ``/proc/partitions``.

    Attributes:
        major: major device number.
        minor: minor device number.
        size: size of the device in bytes (the kernel's ``#blocks`` of 1024
            bytes, times 1024; an odd number of sectors loses its last one).
        name: device name (``sda``, ``sda1``, ``dm-0``).
    """

    major: int
    minor: int
    size: int
    name: str

    @property
    def blocks(self) -> int:
        """The kernel's ``#blocks`` column: the size in 1024-byte blocks."""
        return self.size // 1024


@parser("partitions", since="2.6")
def parse_partitions(data: bytes) -> list[Partition]:
    """Every row of ``/proc/partitions``, in the kernel's order."""
    rows = lines(data)
    if not rows or rows[0].split()[:2] != [b"major", b"minor"]:
        raise ParseError("no 'major minor #blocks name' header", line=rows[0] if rows else b"")
    out: list[Partition] = []
    for lineno, line in enumerate(rows[1:], 2):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 4:
            raise ParseError(f"expected 4 fields, found {len(fields)}", line=line, lineno=lineno)
        try:
            out.append(
                Partition(int(fields[0]), int(fields[1]), int(fields[2]) * 1024, decode(fields[3]))
            )
        except ValueError:
            raise ParseError("a number is not an integer", line=line, lineno=lineno) from None
    return out
