"""/proc/diskstats: every line width from 2.6 to 6.x, and the live file against sysfs and lsblk."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

import pytest
from hypothesis import given, settings

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core import diskstats as diskstats_module
from procfs.core.diskstats import DiskStat, parse_diskstats
from tests.conftest import PROMETHEUS_PROC, SAMPLES, corpus_path, sample
from tests.mutations import edited, outcome, strict


def test_registered() -> None:
    assert PARSERS["diskstats"] is parse_diskstats


def _by_name(stats: list[DiskStat]) -> dict[str, DiskStat]:
    return {stat.name: stat for stat in stats}


def test_prometheus_fixture_mixes_11_15_and_17_counters() -> None:
    stats = ProcFS(corpus_path(PROMETHEUS_PROC)).diskstats()
    assert len(stats) == 52
    disks = _by_name(stats)
    # "8 0 sda 25354637 34367663 1003346126 18492372 28444756 11134226 505697032
    #  63877960 0 9653880 82621804": 11 counters (before 4.18).
    assert disks["sda"] == DiskStat(
        8, 0, "sda", 25354637, 34367663, 1003346126, 18492372, 28444756, 11134226,
        505697032, 63877960, 0, 9653880, 82621804,
    )  # fmt: skip
    assert disks["sda"].discards is None and disks["sda"].flushes is None
    # sdb has 15 counters (4.18: discards), sdc 17 (5.5: flushes).
    sdb = disks["sdb"]
    assert (sdb.reads, sdb.weighted_time_in_progress) == (326552, 67070)
    assert (sdb.discards, sdb.discards_merged, sdb.sectors_discarded, sdb.time_discarding) == (
        68851, 0, 1925173784, 11130,
    )  # fmt: skip
    assert sdb.flushes is None and sdb.time_flushing is None
    sdc = disks["sdc"]
    assert (sdc.discards, sdc.flushes, sdc.time_flushing) == (0, 127, 182)
    assert sdc.extra == []
    assert disks["nvme0n1p2"].sectors_written == 39451632
    assert disks["nvme0n1p2"].bytes_written == 39451632 * 512
    assert disks["ram15"].major == 1 and disks["ram15"].minor == 15


def test_prometheus_copy_in_samples() -> None:
    stats = parse_diskstats(sample("prometheus-fixtures/proc/diskstats"))
    assert _by_name(stats)["dm-0"].time_writing == 1158557800


def test_dev_machine_capture_17_counters() -> None:
    stats = ProcFS(SAMPLES / "dev-machine" / "proc").diskstats()
    vda = _by_name(stats)["vda"]
    # "254 0 vda 93109 29548 3889106 25402 8375 36020 1293008 8426 0 10340 35114
    #  8771 68 179256 1266 165 20"
    assert vda.to_dict() == {
        "major": 254, "minor": 0, "name": "vda",
        "reads": 93109, "merged": 29548, "sectors_read": 3889106, "time_reading": 25402,
        "writes": 8375, "writes_merged": 36020, "sectors_written": 1293008,
        "time_writing": 8426, "in_progress": 0, "time_in_progress": 10340,
        "weighted_time_in_progress": 35114,
        "discards": 8771, "discards_merged": 68, "sectors_discarded": 179256,
        "time_discarding": 1266, "flushes": 165, "time_flushing": 20, "extra": [],
    }  # fmt: skip
    assert vda.bytes_read == 3889106 * 512
    assert [stat.name for stat in stats][:2] == ["loop0", "loop1"]


def test_linux_2_6_18_partitions_have_4_counters() -> None:
    stats = _by_name(
        parse_diskstats(sample("handmade/diskstats.linux-2.6.18-4-counter-partitions.txt"))
    )
    assert len(stats) == 7
    # "8 1 sda1 52 104 16 32": reads issued, sectors read, writes issued, sectors written.
    assert stats["sda1"] == DiskStat(
        8, 1, "sda1", 52, None, 104, None, 16, None, 32, None, None, None, None
    )
    assert stats["sda2"].sectors_written == 5670808
    assert stats["sda2"].time_in_progress is None
    # Whole disks keep their 11 counters.
    assert stats["sda"].weighted_time_in_progress == 10359484
    assert stats["sda"].discards is None
    assert stats["hda"].in_progress == 0


def test_counters_of_a_future_kernel_are_kept() -> None:
    line = b"   8 0 sda " + b" ".join(str(n).encode() for n in range(1, 20)) + b"\n"
    (stat,) = parse_diskstats(line)
    assert stat.time_flushing == 17
    assert stat.extra == [18, 19]


@pytest.mark.parametrize(
    "data",
    [
        b"8 0 sda\n",
        b"8 0 sda 1 2 3\n",
        b"8 0 sda 1 2 3 4 5\n",
        b"8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12\n",
        b"8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
        b"8 0 sda 1 2 3 x\n",
        b"x 0 sda 1 2 3 4\n",
        b"8\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_diskstats(data)
    assert info.value.lineno == 1


def test_live_against_sys_block_stat() -> None:
    stats = _by_name(ProcFS().diskstats())
    disks = os.listdir("/sys/block")
    if not disks:
        pytest.skip("no block devices")
    for disk in disks:
        with open(f"/sys/block/{disk}/dev") as f:
            major, minor = (int(part) for part in f.read().split(":"))
        with open(f"/sys/block/{disk}/stat") as f:
            theirs = [int(field) for field in f.read().split()]
        mine = stats[disk]
        assert (mine.major, mine.minor) == (major, minor)
        # The same counters in another format; sysfs is read after us, so never smaller
        # (in_progress, the 9th, is a gauge and is left out).
        ours = [mine.reads, mine.merged, mine.sectors_read, mine.time_reading, mine.writes]
        ours += [mine.writes_merged, mine.sectors_written, mine.time_writing]
        for index, value in enumerate(ours):
            assert value is not None
            assert value <= theirs[index] <= value + 10_000_000
        if len(theirs) >= 15:
            assert mine.discards is not None and mine.discards <= theirs[11]
        if len(theirs) >= 17:
            assert mine.flushes is not None and mine.flushes <= theirs[15]


def test_live_against_lsblk() -> None:
    if shutil.which("lsblk") is None:
        pytest.skip("lsblk (util-linux) is not installed")
    out = subprocess.run(
        ["lsblk", "--list", "--noheadings", "--output", "KNAME,MAJ:MIN"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stats = _by_name(ProcFS().diskstats())
    for line in out.splitlines():
        name, numbers = line.split()
        major, minor = (int(part) for part in numbers.split(":"))
        assert (stats[name].major, stats[name].minor) == (major, minor)


# -- the fast reading of the usual file agrees with the strict one --------------------------

_SAMPLES = [path.read_bytes() for path in sorted(SAMPLES.rglob("diskstats*"))]


def test_the_usual_file_takes_the_fast_reading() -> None:
    raw: Any = parse_diskstats(sample("dev-machine/proc/diskstats"))[0]._values
    assert raw[0].__class__ is bytes  # the fast reading keeps the digits


_strict = strict(lambda data: diskstats_module._parse_strict(data), "diskstats")


@settings(max_examples=300, deadline=None)
@given(edited(_SAMPLES))
def test_fast_and_strict_readings_agree(data: bytes) -> None:
    assert outcome(parse_diskstats, data) == outcome(_strict, data)


def test_counters_are_converted_when_read() -> None:
    (disk,) = parse_diskstats(b"   8       0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n")
    assert disk.reads == 1 and disk.time_flushing == 17 and disk.extra == []
    assert isinstance(disk.reads, int) and disk.name == "sda" and disk.major == 8
    assert disk == DiskStat(8, 0, "sda", *range(1, 18))
    assert disk.to_dict()["sectors_written"] == 7


def test_names_and_device_numbers_are_converted_when_read() -> None:
    data = b" 253       1 dm-1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n"
    (disk,) = parse_diskstats(data)
    raw: Any = disk._values  # what the record stores
    assert raw[2] == b"dm-1"  # kept as the kernel's bytes
    assert (disk.major, disk.minor, disk.name) == (253, 1, "dm-1")
    assert disk.extra == [] and disk.bytes_read == 3 * 512
    assert disk.replace(name="x").name == "x"
    (odd,) = parse_diskstats(data.replace(b"dm-1", "d\u00e9v".encode()))
    assert odd.name == "d\u00e9v"
