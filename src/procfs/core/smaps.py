"""``/proc/[pid]/smaps`` and ``smaps_rollup``: memory use per mapping, and in total.

``smaps`` repeats, for each mapping, the ``maps`` line followed by one
``Key:  value kB`` line per counter and (since Linux 3.8) a ``VmFlags:``
line (see proc_pid_smaps(5) and Documentation/filesystems/proc.rst)::

    556628797000-556628799000 r--p 00000000 fe:00 260386     /usr/bin/head
    Size:                  8 kB
    KernelPageSize:        4 kB
    Rss:                   8 kB
    ...
    THPeligible:           0
    VmFlags: rd mr mw me

``smaps_rollup`` (Linux 4.14) has one such block for the whole process: its
header line spans all mappings and names ``[rollup]``; it has no ``VmFlags``.

Every ``kB`` value is given here in BYTES. The set of counters grew over the
years (``Pss_Dirty`` 6.0, ``KSM`` 6.7, ...): a counter the kernel does not
print is ``None``, and counters this module does not know are kept in
:attr:`SmapsUsage.extra`.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser
from procfs.core._record import Record
from procfs.core.maps import MemoryMap, MMapPath, parse_maps_line
from procfs.errors import ParseError

__all__ = ["SmapsEntry", "SmapsRollup", "SmapsUsage", "parse_smaps", "parse_smaps_rollup"]


class SmapsUsage(Record):
    """The counters of one ``smaps`` block (a mapping, or the rollup of all).

    Sizes are in BYTES (the kernel prints kB). ``None`` means the kernel did
    not print that counter.

    Attributes:
        size: Size of the mapping (``Size``), bytes.
        kernel_page_size: Page size the kernel uses for this mapping
            (``KernelPageSize``), bytes.
        mmu_page_size: Page size the MMU uses (``MMUPageSize``), bytes.
        rss: Memory currently resident (``Rss``), bytes.
        pss: Proportional set size (``Pss``): each page divided by the
            number of processes mapping it, bytes.
        pss_dirty: Dirty part of ``pss`` (``Pss_Dirty``), bytes.
        pss_anon: Anonymous part of ``pss`` (``Pss_Anon``, rollup only), bytes.
        pss_file: File-backed part of ``pss`` (``Pss_File``, rollup only), bytes.
        pss_shmem: Shared-memory part of ``pss`` (``Pss_Shmem``, rollup
            only), bytes.
        shared_clean: Unmodified pages also mapped by others, bytes.
        shared_dirty: Modified pages also mapped by others, bytes.
        private_clean: Unmodified pages mapped only here, bytes.
        private_dirty: Modified pages mapped only here, bytes.
        referenced: Memory marked as recently accessed, bytes.
        anonymous: Memory that belongs to no file, bytes.
        ksm: Memory shared through kernel same-page merging (``KSM``), bytes.
        lazy_free: Memory marked by ``MADV_FREE``, freed under pressure
            (``LazyFree``), bytes.
        anon_huge_pages: Anonymous memory backed by transparent huge pages,
            bytes.
        shmem_pmd_mapped: Shared memory mapped with huge pages
            (``ShmemPmdMapped``), bytes.
        file_pmd_mapped: File memory mapped with huge pages
            (``FilePmdMapped``), bytes.
        shared_hugetlb: hugetlbfs memory shared with others, bytes.
        private_hugetlb: hugetlbfs memory mapped only here, bytes.
        swap: Anonymous memory swapped out, bytes.
        swap_pss: Proportional share of ``swap`` (``SwapPss``), bytes.
        locked: Memory locked in RAM (``mlock``), bytes.
        thp_eligible: Whether the mapping may use transparent huge pages
            (``THPeligible``).
        protection_key: The memory protection key of the mapping
            (``ProtectionKey``, x86 with pkeys).
        extra: Counters this module does not know, by kernel name; values
            with a ``kB`` unit are in bytes, others as printed (``int``, or
            ``str`` when not a number).
    """

    size: int | None = None
    kernel_page_size: int | None = None
    mmu_page_size: int | None = None
    rss: int | None = None
    pss: int | None = None
    pss_dirty: int | None = None
    pss_anon: int | None = None
    pss_file: int | None = None
    pss_shmem: int | None = None
    shared_clean: int | None = None
    shared_dirty: int | None = None
    private_clean: int | None = None
    private_dirty: int | None = None
    referenced: int | None = None
    anonymous: int | None = None
    ksm: int | None = None
    lazy_free: int | None = None
    anon_huge_pages: int | None = None
    shmem_pmd_mapped: int | None = None
    file_pmd_mapped: int | None = None
    shared_hugetlb: int | None = None
    private_hugetlb: int | None = None
    swap: int | None = None
    swap_pss: int | None = None
    locked: int | None = None
    thp_eligible: bool | None = None
    protection_key: int | None = None
    extra: dict[str, int | str] = {}


class SmapsEntry(Record):
    """One mapping of ``/proc/[pid]/smaps``.

    Attributes:
        mapping: The region, as its ``maps`` line describes it.
        usage: Its memory counters (bytes).
        vm_flags: The two-letter kernel flags of the mapping (``VmFlags``,
            e.g. ``("rd", "wr", "mr", "mw", "me", "ac")``: ``rd`` readable,
            ``wr`` writable, ``ex`` executable, ``sh`` shared, ``gd`` stack
            grows down, ``lo`` locked, ``io`` I/O memory, ``dd`` not
            included in core dumps, ``ht`` hugetlb, ``hg``/``nh`` huge-page
            advice, ``sd`` soft-dirty, ...), in kernel order; ``None``
            before Linux 3.8.
    """

    mapping: MemoryMap
    usage: SmapsUsage
    vm_flags: tuple[str, ...] | None = None

    @property
    def address(self) -> tuple[int, int]:
        """``(start, end)`` of the mapping; ``end`` is exclusive."""
        return self.mapping.address

    @property
    def pathname(self) -> MMapPath:
        """What the region maps (see :class:`~procfs.core.maps.MMapPath`)."""
        return self.mapping.pathname

    @property
    def rss(self) -> int | None:
        """Resident memory of the mapping, bytes."""
        return self.usage.rss

    @property
    def pss(self) -> int | None:
        """Proportional set size of the mapping, bytes."""
        return self.usage.pss

    @property
    def swap(self) -> int | None:
        """Swapped-out memory of the mapping, bytes."""
        return self.usage.swap


class SmapsRollup(Record):
    """The whole process's memory counters, from ``/proc/[pid]/smaps_rollup``.

    Attributes:
        mapping: The header line: an address range from the first mapping's
            start to the last one's end, pathname ``[rollup]``.
        usage: The counters summed over all mappings (bytes); ``pss_anon``,
            ``pss_file`` and ``pss_shmem`` appear here only (Linux 5.7).
    """

    mapping: MemoryMap
    usage: SmapsUsage


_FIELDS: dict[bytes, int] = {
    name: index
    for index, name in enumerate(
        (
            b"Size",
            b"KernelPageSize",
            b"MMUPageSize",
            b"Rss",
            b"Pss",
            b"Pss_Dirty",
            b"Pss_Anon",
            b"Pss_File",
            b"Pss_Shmem",
            b"Shared_Clean",
            b"Shared_Dirty",
            b"Private_Clean",
            b"Private_Dirty",
            b"Referenced",
            b"Anonymous",
            b"KSM",
            b"LazyFree",
            b"AnonHugePages",
            b"ShmemPmdMapped",
            b"FilePmdMapped",
            b"Shared_Hugetlb",
            b"Private_Hugetlb",
            b"Swap",
            b"SwapPss",
            b"Locked",
            b"THPeligible",
            b"ProtectionKey",
        )
    )
}
_THP = _FIELDS[b"THPeligible"]
#: The header of a rollup of no mapping.
_EMPTY_ROLLUP = b"00000000-00000000 ---p 00000000 00:00 0                          [rollup]"
_EXTRA = len(_FIELDS)
_WIDTH = _EXTRA + 1
_FLAGS: dict[bytes, str] = {}


def _value(key: bytes, rest: bytes, lineno: int, line: bytes) -> int:
    parts = rest.split()
    try:
        if len(parts) == 2 and parts[1] == b"kB":
            return int(parts[0]) * 1024
        if len(parts) == 1:
            return int(parts[0])
    except ValueError:
        pass
    raise ParseError(f"value of {decode(key)} is not a number", line=line, lineno=lineno)


def _blocks(
    data: bytes,
) -> list[tuple[MemoryMap, list[object], tuple[str, ...] | None]]:
    """Split the file into (header, counter values, VmFlags) per block."""
    out: list[tuple[MemoryMap, list[object], tuple[str, ...] | None]] = []
    values: list[object] = []
    fields = _FIELDS
    for lineno, line in enumerate(lines(data), 1):
        key, colon, rest = line.partition(b":")
        index = fields.get(key)
        if index is not None and out:
            # the common case: "Rss:   8 kB"
            parts = rest.split()
            if len(parts) == 2 and parts[1] == b"kB" and parts[0].isdigit():
                values[index] = int(parts[0]) << 10
            else:
                value = _value(key, rest, lineno, line)
                values[index] = bool(value) if index == _THP else value
            continue
        if not line:
            continue
        if not colon or b" " in key:  # a mapping line: "start-end perms offset dev ..."
            try:
                header = parse_maps_line(line)
            except ParseError as exc:
                exc.lineno = lineno
                raise
            values = [None] * _WIDTH
            values[_EXTRA] = {}
            out.append((header, values, None))
            continue
        if not out:
            raise ParseError("a counter line before any mapping line", line=line, lineno=lineno)
        if key == b"VmFlags":
            flags = []
            for raw in rest.split():
                flag = _FLAGS.get(raw)
                if flag is None:
                    flag = _FLAGS.setdefault(raw, decode(raw))
                flags.append(flag)
            header, values, _ = out[-1]
            out[-1] = (header, values, tuple(flags))
        else:
            extra: dict[str, int | str] = values[_EXTRA]  # type: ignore[assignment]
            try:
                extra[decode(key.strip())] = _value(key, rest, lineno, line)
            except ParseError:
                extra[decode(key.strip())] = decode(rest.strip())
    return out


@parser("[pid]/smaps", "[pid]/task/[tid]/smaps", since="2.6.14 (VmFlags 3.8)")
def parse_smaps(data: bytes) -> list[SmapsEntry]:
    """Every mapping of ``/proc/[pid]/smaps`` with its counters, in address order.

    An empty file (a kernel thread) gives an empty list.
    """
    make_usage = SmapsUsage._make
    make_entry = SmapsEntry._make
    return [
        make_entry((header, make_usage(values), flags)) for header, values, flags in _blocks(data)
    ]


# One record (single_open since 4.19; 4.14 to 4.18 printed it at the last mapping and
# skipped the others): the first short read is all of it.
@parser(
    "[pid]/smaps_rollup",
    "[pid]/task/[tid]/smaps_rollup",
    read="single",
    record=SmapsRollup,
    since="4.14",
)
def parse_smaps_rollup(data: bytes) -> SmapsRollup:
    """Parse ``/proc/[pid]/smaps_rollup`` (one header line, then the summed counters).

    An empty file (what :meth:`procfs.Process.smaps_rollup` reads for a kernel
    thread, which has no memory of its own) is an empty range whose counters
    are all 0.
    """
    if not data:
        zeros: list[object] = [0] * _WIDTH
        zeros[_THP] = False
        zeros[_EXTRA] = {}
        return SmapsRollup(parse_maps_line(_EMPTY_ROLLUP), SmapsUsage._make(zeros))
    blocks = _blocks(data)
    if len(blocks) != 1:
        raise ParseError(f"expected one [rollup] block, found {len(blocks)}")
    header, values, _ = blocks[0]
    return SmapsRollup(header, SmapsUsage._make(values))
