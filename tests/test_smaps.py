"""/proc/[pid]/smaps and smaps_rollup: samples with hand-checked values, and the live process."""

from __future__ import annotations

import ctypes
import mmap

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.maps import MMapPath
from procfs.core.smaps import SmapsUsage, parse_smaps, parse_smaps_rollup
from procfs.errors import ParseError
from tests.conftest import sample

KB = 1024


def test_registered() -> None:
    assert PARSERS["[pid]/smaps"] is parse_smaps
    assert PARSERS["[pid]/task/[tid]/smaps"] is parse_smaps
    assert PARSERS["[pid]/smaps_rollup"] is parse_smaps_rollup
    assert PARSERS["[pid]/task/[tid]/smaps_rollup"] is parse_smaps_rollup


def test_prometheus_sample_sums_to_its_rollup() -> None:
    entries = parse_smaps(sample("prometheus-fixtures/proc/26231/smaps"))
    # 12 mapping lines, each with a VmFlags line (counted with grep)
    assert len(entries) == 12
    first = entries[0]
    assert first.address == (0x00400000, 0x00CB1000)
    assert first.pathname == MMapPath("path", "/bin/alertmanager")
    assert first.usage.size == 8900 * KB == 0xCB1000 - 0x400000
    assert first.usage.kernel_page_size == 4 * KB
    assert first.rss == first.pss == first.usage.private_clean == 2952 * KB
    assert first.usage.referenced == 2864 * KB
    assert first.usage.lazy_free == 0 and first.usage.shmem_pmd_mapped == 0
    assert first.vm_flags == ("rd", "ex", "mr", "mw", "me", "dw", "sd")
    # a 4.x kernel: no Pss_Dirty, KSM, FilePmdMapped, THPeligible
    assert first.usage.pss_dirty is None and first.usage.ksm is None
    assert first.usage.thp_eligible is None and first.usage.extra == {}
    assert entries[-1].pathname == MMapPath("vsyscall")
    assert entries[-1].vm_flags == ("rd", "ex")
    # totals worked out with awk over the file: Rss 29948, Pss 29944, Swap 1940 kB
    assert sum(e.rss or 0 for e in entries) == 29948 * KB
    assert sum(e.pss or 0 for e in entries) == 29944 * KB
    assert sum(e.swap or 0 for e in entries) == 1940 * KB
    rollup = parse_smaps_rollup(sample("prometheus-fixtures/proc/26231/smaps_rollup"))
    assert rollup.mapping.address == (0x00400000, 0xFFFFFFFFFF601000)
    assert rollup.mapping.pathname == MMapPath("other", "[rollup]")
    assert rollup.usage.rss == 29948 * KB
    assert rollup.usage.pss == 29944 * KB
    assert rollup.usage.swap == rollup.usage.swap_pss == 1940 * KB
    assert rollup.usage.anonymous == 20756 * KB
    assert rollup.usage.lazy_free == 5848 * KB
    assert rollup.usage.size is None  # the rollup has no Size line


def test_linux_2_6_32_without_vmflags() -> None:
    entries = parse_smaps(sample("handmade/proc/4711/smaps"))
    assert [e.pathname for e in entries] == [
        MMapPath("path", "/bin/bash"),
        MMapPath("path", "/bin/bash"),
        MMapPath("heap"),
    ]
    assert all(e.vm_flags is None for e in entries)
    text, data, heap = entries
    assert text.usage.size == 848 * KB == text.mapping.size
    assert (text.rss, text.pss, text.usage.shared_clean) == (560 * KB, 280 * KB, 560 * KB)
    assert data.usage.private_dirty == data.usage.anonymous == 40 * KB
    assert heap.usage.size == 260 * KB == heap.mapping.size
    assert heap.rss == 200 * KB and heap.swap == 12 * KB
    # counters of later kernels are absent, not zero
    assert heap.usage.locked is None and heap.usage.swap_pss is None
    assert heap.usage.lazy_free is None
    assert heap.usage.kernel_page_size == heap.usage.mmu_page_size == 4 * KB


def test_dev_machine_sample() -> None:
    # `sleep 300` captured on the dev machine (kernel 6.18)
    entries = parse_smaps(sample("dev-machine/proc/15569/smaps"))
    assert len(entries) == 37  # mapping lines counted with grep
    assert all(e.vm_flags for e in entries)
    assert all(e.usage.thp_eligible is not None for e in entries)
    assert all(e.usage.size == e.mapping.size for e in entries)
    assert entries[0].pathname == MMapPath("path", "/usr/bin/sleep")
    rollup = parse_smaps_rollup(sample("dev-machine/proc/15569/smaps_rollup"))
    assert sum(e.rss or 0 for e in entries) == rollup.usage.rss
    assert sum(e.usage.private_dirty or 0 for e in entries) == rollup.usage.private_dirty
    assert rollup.usage.pss_anon is not None  # 6.x kernels split Pss in the rollup


def test_unknown_counters_are_kept() -> None:
    data = (
        b"00400000-00401000 r-xp 00000000 08:01 12 /bin/x\n"
        b"Size:                  4 kB\n"
        b"NewCounter:           8 kB\n"
        b"Mode:          strange\n"
        b"ProtectionKey:         3\n"
        b"THPeligible:    1\n"
        b"VmFlags: rd ex zz \n"
    )
    (entry,) = parse_smaps(data)
    assert entry.usage.extra == {"NewCounter": 8 * KB, "Mode": "strange"}
    assert entry.usage.protection_key == 3
    assert entry.usage.thp_eligible is True
    assert entry.vm_flags == ("rd", "ex", "zz")
    assert entry.to_dict()["usage"]["extra"] == {"NewCounter": 8192, "Mode": "strange"}


@pytest.mark.parametrize(
    "data",
    [
        b"Rss: 4 kB\n",  # a counter before any mapping
        b"00400000-00401000 r-xp 00000000 08:01 12 /x\nRss: four kB\n",
        b"00400000-00401000 r-xp 00000000 08:01 12 /x\nRss: 4 MB\n",
        b"not a mapping line at all\n",
    ],
)
def test_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_smaps(data)


def test_rollup_needs_one_block() -> None:
    with pytest.raises(ParseError):
        parse_smaps_rollup(b"\n")
    empty = parse_smaps_rollup(b"")  # a kernel thread's: no mapping, nothing to sum
    assert empty.usage.rss == empty.usage.private_dirty == 0 and empty.usage.extra == {}
    one = b"00400000-00401000 r-xp 00000000 08:01 12 /x\nRss: 4 kB\n"
    with pytest.raises(ParseError):
        parse_smaps_rollup(one + one)


def test_empty_smaps_is_empty() -> None:
    assert parse_smaps(b"") == []


def test_usage_defaults() -> None:
    assert SmapsUsage().rss is None


def _vm_rss() -> int:
    with open("/proc/self/status", "rb") as f:
        for line in f:
            if line.startswith(b"VmRSS:"):
                return int(line.split()[1]) * KB
    raise AssertionError("no VmRSS")


def test_live_rss_sums_agree_with_status_and_rollup() -> None:
    me = procfs.Process.myself()
    me.smaps()  # warm up: the first parse allocates memory of its own
    before = _vm_rss()
    entries = me.smaps()
    rollup = me.smaps_rollup()
    after = _vm_rss()
    total = sum(e.rss or 0 for e in entries)
    # status sums per-CPU counters lazily (off by up to a batch per CPU), and
    # reading allocates: allow 5% or 256 pages around the two readings
    slack = max(256 * mmap.PAGESIZE, min(before, after) // 20)
    assert min(before, after) - slack <= total <= max(before, after) + slack, (total, before)
    assert abs((rollup.usage.rss or 0) - total) <= slack
    maps = me.maps()
    # the same regions in the same order (allow a mapping or two to come or go between reads)
    assert abs(len(maps) - len(entries)) <= 2
    assert entries[0].address == maps[0].address


def test_live_new_mapping_appears_with_its_size() -> None:
    size = 64 * mmap.PAGESIZE
    region = mmap.mmap(-1, size)
    try:
        region[:] = b"\x01" * size  # touch every page
        buffer = ctypes.c_char.from_buffer(region)
        address = ctypes.addressof(buffer)
        del buffer
        mine = [
            e for e in procfs.Process.myself().smaps() if e.address[0] <= address < e.address[1]
        ]
        assert len(mine) == 1
        entry = mine[0]
        assert entry.usage.size is not None and entry.usage.size >= size
        assert (entry.rss or 0) >= size
        assert entry.vm_flags is not None and "wr" in entry.vm_flags and "rd" in entry.vm_flags
    finally:
        region.close()


def test_live_kernel_thread_has_no_mappings() -> None:
    try:
        kthreadd = procfs.Process(2)
        if kthreadd.stat().comm != "kthreadd":
            pytest.skip("pid 2 is not kthreadd here")
    except procfs.ProcError:
        pytest.skip("no pid 2")
    assert kthreadd.smaps() == []
    # the kernel answers ESRCH (no memory to sum): an empty rollup, as smaps() is empty
    rollup = kthreadd.smaps_rollup()
    assert rollup.usage.rss == rollup.usage.pss == rollup.usage.size == 0
    assert rollup.mapping.start == rollup.mapping.end == 0
    assert kthreadd.auxv() == [] and kthreadd.environ() == {}
