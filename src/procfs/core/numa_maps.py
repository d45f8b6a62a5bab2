"""``/proc/[pid]/numa_maps``: NUMA placement of each mapping (CONFIG_NUMA).

One line per mapping (see numa(7) and mm/mempolicy.c ``show_numa_map``)::

    5613228ab000 default file=/usr/bin/bash anon=4 dirty=4 active=0 N0=4 kernelpagesize_kB=4
    7ffd1c9e5000 bind:0-1 stack anon=3 dirty=3 N0=3 kernelpagesize_kB=4

The start address, the memory policy (``default``, ``local``,
``prefer:1``, ``bind:0-1``, ``interleave:0-3``, with ``=static`` or
``=relative`` flags), then optional words: ``file=PATH`` (spaces, tabs,
newlines and ``=`` in the path are octal escapes), ``heap``, ``stack``,
``huge``, and ``name=N`` counts of pages (in pages of
``kernelpagesize_kB``). A count the kernel leaves out is ``None``: it
prints ``mapped`` only when it differs from ``anon`` and ``dirty``,
``active`` only when not every page is active, and nothing after the policy
for a mapping with no page in memory.
"""

from __future__ import annotations

from procfs.core._parse import decode, parse_lines, parser, unescape_octal
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["NumaMap", "parse_numa_maps"]


class NumaMap(Record):
    """One line of ``/proc/[pid]/numa_maps``.

    Attributes:
        address: The start address of the mapping.
        policy: The memory policy, as the kernel writes it (``"default"``,
            ``"bind:0-1"``, ``"interleave=relative:0-3"``, ...).
        file: The mapped file's path, or ``None``.
        flags: The bare words: ``"heap"``, ``"stack"``, ``"huge"`` (hugetlb).
        anon: Anonymous pages.
        dirty: Dirty pages.
        mapped: Pages mapped (printed only when it differs from ``anon`` and
            ``dirty``).
        mapmax: The largest number of processes mapping one of the pages
            (printed when above 1).
        swapcache: Pages in the swap cache.
        active: Pages on the active list (printed when not all are).
        writeback: Pages under writeback.
        nodes: Pages per NUMA node, ``{node: pages}``.
        kernel_page_size: The page size of the mapping, BYTES (printed in kB).
        extra: Other ``name=value`` words, as text.
    """

    address: int
    policy: str
    file: str | None
    flags: list[str]
    anon: int | None
    dirty: int | None
    mapped: int | None
    mapmax: int | None
    swapcache: int | None
    active: int | None
    writeback: int | None
    nodes: dict[int, int]
    kernel_page_size: int | None
    extra: dict[str, str]

    @property
    def pages(self) -> int:
        """Pages in memory, summed over the nodes."""
        return sum(self.nodes.values())


_COUNTS = {
    b"anon": 0,
    b"dirty": 1,
    b"mapped": 2,
    b"mapmax": 3,
    b"swapcache": 4,
    b"active": 5,
    b"writeback": 6,
}


def _line(line: bytes) -> NumaMap:
    fields = line.split(b" ")
    if len(fields) < 2 or not fields[0] or not fields[1]:
        raise ParseError("expected an address and a policy", line=line)
    address = int(fields[0], 16)
    file: str | None = None
    flags: list[str] = []
    counts: list[int | None] = [None] * 7
    nodes: dict[int, int] = {}
    page_size: int | None = None
    extra: dict[str, str] = {}
    for word in fields[2:]:
        if not word:
            continue
        name, eq, value = word.partition(b"=")
        if not eq:
            flags.append(decode(word))
        elif name == b"file":
            file = decode(unescape_octal(value))
        elif name in _COUNTS:
            counts[_COUNTS[name]] = int(value)
        elif name[:1] == b"N" and name[1:].isdigit():
            nodes[int(name[1:])] = int(value)
        elif name == b"kernelpagesize_kB":
            page_size = int(value) * 1024
        else:
            extra[decode(name)] = decode(value)
    return NumaMap._make(
        (address, decode(fields[1]), file, flags, *counts, nodes, page_size, extra)
    )


@parser("[pid]/numa_maps", "[pid]/task/[tid]/numa_maps", since="2.6.14 (CONFIG_NUMA)")
def parse_numa_maps(data: bytes) -> list[NumaMap]:
    """Parse ``/proc/[pid]/numa_maps`` into one :class:`NumaMap` per mapping."""
    return parse_lines(data, _line, "numa_maps")
