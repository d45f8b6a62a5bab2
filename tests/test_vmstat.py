"""/proc/vmstat: a 6.18 capture, a hand-written 2.6.18 file, and the live counters."""

from __future__ import annotations

import mmap
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.vmstat import VmStat, parse_vmstat
from tests.conftest import SAMPLES, sample
from tests.proc_bind import procfs_on, tool_on


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


# -- procfs vmstat ------------------------------------------------------------------------

_STAT = b"""\
cpu  364775 12 130519 495482 2394 7 840 1140 55 3
cpu0 182387 6 65259 247741 1197 3 420 570 27 1
cpu1 182388 6 65260 247741 1197 4 420 570 28 2
intr 3978913 1 2 3 0 0
ctxt 8595246
btime 1796606314
processes 199802
procs_running 3
procs_blocked 1
softirq 100 1 2 3 4 5 6 7 8 9 10
"""

_MEMINFO = b"""\
MemTotal:       24683772 kB
MemFree:        23146233 kB
MemAvailable:   23615040 kB
Buffers:           22101 kB
Cached:           594584 kB
SwapCached:            0 kB
Active:           266768 kB
Inactive:        1256473 kB
SwapTotal:       2097148 kB
SwapFree:        1048577 kB
Shmem:             10304 kB
SReclaimable:     148140 kB
"""

_VMSTAT = b"""\
nr_free_pages 5786558
pgpgin 3707177
pgpgout 5708692
pswpin 1234
pswpout 5678
pgfault 123456789
"""

_FILES = {"stat": _STAT, "meminfo": _MEMINFO, "vmstat": _VMSTAT}


@pytest.mark.parametrize(
    "argv",
    [
        *([], ["-w"], ["-a"], ["-S", "m"], ["-S", "k"], ["-S", "M"], ["-s"], ["-s", "-S", "m"]),
        *(["-n"], ["-f"], ["--forks"]),
    ],
)
def test_the_same_output_as_procps_on_the_same_files(argv: list[str], tmp_path: Path) -> None:
    expected = tool_on(_FILES, tmp_path / "tool", "vmstat", *argv)
    assert procfs_on(_FILES, tmp_path / "root", "vmstat", *argv) == expected


def test_deltas_of_files_that_do_not_move(tmp_path: Path) -> None:
    # nothing moved: every rate 0, and no CPU time at all counts as idle
    expected = tool_on(_FILES, tmp_path / "tool", "vmstat", "1", "2")
    assert expected.splitlines()[-1].split()[-5:] == ["0", "0", "100", "0", "0"]
    assert procfs_on(_FILES, tmp_path / "root", "vmstat", "1", "2") == expected
    skipped = tool_on(_FILES, tmp_path / "tool", "vmstat", "-y")  # no line since boot
    assert len(skipped.splitlines()) == 3
    assert procfs_on(_FILES, tmp_path / "root", "vmstat", "-y") == skipped


def test_disks_as_procps_lists_them(tmp_path: Path) -> None:
    disks = sorted(os.listdir("/sys/block")) if os.path.isdir("/sys/block") else []
    if not disks:
        pytest.skip("no /sys/block")
    lines = [
        f" 254       0 {disks[0]} 186451 20507 6289138 151598 42073 355199 7042480 100132 "
        "3000 50672 289793 438850 44 6488112 38011 1088 51",
        "   8       1 notadisk1 5 0 10 1 2 0 4 1 0 3 2",  # a partition: left out
    ]
    files = {"diskstats": ("\n".join(lines) + "\n").encode()}
    for argv in (["-d"], ["-d", "-w"]):
        expected = tool_on(files, tmp_path / "tool", "vmstat", *argv)
        assert "notadisk1" not in expected
        assert procfs_on(files, tmp_path / "root", "vmstat", *argv) == expected
    # -D: the disk's counters alone (worked out: 3000 in progress, 50672 and 289793 ms
    # of busy time read as procps 4.0 divides them, by 1000), the partition counted
    summed = tool_on(files, tmp_path / "tool", "vmstat", "-D")
    assert summed.split()[:4] == ["1", "disks", "1", "partitions"]
    assert "            3 inprogress IO\n           50 milli spent IO\n" in summed
    assert summed.endswith("          289 milli weighted IO\n")
    assert procfs_on(files, tmp_path / "root", "vmstat", "-D") == summed
    assert procfs_on(files, tmp_path / "root", "vmstat", "--disk-sum") == summed


def _raw_counters() -> dict[str, int]:
    """The counters vmstat's first line divides, read here from the raw files."""
    out: dict[str, int] = {}
    with open("/proc/stat") as f:
        for line in f:
            words = line.split()
            if words[0] == "cpu":
                ticks = [int(word) for word in words[1:]] + [0] * 10
                out["use"] = ticks[0] + ticks[1]
                out["sys"] = ticks[2] + ticks[5] + ticks[6]
                out["idl"], out["iow"], out["sto"] = ticks[3], ticks[4], ticks[7]
                out["gue"] = ticks[8] + ticks[9]
            elif words[0] in ("intr", "ctxt"):
                out[words[0]] = int(words[1])
    with open("/proc/vmstat") as f:
        for line in f:
            name, value = line.split()
            if name in ("pgpgin", "pgpgout", "pswpin", "pswpout"):
                out[name] = int(value)
    return out


def _first_line_rates(c: dict[str, int]) -> list[int]:
    """si so bi bo in cs us sy id wa st, as procps computes them since boot."""
    hz = os.sysconf("SC_CLK_TCK")
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    div = c["use"] + c["sys"] + c["idl"] + c["iow"] + c["sto"]
    half = div // 2
    use = c["use"] - c["gue"] if c["use"] >= c["gue"] else 0
    rates = [c["pswpin"] * page_kib, c["pswpout"] * page_kib, c["pgpgin"], c["pgpgout"]]
    rates += [c["intr"], c["ctxt"]]
    out = [(value * hz + half) // div for value in rates]
    return out + [(100 * t + half) // div for t in (use, c["sys"], c["idl"], c["iow"], c["sto"])]


def test_live_first_line_against_the_files_and_procps() -> None:
    from tests.proc_bind import run

    before = _first_line_rates(_raw_counters())
    result = run("vmstat")
    after = _first_line_rates(_raw_counters())
    header, columns, values = result.stdout.splitlines()
    assert header.startswith("procs -----------memory----------")
    ours = [int(word) for word in values.split()]
    for value, low, high in zip(ours[6:], before, after, strict=True):
        assert min(low, high) <= value <= max(low, high), (ours, before, after)
    if shutil.which("vmstat"):
        tool = subprocess.run(["vmstat"], capture_output=True, text=True).stdout.splitlines()
        assert tool[:2] == [header, columns]
        assert tool[2].split()[2] == values.split()[2]  # swpd


def _numbers(text: str) -> list[tuple[str, int]]:
    pairs = []
    for line in text.splitlines():
        value, _, label = line.strip().partition(" ")
        pairs.append((label, int(value)))
    return pairs


def test_live_stats_against_procps() -> None:
    from tests.proc_bind import run

    if shutil.which("vmstat") is None:
        pytest.skip("procps vmstat is not installed")
    before = _numbers(subprocess.run(["vmstat", "-s"], capture_output=True, text=True).stdout)
    ours = _numbers(run("vmstat", "-s").stdout)
    after = _numbers(subprocess.run(["vmstat", "-s"], capture_output=True, text=True).stdout)
    assert [label for label, _ in ours] == [label for label, _ in before]
    moving = {"K used memory", "K active memory", "K inactive memory", "K free memory"}
    moving |= {"K buffer memory", "K swap cache", "K used swap", "K free swap"}
    for (label, value), (_, low), (_, high) in zip(ours, before, after, strict=True):
        if label in moving:
            assert abs(value - low) < (256 << 10), label
        else:  # counters only grow; the totals do not move
            assert low <= value <= high, label


def test_live_disks_against_procps() -> None:
    from tests.proc_bind import run

    if shutil.which("vmstat") is None:
        pytest.skip("procps vmstat is not installed")
    before = subprocess.run(["vmstat", "-d"], capture_output=True, text=True).stdout.splitlines()
    ours = run("vmstat", "-d").stdout.splitlines()
    after = subprocess.run(["vmstat", "-d"], capture_output=True, text=True).stdout.splitlines()
    assert ours[:2] == before[:2]
    assert [line.split()[0] for line in ours] == [line.split()[0] for line in before]
    for mine, low, high in zip(ours[2:], before[2:], after[2:], strict=True):
        for value, a, b in zip(mine.split()[1:9], low.split()[1:9], high.split()[1:9], strict=True):
            assert int(a) <= int(value) <= int(b), (mine, low, high)


def test_json_lines() -> None:
    import json

    from tests.proc_bind import run

    lines = run("vmstat", "--json", "1", "2").stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 2
    assert list(rows[0])[:6] == ["r", "b", "swpd", "free", "buff", "cache"]
    assert rows[1]["id"] <= 100
    stats = json.loads(run("vmstat", "-s", "--json").stdout)
    assert stats["boot time"] == ProcFS().boot_time_secs()


@pytest.mark.parametrize(
    "argv",
    [["0"], ["x"], ["1", "0"], ["1", "2", "3"], ["-S", "q"], ["-z"], ["99999999999999999999", "2"]],
)
def test_usage_errors(argv: list[str]) -> None:
    from tests.proc_bind import run

    result = run("vmstat", *argv)
    assert (result.returncode, result.stdout) == (2, "")
    assert "usage: procfs vmstat" in result.stderr and "Traceback" not in result.stderr


def _slabinfo() -> bytes:
    """A slabinfo of 30 caches (more than a screenful of 21), one with a name longer than
    procps's 24 columns, in no order."""
    head = (
        "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize>"
        " <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor>"
        " : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
    )
    names = [f"cache-{(n * 7) % 30:02d}" for n in range(29)]
    names.append("a_very_long_slab_cache_name_beyond_24")
    lines = [
        f"{name:<17} {n * 10:6d} {n * 10 + 5:6d} {64 * (n + 1):6d} {n + 1:4d}    1"
        " : tunables    0    0    0 : slabdata      1      1      0"
        for n, name in enumerate(names)
    ]
    return (head + "\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("argv", [["-m"], ["-m", "-n"], ["--slabs"]])
def test_slabs_as_procps_lists_them(argv: list[str], tmp_path: Path) -> None:
    files = {"slabinfo": _slabinfo()}
    expected = tool_on(files, tmp_path / "tool", "vmstat", *argv)
    assert expected.count("Cache ") == (1 if "-n" in argv else 2)  # 30 rows, 21 a screen
    assert "a_very_long_slab_cache_n " in expected  # (cut at 24)
    assert procfs_on(files, tmp_path / "root", "vmstat", *argv) == expected


def test_one_partition_as_procps_shows_it(tmp_path: Path) -> None:
    lines = [
        " 254       0 vda 186451 20507 6289138 151598 42073 355199 7042480 100132 "
        "0 50672 289793 438850 44 6488112 38011 1088 51",
        " 254       1 vda1 1000 20 4000 30 500 60 7000 80 0 90 100",
    ]
    files = {"diskstats": ("\n".join(lines) + "\n").encode()}
    partition = ["1000", "4000", "500", "7000"]  # reads, sectors read, writes, written
    disk = ["186451", "6289138", "42073", "7042480"]
    for argv, numbers in (
        (["-p", "vda1"], partition),
        (["-p", "/dev/vda1"], partition),
        (["--partition", "vda"], disk),
    ):
        expected = tool_on(files, tmp_path / "tool", "vmstat", *argv)
        assert expected.split()[-4:] == numbers
        assert procfs_on(files, tmp_path / "root", "vmstat", *argv) == expected
    root = str(tmp_path / "root")
    missing = subprocess.run(
        [sys.executable, "-m", "procfs", "vmstat", "-p", "nosuch", "--root", root],
        capture_output=True,
        text=True,
    )
    assert (missing.returncode, missing.stdout) == (1, "")
    assert "Disk/Partition nosuch not found" in missing.stderr
