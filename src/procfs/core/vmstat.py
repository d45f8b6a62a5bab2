"""``/proc/vmstat``: virtual-memory counters of the whole system.

One ``name value`` pair per line (``nr_free_pages 979908``). The set of
names changes with nearly every kernel release and with the configuration
(2.6.18 prints about 50, 6.x more than 190), so only a few long-lived
counters get their own field here; every line is also kept, in the kernel's
order, in :attr:`VmStat.counters`.

Values are kept as the kernel prints them: ``nr_*`` items are mostly page
counts (gauges), the other items are event counters since boot. Two units
differ and are not converted: ``pgpgin`` and ``pgpgout`` count KiB (the
kernel halves its sector count before printing), and ``nr_kernel_stack``
counts KiB since 4.9 (pages before). Multiply page counts by
:func:`procfs.page_size` for bytes.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["VmStat", "parse_vmstat"]


class VmStat(Record):
    """The content of ``/proc/vmstat``; ``None`` for a counter the kernel does not print.

    The kernel version that added a counter is given where it helps.

    Attributes:
        nr_free_pages: (2.6.21) free pages.
        nr_inactive_anon: (2.6.28) anonymous pages on the inactive LRU list.
        nr_active_anon: (2.6.28) anonymous pages on the active LRU list.
        nr_inactive_file: (2.6.28) page-cache pages on the inactive LRU list.
        nr_active_file: (2.6.28) page-cache pages on the active LRU list.
        nr_unevictable: (2.6.28) pages that cannot be reclaimed (mlocked,
            ramfs, ...).
        nr_mlock: (2.6.28) pages locked with mlock(2).
        nr_anon_pages: (2.6.18) anonymous pages mapped into user page tables.
        nr_mapped: pages mapped into user page tables by mmap(2) of files.
        nr_file_pages: pages of the page cache.
        nr_dirty: pages waiting to be written back.
        nr_writeback: pages being written back now.
        nr_slab_reclaimable: (2.6.19) pages of slab caches that can be
            reclaimed (before 2.6.19 see ``counters["nr_slab"]``).
        nr_slab_unreclaimable: (2.6.19) pages of slab caches that cannot.
        nr_page_table_pages: pages of page tables.
        nr_shmem: (2.6.32) pages of shared memory and tmpfs.
        nr_dirtied: (2.6.37) pages dirtied since boot.
        nr_written: (2.6.37) pages written back since boot.
        pgpgin: KiB read from block devices since boot (not pages).
        pgpgout: KiB written to block devices since boot (not pages).
        pswpin: pages swapped in since boot.
        pswpout: pages swapped out since boot.
        pgfree: pages freed since boot.
        pgactivate: pages moved from the inactive to the active list.
        pgdeactivate: pages moved from the active to the inactive list.
        pgfault: page faults since boot (minor and major).
        pgmajfault: major page faults since boot (the ones that needed I/O).
        pgsteal_kswapd: (4.8; per zone before) pages reclaimed by kswapd.
        pgsteal_direct: (4.8; per zone before) pages reclaimed by
            allocating tasks (direct reclaim).
        pgscan_kswapd: (4.8; per zone before) pages scanned by kswapd.
        pgscan_direct: (4.8; per zone before) pages scanned by direct reclaim.
        oom_kill: (4.13) processes killed by the out-of-memory killer.
        counters: every ``name: value`` pair of the file, in the kernel's
            order (the fields above included).
    """

    nr_free_pages: int | None = None
    nr_inactive_anon: int | None = None
    nr_active_anon: int | None = None
    nr_inactive_file: int | None = None
    nr_active_file: int | None = None
    nr_unevictable: int | None = None
    nr_mlock: int | None = None
    nr_anon_pages: int | None = None
    nr_mapped: int | None = None
    nr_file_pages: int | None = None
    nr_dirty: int | None = None
    nr_writeback: int | None = None
    nr_slab_reclaimable: int | None = None
    nr_slab_unreclaimable: int | None = None
    nr_page_table_pages: int | None = None
    nr_shmem: int | None = None
    nr_dirtied: int | None = None
    nr_written: int | None = None
    pgpgin: int | None = None
    pgpgout: int | None = None
    pswpin: int | None = None
    pswpout: int | None = None
    pgfree: int | None = None
    pgactivate: int | None = None
    pgdeactivate: int | None = None
    pgfault: int | None = None
    pgmajfault: int | None = None
    pgsteal_kswapd: int | None = None
    pgsteal_direct: int | None = None
    pgscan_kswapd: int | None = None
    pgscan_direct: int | None = None
    oom_kill: int | None = None
    counters: dict[str, int] = {}

    def get(self, name: str, default: int | None = None) -> int | None:
        """The counter ``name`` (any line of the file), or ``default``."""
        return self.counters.get(name, default)


# The fields above, in order (all but ``counters``); names are the kernel's.
_NAMES = VmStat._fields[:-1]


@parser("vmstat", since="2.6")
def parse_vmstat(data: bytes) -> VmStat:
    """Parse ``/proc/vmstat`` (see :class:`VmStat`)."""
    counters: dict[str, int] = {}
    for lineno, line in enumerate(data.split(b"\n"), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2:
            raise ParseError(
                f"expected 'name value', found {len(fields)} fields", line=line, lineno=lineno
            )
        name, value = fields
        try:
            counters[decode(name)] = int(value)
        except ValueError:
            raise ParseError("value is not an integer", line=line, lineno=lineno) from None
    if not counters:
        raise ParseError("no counters")
    get = counters.get
    values: list[Any] = [get(name) for name in _NAMES]
    values.append(counters)
    return VmStat._make(values)
