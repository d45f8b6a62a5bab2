"""``/proc/zoneinfo``: memory zones in detail (mm/vmstat.c).

One block per zone of each NUMA node::

    Node 0, zone   Normal
      per-node stats                    (first zone of each node, 4.8+)
          nr_inactive_anon 2353
          ...
      pages free     132048
            boost    0                  (5.0+)
            min      4263
            low      5328
            high     6393
            promo    7458               (6.x, NUMA tiering)
            spanned  262144
            present  262144
            managed  254085             (3.8+)
            cma      0                  (6.x, CONFIG_CMA)
            protection: (0, 0, 0, 0, 0)
          nr_free_pages 132048
          ...
      pagesets
        cpu: 0
                  count:    0
                  high:     2664
                  batch:    63
                  high_min: 2664        (6.7+)
                  high_max: 16384       (6.7+)
      vm stats threshold: 20
      node_unreclaimable:  0
      start_pfn:           1048576

A zone without memory (``Movable``, ``Device``) stops after ``protection``.
Older kernels print the per-zone counters before ``protection`` and other
``key: value`` lines after the pagesets (``all_unreclaimable``,
``prev_priority``, ``inactive_ratio``); they are kept. Every count here is
in PAGES (multiply by :func:`procfs.page_size` for bytes), except the event
counters (``numa_hit``, ``pgpromote_success``, ...), which count events.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Zone", "ZonePageset", "parse_zoneinfo"]


class ZonePageset(Record):
    """One CPU's list of free pages kept for fast allocation in a zone.

    Attributes:
        cpu: the CPU number.
        count: pages in the list now.
        high: the list is drained above this many pages.
        batch: pages moved to or from the buddy allocator at a time.
        high_min: (6.7) lowest value ``high`` is tuned to.
        high_max: (6.7) highest value ``high`` is tuned to.
        vm_stats_threshold: the CPU folds its counter deltas into the
            zone's counters when they exceed this (the ``vm stats
            threshold`` line after the pageset).
        extra: other values of the pageset, by name (``pcp`` of 2.6 kernels,
            which printed a hot and a cold list per CPU).
    """

    cpu: int
    count: int
    high: int
    batch: int
    high_min: int | None = None
    high_max: int | None = None
    vm_stats_threshold: int | None = None
    extra: dict[str, int] = {}


class Zone(Record):
    """One zone of one NUMA node; counts in PAGES.

    Attributes:
        node: the NUMA node number.
        zone: the zone name (``DMA``, ``DMA32``, ``Normal``, ``HighMem``,
            ``Movable``, ``Device``).
        free: free pages (``pages free``).
        min: the ``min`` watermark: below it only atomic and emergency
            allocations succeed.
        low: the ``low`` watermark: kswapd starts reclaiming below it.
        high: the ``high`` watermark: kswapd stops once free pages reach it.
        spanned: pages between the zone's first and last page frame, holes
            included.
        present: pages physically present in the zone.
        managed: (3.8) pages handed to the buddy allocator.
        boost: (5.0) temporary raise of the watermarks to limit fragmentation.
        promo: (6.x) watermark for promotion of pages between memory tiers.
        cma: (6.x, CONFIG_CMA) pages of the zone in the contiguous memory
            allocator's areas.
        protection: (``lowmem_reserve``) pages this zone keeps free against
            allocations that could have used each zone, by zone index.
        stats: the zone's counters (``nr_free_pages``, ``nr_zone_*``,
            ``numa_*``, ... and any other line ``name value`` of the zone),
            by name, as printed.
        node_stats: (4.8) the node's counters (the ``per-node stats`` block,
            printed with the first zone of each node), or ``None`` in the
            other zones.
        pagesets: the per-CPU page lists (none for an empty zone).
        node_unreclaimable: (4.8) kswapd gave up reclaiming on this node;
            ``None`` when not printed.
        start_pfn: (3.x) first page frame number of the zone.
        extra: other ``name: value`` lines of the zone (``all_unreclaimable``,
            ``prev_priority``, ``inactive_ratio`` of older kernels...).
    """

    node: int
    zone: str
    free: int
    min: int
    low: int
    high: int
    spanned: int
    present: int
    managed: int | None = None
    boost: int | None = None
    promo: int | None = None
    cma: int | None = None
    protection: tuple[int, ...] = ()
    stats: dict[str, int] = {}
    node_stats: dict[str, int] | None = None
    pagesets: tuple[ZonePageset, ...] = ()
    node_unreclaimable: bool | None = None
    start_pfn: int | None = None
    extra: dict[str, int] = {}


_REQUIRED = (b"min", b"low", b"high", b"spanned", b"present")
_OPTIONAL = (b"managed", b"boost", b"promo", b"cma")
_WATERMARKS = frozenset(_REQUIRED + _OPTIONAL)
_PAGESET_KEYS = frozenset((b"count", b"high", b"batch", b"high_min", b"high_max"))


class _Builder:
    """The parts of one zone block, gathered line by line."""

    __slots__ = ("extra", "fields", "free", "name", "node", "node_stats", "pagesets", "protection")

    def __init__(self, node: int, name: str) -> None:
        self.node = node
        self.name = name
        self.free: int | None = None
        self.fields: dict[bytes, int] = {}
        self.protection: tuple[int, ...] = ()
        self.node_stats: dict[str, int] | None = None
        self.pagesets: list[dict[bytes, int]] = []
        self.extra: dict[bytes, int] = {}

    def build(self, stats: dict[str, int]) -> Zone:
        if self.free is None:
            raise ParseError(f"zone {self.name} of node {self.node}: no 'pages free' line")
        fields = self.fields
        for key in _REQUIRED:
            if key not in fields:
                raise ParseError(f"zone {self.name} of node {self.node}: no {key.decode()!r}")
        extra = self.extra
        unreclaimable = extra.pop(b"node_unreclaimable", None)
        start_pfn = extra.pop(b"start_pfn", None)
        values: list[Any] = [self.node, self.name, self.free]
        values += [fields[key] for key in _REQUIRED]
        values += [fields.get(key) for key in _OPTIONAL]
        values += [
            self.protection,
            stats,
            self.node_stats,
            tuple(_pageset(self, pageset) for pageset in self.pagesets),
            None if unreclaimable is None else bool(unreclaimable),
            start_pfn,
            {decode(key): value for key, value in extra.items()},
        ]
        return Zone._make(values)


def _pageset(zone: _Builder, values: dict[bytes, int]) -> ZonePageset:
    pop = values.pop
    try:
        head = [pop(b"cpu"), pop(b"count"), pop(b"high"), pop(b"batch")]
    except KeyError as exc:
        raise ParseError(
            f"zone {zone.name} of node {zone.node}: a pageset has no {exc.args[0].decode()!r}"
        ) from None
    return ZonePageset(
        head[0],
        head[1],
        head[2],
        head[3],
        pop(b"high_min", None),
        pop(b"high_max", None),
        pop(b"vm stats threshold", None),
        {decode(key): value for key, value in values.items()},
    )


def _number(token: bytes, line: bytes, lineno: int) -> int:
    try:
        return int(token)
    except ValueError:
        raise ParseError("value is not an integer", line=line, lineno=lineno) from None


@parser("zoneinfo", since="2.6")
def parse_zoneinfo(data: bytes) -> list[Zone]:
    """Parse ``/proc/zoneinfo``: one :class:`Zone` per zone of each node."""
    zones: list[Zone] = []
    zone: _Builder | None = None
    stats: dict[str, int] = {}
    # where "name value" lines go: b"node" (per-node stats), b"zone" or b"pagesets"
    section = b""
    for lineno, line in enumerate(data.split(b"\n"), 1):
        text = line.strip()
        if not text:
            continue
        if line.startswith(b"Node "):
            fields = line.split()
            if len(fields) != 4 or fields[1][-1:] != b"," or fields[2] != b"zone":
                raise ParseError("expected 'Node N, zone NAME'", line=line, lineno=lineno)
            if zone is not None:
                zones.append(zone.build(stats))
            zone = _Builder(_number(fields[1][:-1], line, lineno), decode(fields[3]))
            stats = {}
            section = b""
            continue
        if zone is None:
            raise ParseError("no 'Node N, zone NAME' line first", line=line, lineno=lineno)
        if text == b"per-node stats":
            zone.node_stats = {}
            section = b"node"
        elif text.startswith(b"pages free"):
            fields = text.split()
            if len(fields) != 3:
                raise ParseError("expected 'pages free N'", line=line, lineno=lineno)
            zone.free = _number(fields[2], line, lineno)
            section = b"zone"
        elif text == b"pagesets":
            section = b"pagesets"
        elif b":" in text:
            key, _, value = text.partition(b":")
            key = key.strip()
            if key == b"protection":
                inner = value.strip()
                if inner[:1] != b"(" or inner[-1:] != b")":
                    raise ParseError("expected 'protection: (a, b, ...)'", line=line, lineno=lineno)
                zone.protection = tuple(
                    _number(item, line, lineno) for item in inner[1:-1].split(b",") if item.strip()
                )
            elif key == b"cpu":
                tokens = value.split()
                if not tokens:
                    raise ParseError("no CPU number", line=line, lineno=lineno)
                pageset = {b"cpu": _number(tokens[0], line, lineno)}
                # 2.6 kernels: "cpu: 0 pcp: 1" (a hot and a cold list per CPU)
                if len(tokens) == 3 and tokens[1] == b"pcp:":
                    pageset[b"pcp"] = _number(tokens[2], line, lineno)
                elif len(tokens) != 1:
                    raise ParseError(
                        "unexpected text after the CPU number", line=line, lineno=lineno
                    )
                zone.pagesets.append(pageset)
            elif zone.pagesets and (key in _PAGESET_KEYS or key == b"vm stats threshold"):
                current = zone.pagesets[-1]
                if key in current:
                    raise ParseError(f"{decode(key)} given twice", line=line, lineno=lineno)
                current[key] = _number(value.strip(), line, lineno)
            else:
                if key in zone.extra:
                    raise ParseError(f"{decode(key)} given twice", line=line, lineno=lineno)
                zone.extra[key] = _number(value.strip(), line, lineno)
        else:
            fields = text.split()
            if len(fields) != 2:
                raise ParseError("expected 'name value'", line=line, lineno=lineno)
            key, value = fields
            number = _number(value, line, lineno)
            node_stats = zone.node_stats
            if section == b"node" and node_stats is not None:
                node_stats[decode(key)] = number
            elif section == b"zone" and key in _WATERMARKS and key not in zone.fields:
                zone.fields[key] = number
            elif section:
                stats[decode(key)] = number
            else:
                raise ParseError("counter outside a section", line=line, lineno=lineno)
    if zone is None:
        raise ParseError("no zone")
    zones.append(zone.build(stats))
    return zones
