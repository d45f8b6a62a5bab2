"""``/proc/kpagecount`` and ``/proc/kpageflags``: one 64-bit word per page frame.

Both files (2.6.25, CONFIG_PROC_PAGE_MONITOR; readable by root only) are
arrays indexed by page frame number (PFN): the word of PFN ``n`` is at byte
offset ``8 * n``. The kernel refuses (EINVAL) a read that does not start on
an 8-byte boundary or whose size is not a multiple of 8, and returns fewer
words (or none) past the highest PFN. Nothing in the file says where memory
holes are: a PFN with no page frame reads as 0 (kpagecount) or as
``NOPAGE`` (kpageflags).

* ``kpagecount``: how many times each page is mapped into page tables
  (0 for a free or kernel-only page). For a large folio recent kernels give
  the average mapping count of its pages, at least 1 when any is mapped.
* ``kpageflags``: flags describing each page (see :class:`PageFlags` and the
  kernel's Documentation/admin-guide/mm/pagemap.rst).

The parsers take the BYTES OF A RANGE of the file, not the whole file
(``/proc/kpageflags`` holds 8 bytes per page of RAM): ``len(data)`` must be
a multiple of 8, and the result holds one value per PFN of the range, in
order. The words are read in this machine's byte order (the kernel writes
native 64-bit integers); a capture from a machine of the other byte order
must be swapped first. :func:`procfs.system.kpageflags` and
:func:`procfs.system.kpagecount` read a range ``[start_pfn, end_pfn)`` with
``os.pread``.
"""

from __future__ import annotations

from procfs.core._parse import parser
from procfs.errors import ParseError

__all__ = ["PageFlags", "parse_kpagecount", "parse_kpageflags"]


class PageFlags(int):
    """The flags of one page frame, from ``/proc/kpageflags`` (an ``int``).

    Each property tests one bit (``KPF_*`` of <linux/kernel-page-flags.h>);
    the class attributes of the same name in capitals are the bit masks
    (``flags & PageFlags.BUDDY``). Bit 23 was ``BALLOON`` from 3.18 to 5.0.
    Bits 32 and up are kernel-internal ("subject to change, never rely on
    them"); :meth:`names` names those it knows.
    """

    __slots__ = ()

    LOCKED = 1 << 0
    ERROR = 1 << 1
    REFERENCED = 1 << 2
    UPTODATE = 1 << 3
    DIRTY = 1 << 4
    LRU = 1 << 5
    ACTIVE = 1 << 6
    SLAB = 1 << 7
    WRITEBACK = 1 << 8
    RECLAIM = 1 << 9
    BUDDY = 1 << 10
    MMAP = 1 << 11
    ANON = 1 << 12
    SWAPCACHE = 1 << 13
    SWAPBACKED = 1 << 14
    COMPOUND_HEAD = 1 << 15
    COMPOUND_TAIL = 1 << 16
    HUGE = 1 << 17
    UNEVICTABLE = 1 << 18
    HWPOISON = 1 << 19
    NOPAGE = 1 << 20
    KSM = 1 << 21
    THP = 1 << 22
    OFFLINE = 1 << 23
    ZERO_PAGE = 1 << 24
    IDLE = 1 << 25
    PGTABLE = 1 << 26

    @property
    def locked(self) -> bool:
        """Bit 0: locked for exclusive access (for example during I/O)."""
        return bool(self & 0x1)

    @property
    def error(self) -> bool:
        """Bit 1: an I/O error occurred on the page."""
        return bool(self & 0x2)

    @property
    def referenced(self) -> bool:
        """Bit 2: referenced since it was last put on or moved in an LRU list."""
        return bool(self & 0x4)

    @property
    def uptodate(self) -> bool:
        """Bit 3: holds up-to-date data (for a file page: at least as new as on disk)."""
        return bool(self & 0x8)

    @property
    def dirty(self) -> bool:
        """Bit 4: written to: holds data newer than the disk's."""
        return bool(self & 0x10)

    @property
    def lru(self) -> bool:
        """Bit 5: on one of the LRU lists."""
        return bool(self & 0x20)

    @property
    def active(self) -> bool:
        """Bit 6: on the active LRU list."""
        return bool(self & 0x40)

    @property
    def slab(self) -> bool:
        """Bit 7: owned by the slab allocator (head page only for a compound page)."""
        return bool(self & 0x80)

    @property
    def writeback(self) -> bool:
        """Bit 8: being written back to disk."""
        return bool(self & 0x100)

    @property
    def reclaim(self) -> bool:
        """Bit 9: to be reclaimed as soon as its write-back completes."""
        return bool(self & 0x200)

    @property
    def buddy(self) -> bool:
        """Bit 10: a free block of the buddy allocator (set on the block's first page)."""
        return bool(self & 0x400)

    @property
    def mmap(self) -> bool:
        """Bit 11: mapped into a process (2.6.31)."""
        return bool(self & 0x800)

    @property
    def anon(self) -> bool:
        """Bit 12: mapped and not backed by a file: anonymous memory (2.6.31)."""
        return bool(self & 0x1000)

    @property
    def swapcache(self) -> bool:
        """Bit 13: in the swap cache: has a swap entry (2.6.31)."""
        return bool(self & 0x2000)

    @property
    def swapbacked(self) -> bool:
        """Bit 14: backed by swap or RAM, not by a file (2.6.31)."""
        return bool(self & 0x4000)

    @property
    def compound_head(self) -> bool:
        """Bit 15: first page of a compound page (2.6.31)."""
        return bool(self & 0x8000)

    @property
    def compound_tail(self) -> bool:
        """Bit 16: a following page of a compound page (2.6.31)."""
        return bool(self & 0x10000)

    @property
    def huge(self) -> bool:
        """Bit 17: part of a hugetlbfs huge page (2.6.31)."""
        return bool(self & 0x20000)

    @property
    def unevictable(self) -> bool:
        """Bit 18: on the unevictable list: mlocked, ramfs, SHM_LOCK (2.6.31)."""
        return bool(self & 0x40000)

    @property
    def hwpoison(self) -> bool:
        """Bit 19: poisoned by a hardware memory error (2.6.31)."""
        return bool(self & 0x80000)

    @property
    def nopage(self) -> bool:
        """Bit 20: no page frame exists at this PFN (2.6.31)."""
        return bool(self & 0x100000)

    @property
    def ksm(self) -> bool:
        """Bit 21: merged by KSM: shared between identical pages of processes (2.6.32)."""
        return bool(self & 0x200000)

    @property
    def thp(self) -> bool:
        """Bit 22: part of a transparent huge page (3.4)."""
        return bool(self & 0x400000)

    @property
    def offline(self) -> bool:
        """Bit 23: logically offline, e.g. taken by a balloon driver (5.1; BALLOON from 3.18)."""
        return bool(self & 0x800000)

    @property
    def zero_page(self) -> bool:
        """Bit 24: the zero page or the huge zero page (4.0)."""
        return bool(self & 0x1000000)

    @property
    def idle(self) -> bool:
        """Bit 25: not accessed since marked idle (4.3; may be stale, see idle page tracking)."""
        return bool(self & 0x2000000)

    @property
    def pgtable(self) -> bool:
        """Bit 26: in use as a page table (5.1)."""
        return bool(self & 0x4000000)

    def names(self) -> list[str]:
        """The names of the bits that are set (``["UPTODATE", "LRU", "MMAP", "ANON"]``).

        Unnamed bits show as ``"BIT<n>"``.
        """
        out = []
        value = int(self)
        bit = 0
        while value:
            if value & 1:
                out.append(_NAMES.get(bit) or f"BIT{bit}")
            value >>= 1
            bit += 1
        return out

    def __repr__(self) -> str:
        return f"PageFlags({'|'.join(self.names()) or '0'})"


_NAMES = {
    0: "LOCKED",
    1: "ERROR",
    2: "REFERENCED",
    3: "UPTODATE",
    4: "DIRTY",
    5: "LRU",
    6: "ACTIVE",
    7: "SLAB",
    8: "WRITEBACK",
    9: "RECLAIM",
    10: "BUDDY",
    11: "MMAP",
    12: "ANON",
    13: "SWAPCACHE",
    14: "SWAPBACKED",
    15: "COMPOUND_HEAD",
    16: "COMPOUND_TAIL",
    17: "HUGE",
    18: "UNEVICTABLE",
    19: "HWPOISON",
    20: "NOPAGE",
    21: "KSM",
    22: "THP",
    23: "OFFLINE",
    24: "ZERO_PAGE",
    25: "IDLE",
    26: "PGTABLE",
    # kernel-internal (include/linux/kernel-page-flags.h)
    32: "RESERVED",
    33: "MLOCKED",
    34: "MAPPEDTODISK",
    35: "PRIVATE",
    36: "PRIVATE_2",
    37: "OWNER_PRIVATE",
    38: "ARCH",
    39: "UNCACHED",
    40: "SOFTDIRTY",
    41: "ARCH_2",
}


def _words(data: bytes) -> list[int]:
    if len(data) % 8:
        raise ParseError(f"size {len(data)} is not a multiple of 8 bytes")
    # "Q": native unsigned 64-bit integers, in the machine's byte order
    return memoryview(data).cast("Q").tolist()


@parser("kpagecount", since="2.6.25 (root only)")
def parse_kpagecount(data: bytes) -> list[int]:
    """Parse a range of ``/proc/kpagecount``: the mapping count of each PFN in it.

    ``data`` is a multiple of 8 bytes read from the file (see the module notes).
    """
    return _words(data)


@parser("kpageflags", since="2.6.25 (root only)")
def parse_kpageflags(data: bytes) -> list[PageFlags]:
    """Parse a range of ``/proc/kpageflags``: the :class:`PageFlags` of each PFN in it.

    ``data`` is a multiple of 8 bytes read from the file (see the module notes).
    """
    return list(map(PageFlags, _words(data)))
