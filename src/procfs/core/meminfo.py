"""``/proc/meminfo``: system-wide memory usage.

Each line is ``Key:   value kB`` (or a bare count for the ``HugePages_*``
lines). Sizes are converted to **bytes** (the kernel's "kB" is KiB: 1024
bytes); the ``HugePages_*`` values are page counts and stay counts.

Which keys appear depends on the kernel version, its configuration and the
architecture. A field whose key the file lacks is ``None``; only
``MemTotal`` and ``MemFree`` are required (every kernel, and every
emulation of the file such as gVisor's, prints them). Keys this module does
not know (``DirectMap1M`` on s390, keys added by future kernels) are kept in
:attr:`MemInfo.extra`, converted the same way.

A file of the usual form (every line ``Key: digits`` with `` kB`` or no
unit) is read without converting: a :class:`MemInfo` keeps each value's
text and converts the one read (a record converting on access, as ``Stat``
does; equality, ``to_dict()`` and pickling see the numbers).

Values are kept exactly as the kernel prints them, even when they are
absurd: a kernel whose swap accounting underflowed prints
``SwapFree: 18446744073708600176 kB``, which becomes an integer larger than
2**64 bytes here (Python integers do not overflow; the Rust crate saturates
instead). Check such values against ``swap_total`` before trusting them.
"""

from __future__ import annotations

from _operator import itemgetter as _itemgetter

from procfs.core._parse import MAX_DIGITS, decode, kb_map, layout_cache, parser
from procfs.core._record import Lazy, Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MemInfo", "parse_meminfo"]


def _size(text: bytes) -> int:
    """A value kept as the kernel's checked text, read: b"1024 kB" -> 1048576 bytes;
    b"5" -> 5 (a count: HugePages_*)."""
    return int(text[:-3]) << 10 if text[-1:] == b"B" else int(text)


class MemInfo(Record):
    """The content of ``/proc/meminfo``; sizes in bytes, ``None`` when absent.

    Field names follow the Rust ``procfs`` crate (snake case of the kernel
    key). The kernel key and the version that introduced it are given where
    it helps; "(CONFIG_X)" marks keys printed only with that option.

    Attributes:
        mem_total: ``MemTotal``: usable RAM, i.e. physical RAM less reserved
            areas and the kernel image.
        mem_free: ``MemFree``: RAM not used for anything (LowFree + HighFree).
        mem_available: ``MemAvailable`` (3.14): estimate of the memory
            available to start new programs without swapping.
        buffers: ``Buffers``: block-device buffers not part of the page cache.
        cached: ``Cached``: page cache of files read from disk (and tmpfs/shmem),
            not counting ``SwapCached``.
        swap_cached: ``SwapCached``: memory swapped out and back in that is
            still also in the swap area (dropping it costs no I/O).
        active: ``Active``: memory used recently, normally not reclaimed.
        inactive: ``Inactive``: memory used less recently, the first to be
            reclaimed.
        active_anon: ``Active(anon)`` (2.6.28): anonymous part of ``active``.
        inactive_anon: ``Inactive(anon)`` (2.6.28): anonymous part of ``inactive``.
        active_file: ``Active(file)`` (2.6.28): file-backed part of ``active``.
        inactive_file: ``Inactive(file)`` (2.6.28): file-backed part of ``inactive``.
        unevictable: ``Unevictable`` (2.6.28): pages that cannot be reclaimed
            (mlocked, ramfs, ...).
        mlocked: ``Mlocked`` (2.6.28): pages locked with mlock(2).
        high_total: ``HighTotal`` (CONFIG_HIGHMEM, 32-bit): total high memory,
            which the kernel does not map permanently.
        high_free: ``HighFree`` (CONFIG_HIGHMEM): free high memory.
        low_total: ``LowTotal`` (CONFIG_HIGHMEM): total low memory, usable
            by the kernel for its own data.
        low_free: ``LowFree`` (CONFIG_HIGHMEM): free low memory.
        mmap_copy: ``MmapCopy`` (no-MMU kernels): memory used for copies of
            mapped files.
        swap_total: ``SwapTotal``: total swap space.
        swap_free: ``SwapFree``: unused swap space.
        z_swap: ``Zswap`` (5.19, CONFIG_ZSWAP): memory used by the zswap
            compressed cache (compressed size).
        z_swapped: ``Zswapped`` (5.19, CONFIG_ZSWAP): anonymous memory held
            in zswap (uncompressed size).
        dirty: ``Dirty``: memory waiting to be written back to disk.
        writeback: ``Writeback``: memory being written back now.
        anon_pages: ``AnonPages`` (2.6.18): anonymous pages mapped into user
            page tables.
        mapped: ``Mapped``: files mapped with mmap(2), such as libraries.
        shmem: ``Shmem`` (2.6.32): shared memory and tmpfs(5) pages.
        k_reclaimable: ``KReclaimable`` (4.20): kernel allocations it will
            try to reclaim under pressure (includes ``s_reclaimable``).
        slab: ``Slab``: kernel slab caches.
        s_reclaimable: ``SReclaimable`` (2.6.19): reclaimable part of ``slab``.
        s_unreclaim: ``SUnreclaim`` (2.6.19): unreclaimable part of ``slab``.
        kernel_stack: ``KernelStack`` (2.6.32): memory of kernel stacks.
        shadow_call_stack: ``ShadowCallStack`` (5.8, CONFIG_SHADOW_CALL_STACK,
            arm64): memory of shadow call stacks.
        page_tables: ``PageTables`` (2.6.18): lowest level of page tables.
        secondary_page_tables: ``SecPageTables`` (6.1): secondary page tables
            (KVM MMU, IOMMU).
        quicklists: ``Quicklists`` (2.6.27 to 5.x, CONFIG_QUICKLIST):
            page-table quicklists.
        nfs_unstable: ``NFS_Unstable`` (2.6.18): NFS pages sent but not yet
            committed by the server (always 0 since 5.8).
        bounce: ``Bounce`` (2.6.18): block-device bounce buffers.
        writeback_tmp: ``WritebackTmp`` (2.6.26): FUSE temporary writeback buffers.
        commit_limit: ``CommitLimit`` (2.6.10): memory that may be committed
            under strict overcommit (vm.overcommit_memory = 2).
        committed_as: ``Committed_AS``: memory currently committed (allocated,
            whether used or not).
        vmalloc_total: ``VmallocTotal``: size of the vmalloc address space.
        vmalloc_used: ``VmallocUsed``: used part of the vmalloc area.
        vmalloc_chunk: ``VmallocChunk``: largest free contiguous vmalloc block
            (always 0 since 4.4).
        per_cpu: ``Percpu`` (4.15): memory of the per-CPU allocator.
        early_memtest_bad: ``EarlyMemtestBad`` (CONFIG_MEMTEST): RAM
            found bad by the boot-time memory test.
        hardware_corrupted: ``HardwareCorrupted`` (2.6.32,
            CONFIG_MEMORY_FAILURE): memory poisoned by hardware errors.
        anon_hugepages: ``AnonHugePages`` (2.6.38, THP): anonymous transparent
            huge pages.
        shmem_hugepages: ``ShmemHugePages`` (4.8, THP): shmem/tmpfs in huge pages.
        shmem_pmd_mapped: ``ShmemPmdMapped`` (4.8, THP): shmem mapped with huge pages.
        file_huge_pages: ``FileHugePages`` (5.4, THP): page cache in huge pages.
        file_pmd_mapped: ``FilePmdMapped`` (5.4, THP): page cache mapped with
            huge pages.
        cma_total: ``CmaTotal`` (3.1, CONFIG_CMA): contiguous memory allocator area.
        cma_free: ``CmaFree`` (3.1, CONFIG_CMA): free part of the CMA area.
        unaccepted: ``Unaccepted`` (6.5, CONFIG_UNACCEPTED_MEMORY): memory not
            yet accepted by the guest (confidential VMs).
        balloon: ``Balloon`` (recent kernels): memory taken by a balloon driver.
        hugepages_total: ``HugePages_Total`` (CONFIG_HUGETLB_PAGE): size of the
            huge page pool, in pages (a count, not bytes).
        hugepages_free: ``HugePages_Free``: huge pages not yet allocated (count).
        hugepages_rsvd: ``HugePages_Rsvd`` (2.6.17): huge pages promised but not
            yet allocated (count).
        hugepages_surp: ``HugePages_Surp`` (2.6.24): surplus huge pages above
            vm.nr_hugepages (count).
        hugepagesize: ``Hugepagesize``: size of a huge page, in bytes.
        hugetlb: ``Hugetlb``: memory of huge pages of every size.
        direct_map_4k: ``DirectMap4k`` (2.6.27, x86): RAM mapped by the
            kernel with 4 kB pages.
        direct_map_4M: ``DirectMap4M`` (x86 32-bit without PAE): RAM mapped
            with 4 MB pages.
        direct_map_2M: ``DirectMap2M`` (x86-64 or PAE): RAM mapped with 2 MB pages.
        direct_map_1G: ``DirectMap1G`` (x86-64 with gigabyte pages): RAM mapped
            with 1 GB pages.
        extra: every other key of the file, converted the same way (bytes,
            or a plain number when the kernel gives no unit).
    """

    mem_total: int
    mem_free: int
    mem_available: int | None = None
    buffers: int | None = None
    cached: int | None = None
    swap_cached: int | None = None
    active: int | None = None
    inactive: int | None = None
    active_anon: int | None = None
    inactive_anon: int | None = None
    active_file: int | None = None
    inactive_file: int | None = None
    unevictable: int | None = None
    mlocked: int | None = None
    high_total: int | None = None
    high_free: int | None = None
    low_total: int | None = None
    low_free: int | None = None
    mmap_copy: int | None = None
    swap_total: int | None = None
    swap_free: int | None = None
    z_swap: int | None = None
    z_swapped: int | None = None
    dirty: int | None = None
    writeback: int | None = None
    anon_pages: int | None = None
    mapped: int | None = None
    shmem: int | None = None
    k_reclaimable: int | None = None
    slab: int | None = None
    s_reclaimable: int | None = None
    s_unreclaim: int | None = None
    kernel_stack: int | None = None
    shadow_call_stack: int | None = None
    page_tables: int | None = None
    secondary_page_tables: int | None = None
    quicklists: int | None = None
    nfs_unstable: int | None = None
    bounce: int | None = None
    writeback_tmp: int | None = None
    commit_limit: int | None = None
    committed_as: int | None = None
    vmalloc_total: int | None = None
    vmalloc_used: int | None = None
    vmalloc_chunk: int | None = None
    per_cpu: int | None = None
    early_memtest_bad: int | None = None
    hardware_corrupted: int | None = None
    anon_hugepages: int | None = None
    shmem_hugepages: int | None = None
    shmem_pmd_mapped: int | None = None
    file_huge_pages: int | None = None
    file_pmd_mapped: int | None = None
    cma_total: int | None = None
    cma_free: int | None = None
    unaccepted: int | None = None
    balloon: int | None = None
    hugepages_total: int | None = None
    hugepages_free: int | None = None
    hugepages_rsvd: int | None = None
    hugepages_surp: int | None = None
    hugepagesize: int | None = None
    hugetlb: int | None = None
    direct_map_4k: int | None = None
    direct_map_4M: int | None = None
    direct_map_2M: int | None = None
    direct_map_1G: int | None = None
    extra: dict[str, int] = {}

    # The quick reading keeps each value's text (checked: digits, then " kB"
    # or nothing); the strict one and callers store ints or None.
    __lazy__ = Lazy(_size, extra=None)


# The kernel keys of the optional fields, in the order of the fields above.
_KEYS = (
    "MemAvailable",
    "Buffers",
    "Cached",
    "SwapCached",
    "Active",
    "Inactive",
    "Active(anon)",
    "Inactive(anon)",
    "Active(file)",
    "Inactive(file)",
    "Unevictable",
    "Mlocked",
    "HighTotal",
    "HighFree",
    "LowTotal",
    "LowFree",
    "MmapCopy",
    "SwapTotal",
    "SwapFree",
    "Zswap",
    "Zswapped",
    "Dirty",
    "Writeback",
    "AnonPages",
    "Mapped",
    "Shmem",
    "KReclaimable",
    "Slab",
    "SReclaimable",
    "SUnreclaim",
    "KernelStack",
    "ShadowCallStack",
    "PageTables",
    "SecPageTables",
    "Quicklists",
    "NFS_Unstable",
    "Bounce",
    "WritebackTmp",
    "CommitLimit",
    "Committed_AS",
    "VmallocTotal",
    "VmallocUsed",
    "VmallocChunk",
    "Percpu",
    "EarlyMemtestBad",
    "HardwareCorrupted",
    "AnonHugePages",
    "ShmemHugePages",
    "ShmemPmdMapped",
    "FileHugePages",
    "FilePmdMapped",
    "CmaTotal",
    "CmaFree",
    "Unaccepted",
    "Balloon",
    "HugePages_Total",
    "HugePages_Free",
    "HugePages_Rsvd",
    "HugePages_Surp",
    "Hugepagesize",
    "Hugetlb",
    "DirectMap4k",
    "DirectMap4M",
    "DirectMap2M",
    "DirectMap1G",
)


_make = MemInfo._make
_NONES = (None,) * len(_KEYS)
# The kernel key of each field but extra, by its place in the record.
_FIELD_OF_KEY = {key.encode(): index for index, key in enumerate(("MemTotal", "MemFree", *_KEYS))}


class _Layout:
    """Where the values are in a meminfo file of one shape (see :func:`parse_meminfo`)."""

    __slots__ = ("extra", "fixed", "pick", "take")

    def __init__(self, data: bytes) -> None:
        """Raises ValueError unless every line of ``data`` is ``Key: digits [kB]``
        (at most MAX_DIGITS digits)."""
        if data[-1:] != b"\n":
            raise ValueError("no final newline")
        places: dict[bytes, slice] = {}
        keys_with_digits = []  # the digits of a key are not part of the shape
        start = 0
        for line in data[:-1].split(b"\n"):
            end = start + len(line)
            key, colon, value = line.partition(b":")
            number = value.lstrip(b" ")
            digits = number[:-3] if number[-3:] == b" kB" else number
            if not colon or not key or key.strip() != key or not digits.isdigit() or key in places:
                raise ValueError(f"not the usual line: {line!r}")
            if len(digits) > MAX_DIGITS:
                raise ValueError(f"a value of more than {MAX_DIGITS} digits: {line[:80]!r}")
            places[key] = slice(end - len(number), end)
            if key.translate(None, b"0123456789") != key:
                keys_with_digits.append((slice(start, start + len(key)), key))
            start = end + 1
        if b"MemTotal" not in places or b"MemFree" not in places:
            raise ValueError("no MemTotal or MemFree")  # for the strict reading to report
        known = [
            (_FIELD_OF_KEY[key], where) for key, where in places.items() if key in _FIELD_OF_KEY
        ]
        known.sort()
        extra = [(decode(key), where) for key, where in places.items() if key not in _FIELD_OF_KEY]
        #: The value texts of the known fields in record order, then those of the extra keys.
        self.take = _itemgetter(*(where for _, where in known), *(where for _, where in extra))
        #: The record's fields from take()'s result followed by None.
        place = {field: rank for rank, (field, _) in enumerate(known)}
        missing = len(known) + len(extra)
        self.pick = _itemgetter(*(place.get(field, missing) for field in range(len(_FIELD_OF_KEY))))
        self.extra = tuple(name for name, _ in extra)
        self.fixed = tuple(keys_with_digits)


#: The layout of the last file read, while the files keep its shape.
_layouts = layout_cache(_Layout)


@parser("meminfo", read="single", since="2.6 (MemAvailable 3.14)")
def parse_meminfo(data: bytes) -> MemInfo:
    """Parse ``/proc/meminfo`` (sizes in bytes; see :class:`MemInfo`).

    The kernel prints the same keys, units and paddings every time; only the
    digits change (and the padding when a number changes width). A file of
    the shape of the last one read has its values at the same places (see
    :func:`~procfs.core._parse.layout_cache`): they are taken by slicing,
    kept as text and converted when read.
    """
    layout = _layouts(data)
    if layout is None:
        return _parse_strict(data)
    values = layout.take(data)
    extra = {}
    if layout.extra:
        extra = dict(zip(layout.extra, map(_size, values[-len(layout.extra) :]), strict=True))
    return _make((*layout.pick((*values, None)), extra))


def _parse_strict(data: bytes) -> MemInfo:
    """The line-by-line reading of any file (names the line at fault)."""
    values = kb_map(data)
    mem_total = values.pop("MemTotal", None)
    mem_free = values.pop("MemFree", None)
    if mem_total is None or mem_free is None:
        raise ParseError("MemTotal or MemFree is missing")
    fields: list[Any] = [mem_total, mem_free]
    fields += map(values.pop, _KEYS, _NONES)
    fields.append(values)
    return _make(fields)
