"""/proc/kpagecount and /proc/kpageflags: hand-made words, a capture, and a page of ours."""

from __future__ import annotations

import ctypes
import mmap
import os
import struct
import sys

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.kpage import PageFlags, parse_kpagecount, parse_kpageflags
from tests.conftest import SAMPLES

_CAPTURE = str(SAMPLES / "dev-machine" / "proc")


def test_registered() -> None:
    assert PARSERS["kpagecount"] is parse_kpagecount
    assert PARSERS["kpageflags"] is parse_kpageflags


def test_handmade_flags() -> None:
    words = [
        0,
        1 << 10,  # a free block of the buddy allocator
        (1 << 3) | (1 << 5) | (1 << 11) | (1 << 12) | (1 << 14),  # an anonymous page in use
        1 << 20,  # no page frame here
        (1 << 15) | (1 << 22),  # head of a transparent huge page
        (1 << 7) | (1 << 32),  # slab page, plus a kernel-internal bit
        1 << 63,  # a bit nobody named
    ]
    flags = parse_kpageflags(struct.pack(f"={len(words)}Q", *words))
    assert flags == words
    assert all(type(flag) is PageFlags for flag in flags)
    empty, buddy, anon, nopage, thp, slab, unnamed = flags
    assert empty.names() == [] and repr(empty) == "PageFlags(0)"
    assert buddy.buddy and not buddy.lru and buddy == PageFlags.BUDDY
    assert anon == 22568
    assert anon.names() == ["UPTODATE", "LRU", "MMAP", "ANON", "SWAPBACKED"]
    assert anon.anon and anon.mmap and anon.lru and anon.uptodate and anon.swapbacked
    assert not (anon.active or anon.dirty or anon.locked or anon.unevictable)
    assert nopage.nopage and nopage.names() == ["NOPAGE"]
    assert thp.compound_head and thp.thp and not thp.compound_tail
    assert slab.slab and slab.names() == ["SLAB", "RESERVED"]
    assert unnamed.names() == ["BIT63"]
    assert parse_kpageflags(b"") == []


def test_every_documented_bit_has_its_property() -> None:
    names = [
        "LOCKED",
        "ERROR",
        "REFERENCED",
        "UPTODATE",
        "DIRTY",
        "LRU",
        "ACTIVE",
        "SLAB",
        "WRITEBACK",
        "RECLAIM",
        "BUDDY",
        "MMAP",
        "ANON",
        "SWAPCACHE",
        "SWAPBACKED",
        "COMPOUND_HEAD",
        "COMPOUND_TAIL",
        "HUGE",
        "UNEVICTABLE",
        "HWPOISON",
        "NOPAGE",
        "KSM",
        "THP",
        "OFFLINE",
        "ZERO_PAGE",
        "IDLE",
        "PGTABLE",
    ]  # Documentation/admin-guide/mm/pagemap.rst, bits 0 to 26
    for bit, name in enumerate(names):
        flags = PageFlags(1 << bit)
        assert getattr(PageFlags, name) == 1 << bit
        assert flags.names() == [name]
        assert getattr(flags, name.lower()) is True
        assert getattr(PageFlags(0), name.lower()) is False


def test_handmade_counts() -> None:
    counts = parse_kpagecount(struct.pack("=4Q", 0, 1, 3, 2**64 - 1))
    assert counts == [0, 1, 3, 2**64 - 1]


@pytest.mark.parametrize("data", [b"\0", b"\0" * 7, b"\0" * 9, b"\0" * 15])
def test_not_a_multiple_of_eight(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_kpageflags(data)
    with pytest.raises(ParseError):
        parse_kpagecount(data)


def test_dev_machine_capture() -> None:
    # The first 1024 PFNs of the dev machine: 0-255 reserved (firmware, kernel
    # data), the rest of the DMA zone free in buddy blocks, nothing mapped.
    fs = ProcFS(_CAPTURE)
    flags = fs.kpageflags(0, 1024)
    counts = fs.kpagecount(0, 1024)
    assert len(flags) == len(counts) == 1024
    assert all(flag.names() == ["RESERVED"] for flag in flags[:256])
    assert all(flag.buddy and not flag.mmap for flag in flags[256:])
    assert counts == [0] * 1024
    # a range is read alone; past the end of the file the list is short
    assert fs.kpageflags(250, 260) == flags[250:260]
    assert fs.kpageflags(1020, 4000) == flags[1020:]
    assert fs.kpagecount(2000, 3000) == []
    assert fs.kpageflags(5, 5) == []
    with pytest.raises(ValueError):
        fs.kpageflags(10, 5)
    with pytest.raises(ValueError):
        fs.kpagecount(-1, 5)


def _live_or_skip() -> ProcFS:
    if not os.path.exists("/proc/kpageflags"):
        pytest.skip("/proc/kpageflags missing (CONFIG_PROC_PAGE_MONITOR off)")
    if not os.access("/proc/kpageflags", os.R_OK):
        pytest.skip("/proc/kpageflags is for root")
    return ProcFS()


def test_live_free_pages_are_buddy_pages() -> None:
    fs = _live_or_skip()
    flags = fs.kpageflags(0, 65536)
    counts = fs.kpagecount(0, 65536)
    assert len(flags) == len(counts) > 0
    buddy = [pfn for pfn, flag in enumerate(flags) if flag.buddy]
    assert buddy, "no free page among the first 65536 page frames"
    # a free page is mapped nowhere
    assert all(counts[pfn] == 0 for pfn in buddy)


def test_live_page_of_ours() -> None:
    fs = _live_or_skip()
    size = mmap.PAGESIZE
    area = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        area[:5] = b"hello"  # fault the page in: anonymous memory, mapped once
        address = ctypes.addressof(ctypes.c_char.from_buffer(area))
        with open("/proc/self/pagemap", "rb") as pagemap:
            pagemap.seek(address // size * 8)
            (entry,) = struct.unpack("=Q", pagemap.read(8))
        pfn = entry & ((1 << 55) - 1)
        if not entry >> 63 & 1 or pfn == 0:
            pytest.skip("pagemap hides page frame numbers here")
        (flags,) = fs.kpageflags(pfn, pfn + 1)
        (count,) = fs.kpagecount(pfn, pfn + 1)
        assert flags.anon and flags.mmap, flags
        assert not (flags.buddy or flags.nopage or flags.slab), flags
        assert count == 1
    finally:
        area.close()


@pytest.mark.skipif(sys.byteorder != "little", reason="the hand-made bytes are little-endian")
def test_words_are_native_order() -> None:
    assert parse_kpagecount(b"\x01" + b"\0" * 7) == [1]
