"""/proc/[pid]/pagemap range reads, entry decoding, and the clear_refs writer."""

from __future__ import annotations

import ctypes
import mmap
import os
import struct
import subprocess
import sys
import tempfile
import time

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.pagemap import PageEntry, decode_page_entry, parse_pagemap
from procfs.errors import ParseError

PAGE = mmap.PAGESIZE


def test_not_in_the_path_registry() -> None:
    # pagemap spans the whole address space: never read whole, so never registered
    assert "[pid]/pagemap" not in PARSERS


def test_decode_present_page() -> None:
    raw = (1 << 63) | (1 << 61) | (1 << 56) | (1 << 55) | 0xABCDE
    entry = decode_page_entry(raw)
    assert entry == PageEntry(
        present=True,
        swapped=False,
        pfn=0xABCDE,
        swap_type=None,
        swap_offset=None,
        soft_dirty=True,
        exclusive=True,
        file_or_shared=True,
        uffd_wp=False,
        guard=False,
        raw=raw,
    )


def test_decode_swapped_page() -> None:
    raw = (1 << 62) | (0x1234 << 5) | 3 | (1 << 57)
    entry = decode_page_entry(raw)
    assert (entry.present, entry.swapped, entry.pfn) == (False, True, None)
    assert (entry.swap_type, entry.swap_offset) == (3, 0x1234)
    assert entry.uffd_wp and not entry.soft_dirty


def test_decode_absent_page() -> None:
    entry = decode_page_entry(0)
    assert not entry.present and not entry.swapped and entry.pfn is None
    assert decode_page_entry(1 << 58).guard


def test_parse_native_words() -> None:
    words = [0, (1 << 63) | 5, (1 << 62) | (7 << 5) | 1]
    data = b"".join(struct.pack("=Q", w) for w in words)
    entries = parse_pagemap(data)
    assert [e.raw for e in entries] == words
    assert [e.present for e in entries] == [False, True, False]
    assert entries[1].pfn == 5
    assert entries[2].swap_offset == 7
    assert parse_pagemap(b"") == []
    with pytest.raises(ParseError):
        parse_pagemap(b"\0" * 12)


def _address(region: mmap.mmap) -> int:
    buffer = ctypes.c_char.from_buffer(region)
    address = ctypes.addressof(buffer)
    del buffer
    return address


def test_live_touched_pages_are_present() -> None:
    region = mmap.mmap(-1, 8 * PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        start = _address(region)
        region[0] = 1
        region[3 * PAGE] = 1
        me = procfs.Process.myself()
        entries = me.pagemap(start, start + 8 * PAGE)
        assert len(entries) == 8
        assert [e.present for e in entries] == [
            True,
            False,
            False,
            True,
            False,
            False,
            False,
            False,
        ]
        touched = entries[0]
        assert touched.exclusive and not touched.file_or_shared and not touched.swapped
        if os.geteuid() == 0:
            assert touched.pfn  # PFNs are shown to CAP_SYS_ADMIN only
        # one page by default; a range not on page boundaries is widened to whole pages
        assert me.pagemap(start + 3 * PAGE + 5) == [entries[3]]
        assert len(me.pagemap(start + 1, start + PAGE + 1)) == 2
        assert me.pagemap(start, start) == []
    finally:
        region.close()


def test_live_file_page_is_file_or_shared() -> None:
    with tempfile.TemporaryFile() as f:
        f.write(b"x" * PAGE)
        f.flush()
        region = mmap.mmap(f.fileno(), PAGE, access=mmap.ACCESS_READ)
        try:
            assert region[0] == ord("x")
            inode = os.fstat(f.fileno()).st_ino
            (entry,) = procfs.Process.myself().pagemap(_address_of_inode(inode))
            assert entry.present and entry.file_or_shared
        finally:
            region.close()


def _address_of_inode(inode: int) -> int:
    # a read-only mapping refuses writable buffer exports: find it in maps instead
    for mapping in procfs.Process.myself().maps():
        if mapping.inode == inode and mapping.size == PAGE:
            return mapping.start
    raise AssertionError("mapping not found")


def test_live_beyond_the_address_space_is_empty() -> None:
    me = procfs.Process.myself()
    (stack,) = [m for m in me.maps() if m.pathname.kind == "stack"]
    assert me.pagemap(1 << 63, (1 << 63) + PAGE) == []
    (top,) = me.pagemap(stack.end - PAGE, stack.end)
    assert top.present  # the top of the main thread's stack is in use


def test_bad_range() -> None:
    me = procfs.Process.myself()
    with pytest.raises(ValueError):
        me.pagemap(-1)
    with pytest.raises(ValueError):
        me.pagemap(2 * PAGE, PAGE)


def test_live_soft_dirty_cleared_then_set() -> None:
    region = mmap.mmap(-1, PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        start = _address(region)
        region[0] = 1
        me = procfs.Process.myself()
        try:
            me.clear_refs(4)
        except procfs.ProcError as exc:
            pytest.skip(f"cannot clear soft-dirty bits here: {exc}")
        (clean,) = me.pagemap(start)
        region[0] = 2
        (dirty,) = me.pagemap(start)
        if not dirty.soft_dirty:
            pytest.skip("no soft-dirty tracking (CONFIG_MEM_SOFT_DIRTY)")
        assert clean.present and not clean.soft_dirty
    finally:
        region.close()


_HWM_CHILD = """\
import sys
block = bytearray(64 * 1024 * 1024)
for i in range(0, len(block), 4096):
    block[i] = 1
del block
print("ready", flush=True)
sys.stdin.read()
"""


def _status_kb(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise AssertionError(key)


def test_clear_refs_5_resets_the_peak_rss_of_a_child() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HWM_CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        before = _status_kb(proc.pid, "VmHWM")
        rss = _status_kb(proc.pid, "VmRSS")
        assert before >= rss + 32 * 1024  # the 64 MiB block was freed
        handle = procfs.Process(proc.pid)
        try:
            handle.clear_refs(5)
        except procfs.ProcError as exc:
            pytest.skip(f"clear_refs 5 is not supported here (Linux 4.0+): {exc}")
        after = _status_kb(proc.pid, "VmHWM")
        assert after < before - 32 * 1024
        assert abs(after - _status_kb(proc.pid, "VmRSS")) < 4 * 1024
        for value in (1, 2, 3):
            handle.clear_refs(value)
        with pytest.raises(ValueError):
            handle.clear_refs(6)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
    time.sleep(0)
