"""/proc/vmstat: a 6.18 capture, a hand-written 2.6.18 file, and the live counters."""

from __future__ import annotations

import mmap
import shutil
import subprocess

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.vmstat import VmStat, parse_vmstat
from tests.conftest import SAMPLES, sample


def test_registered() -> None:
    assert PARSERS["vmstat"] is parse_vmstat


def test_dev_machine_capture() -> None:
    stat = ProcFS(SAMPLES / "dev-machine" / "proc").vmstat()
    # Values read off tests/samples/dev-machine/proc/vmstat by hand.
    assert stat.nr_free_pages == 876929
    assert stat.nr_slab_reclaimable == 36218
    assert stat.nr_slab_unreclaimable == 7180
    assert stat.pgpgin == 1945021
    assert stat.pgfault == 11896044
    assert stat.pgmajfault == 2178
    assert stat.oom_kill == 0
    assert len(stat.counters) == 192  # every line kept
    assert list(stat.counters)[:2] == ["nr_free_pages", "nr_free_pages_blocks"]
    assert stat.get("nr_free_pages_blocks") == 820224
    assert stat.get("no_such_counter") is None
    assert stat.to_dict()["counters"]["pgfault"] == 11896044


def test_linux_2_6_18() -> None:
    stat = parse_vmstat(sample("handmade/vmstat.linux-2.6.18-x86_64.txt"))
    assert stat.nr_free_pages is None  # 2.6.21
    assert stat.nr_slab_reclaimable is None  # 2.6.19: one nr_slab before
    assert stat.counters["nr_slab"] == 20877
    assert stat.nr_anon_pages == 81745
    assert stat.nr_active_anon is None  # 2.6.28
    assert stat.pgfault == 26154384
    assert stat.pgmajfault == 5024
    assert stat.pgsteal_kswapd is None  # per zone before 4.8
    assert stat.counters["pgsteal_dma32"] == 156890
    assert stat.oom_kill is None
    assert len(stat.counters) == 45
    assert list(stat.counters)[-1] == "pgrotated"


def test_minimal_and_unknown_counter() -> None:
    stat = parse_vmstat(b"nr_free_pages 5\nnr_from_the_future 7\n")
    assert stat == VmStat(nr_free_pages=5, counters={"nr_free_pages": 5, "nr_from_the_future": 7})


@pytest.mark.parametrize(
    "data", [b"", b"\n", b"nr_free_pages\n", b"nr_free_pages 1 2\n", b"pgfault x\n"]
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_vmstat(data)


def test_live_free_pages_against_zoneinfo() -> None:
    # The kernel keeps nr_free_pages per zone; /proc/zoneinfo prints each zone's
    # ("pages free"), /proc/vmstat their sum. (MemFree is another count: on 6.18
    # it is gigabytes away from nr_free_pages, so it is no contract to test.)
    stat = ProcFS().vmstat()
    with open("/proc/zoneinfo", "rb") as f:
        zones = sum(int(line.split()[2]) for line in f if line.split()[:2] == [b"pages", b"free"])
    assert stat.nr_free_pages is not None
    # allow for allocations between the two reads
    assert abs(stat.nr_free_pages - zones) <= max(zones // 20, 16384)


def test_live_pgfault_grows_when_memory_is_touched() -> None:
    fs = ProcFS()
    before = fs.vmstat().pgfault
    size = 16 << 20
    area = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        for offset in range(0, size, mmap.PAGESIZE):
            area[offset] = 1
    finally:
        area.close()
    after = fs.vmstat().pgfault
    assert before is not None and after is not None
    # At least one fault per 2 MiB even when transparent huge pages back the area.
    assert after - before >= size >> 21


def test_live_against_vmstat_tool() -> None:
    if shutil.which("vmstat") is None:
        pytest.skip("vmstat (procps) is not installed")
    mine = ProcFS().vmstat()
    out = subprocess.run(["vmstat", "-s"], capture_output=True, text=True, check=True).stdout
    theirs = {}
    for line in out.splitlines():
        number, _, label = line.strip().partition(" ")
        theirs[label.strip()] = int(number)
    assert mine.pswpin is not None and mine.pswpout is not None
    assert mine.pgpgin is not None and mine.pgpgout is not None
    # Counters only grow: the tool, run after us, sees at least our values.
    assert theirs["pages swapped in"] >= mine.pswpin
    assert theirs["pages swapped out"] >= mine.pswpout
    # procps 4 says "K paged in", older ones "pages paged in"; both print pgpgin (KiB).
    paged_in = theirs.get("K paged in", theirs.get("pages paged in"))
    paged_out = theirs.get("K paged out", theirs.get("pages paged out"))
    assert paged_in is not None and paged_out is not None
    assert mine.pgpgin <= paged_in < mine.pgpgin + (1 << 30)
    assert mine.pgpgout <= paged_out < mine.pgpgout + (1 << 30)
