"""``/proc/[pid]/pagemap``: what each virtual page of a process maps to.

Binary: one native 64-bit word per virtual page, at file offset
``(address // page_size) * 8`` (Documentation/admin-guide/mm/pagemap.rst)::

    bits 0-54  page frame number (PFN), if present
    bits 0-4   swap type, if swapped
    bits 5-54  swap offset, if swapped
    bit  55    the PTE is soft-dirty (Linux 3.11)
    bit  56    the page is exclusively mapped (Linux 4.2)
    bit  57    the PTE is write-protected by userfaultfd (Linux 5.13)
    bit  58    the PTE is a guard region (Linux 6.15)
    bit  61    the page is a file page or shared anonymous (Linux 3.5)
    bit  62    the page is swapped
    bit  63    the page is present in RAM

Since Linux 4.2 the PFN reads as 0 unless the reader has CAP_SYS_ADMIN
(4.0 and 4.1 let only CAP_SYS_ADMIN read the file at all).

The file spans the whole virtual address space (hundreds of gigabytes for a
64-bit process), so it is never read whole: :meth:`procfs.Process.pagemap`
reads only the words of the pages asked for. For the same reason the parser
is not in the path registry (``procfs.core.PARSERS``), whose users read a
file whole before parsing it.
"""

from __future__ import annotations

from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["PageEntry", "decode_page_entry", "parse_pagemap"]

_PFN_MASK = (1 << 55) - 1
_SOFT_DIRTY = 1 << 55
_EXCLUSIVE = 1 << 56
_UFFD_WP = 1 << 57
_GUARD = 1 << 58
_FILE_SHARED = 1 << 61
_SWAPPED = 1 << 62
_PRESENT = 1 << 63


class PageEntry(Record):
    """One page of ``/proc/[pid]/pagemap``.

    Attributes:
        present: The page is in RAM.
        swapped: The page is in swap.
        pfn: The page frame number, when present (0 when the reader lacks
            CAP_SYS_ADMIN, Linux 4.2 on); else ``None``.
        swap_type: The swap area's number, when swapped; else ``None``.
        swap_offset: The page's offset in that swap area (in pages), when
            swapped; else ``None``.
        soft_dirty: The page was written since the soft-dirty bits were last
            cleared (``clear_refs`` with 4).
        exclusive: The page is mapped by this process only.
        file_or_shared: The page is a file page or shared anonymous memory.
        uffd_wp: The page is write-protected by userfaultfd.
        guard: The page is a guard region (``MADV_GUARD_INSTALL``).
        raw: The 64-bit word as the kernel wrote it.
    """

    present: bool
    swapped: bool
    pfn: int | None
    swap_type: int | None
    swap_offset: int | None
    soft_dirty: bool
    exclusive: bool
    file_or_shared: bool
    uffd_wp: bool
    guard: bool
    raw: int


def decode_page_entry(raw: int) -> PageEntry:
    """The :class:`PageEntry` of one 64-bit pagemap word."""
    present = bool(raw & _PRESENT)
    swapped = bool(raw & _SWAPPED)
    low = raw & _PFN_MASK
    return PageEntry._make(
        (
            present,
            swapped,
            low if present else None,
            low & 0x1F if swapped else None,
            low >> 5 if swapped else None,
            bool(raw & _SOFT_DIRTY),
            bool(raw & _EXCLUSIVE),
            bool(raw & _FILE_SHARED),
            bool(raw & _UFFD_WP),
            bool(raw & _GUARD),
            raw,
        )
    )


def parse_pagemap(data: bytes) -> list[PageEntry]:
    """The entries of consecutive pages from bytes of ``pagemap`` (8 bytes a page).

    Raises :class:`~procfs.errors.ParseError` if the length is not a multiple
    of 8.
    """
    if len(data) % 8:
        raise ParseError(f"{len(data)} bytes are not whole 8-byte pagemap entries")
    seen: dict[int, PageEntry] = {}
    out: list[PageEntry] = []
    append = out.append
    for raw in memoryview(data).cast("Q").tolist():
        entry = seen.get(raw)
        if entry is None:
            entry = seen[raw] = decode_page_entry(raw)
        append(entry)
    return out
