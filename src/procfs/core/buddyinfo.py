"""``/proc/buddyinfo``: free memory of the buddy allocator, by zone and block size.

One line per populated memory zone of each NUMA node (mm/vmstat.c)::

    Node 0, zone      DMA      1      0      1      0      2      1      1      0      1      1  3
    Node 0, zone   Normal   4381   1093    185   1530    567    102      4      0      0      0  0

Column ``n`` after the zone name is the number of free blocks of ``2**n``
contiguous pages (order ``n``). The number of orders depends on the kernel
build (11 on most, more with large base pages or a raised
CONFIG_ARCH_FORCE_MAX_ORDER). Sizes are in pages: multiply by the page size
(:func:`procfs.page_size`) for bytes.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["BuddyInfoEntry", "parse_buddyinfo"]


class BuddyInfoEntry(Record):
    """The free blocks of one memory zone of one NUMA node.

    Attributes:
        node: the NUMA node number.
        zone: the zone name (``DMA``, ``DMA32``, ``Normal``, ``HighMem``,
            ``Movable``, ``Device``).
        nr_free: free blocks by order: ``nr_free[n]`` blocks of ``2**n``
            contiguous PAGES each.
    """

    node: int
    zone: str
    nr_free: tuple[int, ...]

    @property
    def free_pages(self) -> int:
        """Free PAGES in the zone: the sum of ``nr_free[n] * 2**n``."""
        return sum(count << order for order, count in enumerate(self.nr_free))

    def free_pages_of_order(self, order: int) -> int:
        """Free PAGES in blocks of exactly ``2**order`` pages (0 past the last order)."""
        if 0 <= order < len(self.nr_free):
            return self.nr_free[order] << order
        return 0


def _entry(line: bytes, lineno: int) -> BuddyInfoEntry:
    fields = line.split()
    if (
        len(fields) < 5
        or fields[0] != b"Node"
        or fields[1][-1:] != b","
        or fields[2] != b"zone"
        or not fields[1][:-1].isdigit()
    ):
        raise ParseError("expected 'Node N, zone NAME counts...'", line=line, lineno=lineno)
    counts = fields[4:]
    for count in counts:
        if not count.isdigit():
            raise ParseError("a free block count is not a number", line=line, lineno=lineno)
    return BuddyInfoEntry(int(fields[1][:-1]), decode(fields[3]), tuple(map(int, counts)))


@parser("buddyinfo", since="2.6")
def parse_buddyinfo(data: bytes) -> list[BuddyInfoEntry]:
    """Parse ``/proc/buddyinfo``: one :class:`BuddyInfoEntry` per node and zone."""
    return [
        _entry(line, lineno) for lineno, line in enumerate(data.split(b"\n"), 1) if line.strip()
    ]
