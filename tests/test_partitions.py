"""/proc/partitions: the Rust crate's sample, a capture, and the live file against sysfs."""

from __future__ import annotations

import os

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.partitions import Partition, parse_partitions
from tests.conftest import SAMPLES, sample


def test_registered() -> None:
    assert PARSERS["partitions"] is parse_partitions


def test_rust_crate_sample() -> None:
    parts = parse_partitions(sample("rust-procfs-samples/partitions.nvme-dm-zram-sda.txt"))
    assert len(parts) == 12
    assert parts[0] == Partition(259, 0, 1000204632 * 1024, "nvme0n1")
    assert parts[0].blocks == 1000204632
    assert parts[5] == Partition(253, 0, 104841216 * 1024, "dm-0")
    assert parts[6].name == "zram0" and parts[6].major == 252
    assert parts[-1].to_dict() == {"major": 253, "minor": 2, "size": 1853440 * 1024, "name": "dm-2"}
    # The partitions of nvme0n1 fit in it.
    assert sum(p.size for p in parts[1:5]) <= parts[0].size


def test_dev_machine_capture() -> None:
    parts = ProcFS(SAMPLES / "dev-machine" / "proc").partitions()
    # " 254 0 268435456 vda" and a zram device of 32 MiB set up for the capture.
    assert parts == [
        Partition(254, 0, 268435456 * 1024, "vda"),
        Partition(253, 0, 32 << 20, "zram0"),
    ]


def test_header_only() -> None:
    assert parse_partitions(b"major minor  #blocks  name\n\n") == []


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n",
        b" 8 0 100 sda\n",
        b"major minor  #blocks  name\n\n 8 0 100\n",
        b"major minor  #blocks  name\n\n 8 0 100 sda extra\n",
        b"major minor  #blocks  name\n\n 8 x 100 sda\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_partitions(data)


def test_live_against_sys_class_block() -> None:
    parts = ProcFS().partitions()
    if not parts:
        pytest.skip("no partitions listed")
    for part in parts:
        base = f"/sys/class/block/{part.name}"
        with open(f"{base}/size") as f:
            sectors = int(f.read())
        with open(f"{base}/dev") as f:
            numbers = f.read().strip()
        assert numbers == f"{part.major}:{part.minor}"
        # sysfs counts 512-byte sectors; /proc/partitions whole KiB blocks.
        assert part.size == sectors * 512 // 1024 * 1024
    # Every non-empty block device is listed.
    listed = {part.name for part in parts}
    for name in os.listdir("/sys/class/block"):
        with open(f"/sys/class/block/{name}/size") as f:
            if int(f.read()) > 0 and not _hidden(name):
                assert name in listed


def _hidden(name: str) -> bool:
    try:
        with open(f"/sys/class/block/{name}/hidden") as f:
            return f.read().strip() == "1"
    except OSError:
        return False
