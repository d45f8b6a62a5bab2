"""/proc/buddyinfo: samples worked out by hand, and the live system against vmstat/meminfo."""

from __future__ import annotations

import os

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.buddyinfo import BuddyInfoEntry, parse_buddyinfo
from tests.conftest import SAMPLES, sample
from tests.helpers import vmstat_free_pages


def test_registered() -> None:
    assert PARSERS["buddyinfo"] is parse_buddyinfo


def test_two_nodes() -> None:
    # The Rust crate's test data (test_buddyinfo_parsing): two NUMA nodes.
    entries = parse_buddyinfo(sample("handmade/proc/buddyinfo"))
    assert [(e.node, e.zone) for e in entries] == [
        (0, "DMA"),
        (0, "DMA32"),
        (0, "Normal"),
        (1, "Normal"),
    ]
    normal0 = entries[2]
    assert normal0.nr_free == (2778, 421, 1223, 21849, 8276, 3067, 458, 91, 43, 38, 25537)
    assert normal0.free_pages_of_order(5) == 3067 * 32
    # 2 MB and larger blocks (order 9 and 10 with 4 kB pages), as the crate computes
    assert normal0.free_pages_of_order(9) + normal0.free_pages_of_order(10) == 26169344
    assert normal0.free_pages_of_order(11) == 0
    assert normal0.free_pages_of_order(-1) == 0
    # 18848 + 6919*2 + 20881*4 + 10325*8 + 5615*16 + 2880*32 + 936*64 + 393*128
    # + 102*256 + 20*512 + 27681*1024, added up by hand
    assert entries[3].free_pages == 28872714
    assert entries[0].free_pages == 256 + 512 + 2 * 1024
    assert entries[0].to_dict() == {
        "node": 0,
        "zone": "DMA",
        "nr_free": [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2],
    }


def test_prometheus_fixture() -> None:
    entries = ProcFS(str(SAMPLES / "prometheus-fixtures" / "proc")).buddyinfo()
    assert entries[0] == BuddyInfoEntry(0, "DMA", (1, 0, 1, 0, 2, 1, 1, 0, 1, 1, 3))
    # 1 + 4 + 2*16 + 32 + 64 + 256 + 512 + 3*1024
    assert entries[0].free_pages == 3973
    assert [e.zone for e in entries] == ["DMA", "DMA32", "Normal"]


def test_dev_machine_capture_matches_its_zoneinfo() -> None:
    fs = ProcFS(str(SAMPLES / "dev-machine" / "proc"))
    buddy = {e.zone: e.free_pages for e in fs.buddyinfo()}
    zones = {z.zone: z.free for z in fs.zoneinfo()}
    # DMA: 256 + 512 + 3*1024; the two files were read a moment apart
    assert buddy["DMA"] == zones["DMA"] == 3840
    assert buddy["DMA32"] == zones["DMA32"]
    assert abs(buddy["Normal"] - zones["Normal"]) < 100


def test_more_orders() -> None:
    # arm64 with 64 kB pages and a raised max order: 14 columns
    line = b"Node 0, zone   Normal " + b" ".join(b"1" for _ in range(14)) + b"\n"
    (entry,) = parse_buddyinfo(line)
    assert len(entry.nr_free) == 14
    assert entry.free_pages == 2**14 - 1


@pytest.mark.parametrize(
    "data",
    [
        b"Node 0 zone DMA 1 2 3\n",
        b"Node x, zone DMA 1 2 3\n",
        b"Node 0, zone DMA\n",
        b"Node 0, zone DMA 1 -2 3\n",
        b"Node 0, area DMA 1 2 3\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_buddyinfo(data)


def _meminfo_kb(key: bytes) -> int:
    with open("/proc/meminfo", "rb") as f:
        for line in f:
            if line.startswith(key + b":"):
                return int(line.split()[1])
    raise AssertionError(f"no {key!r} in /proc/meminfo")


def test_live_free_pages_match_the_kernel_counters() -> None:
    page = os.sysconf("SC_PAGE_SIZE")
    # read both a few times and keep the closest pair: memory changes between reads
    best = None
    for _ in range(5):
        free_pages = vmstat_free_pages()
        mem_free = _meminfo_kb(b"MemFree") * 1024
        buddy = sum(entry.free_pages for entry in ProcFS().buddyinfo())
        gap = abs(buddy - free_pages)
        if best is None or gap < best[0]:
            best = (gap, buddy, free_pages, mem_free)
    assert best is not None
    gap, buddy, free_pages, mem_free = best
    # buddyinfo counts exactly the pages NR_FREE_PAGES counts
    assert gap <= max(256, free_pages // 100)
    managed = sum(zone.managed or 0 for zone in ProcFS().zoneinfo())
    if abs(managed * page - _meminfo_kb(b"MemTotal") * 1024) < 64 << 20:
        # MemFree is NR_FREE_PAGES in bytes, on a machine whose RAM is all in zones
        # (not on VMs whose memory is added to the zones lazily)
        assert abs(buddy * page - mem_free) <= max(1 << 20, mem_free // 100)
