"""/proc/filesystems: a capture, hand-written lines, and the live file against the mounts."""

from __future__ import annotations

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.filesystems import Filesystem, parse_filesystems
from tests.conftest import SAMPLES


def test_registered() -> None:
    assert PARSERS["filesystems"] is parse_filesystems


def test_dev_machine_capture() -> None:
    types = ProcFS(SAMPLES / "dev-machine" / "proc").filesystems()
    assert len(types) == 31
    assert types[0] == Filesystem("sysfs", True)
    assert types[2] == Filesystem("proc", True)
    by_name = {fs.name: fs.nodev for fs in types}
    assert by_name["ext4"] is False and by_name["btrfs"] is False
    assert by_name["fuseblk"] is False and by_name["fuse"] is True
    assert types[-1].to_dict() == {"name": "pstore", "nodev": True}


def test_hand_written() -> None:
    data = b"nodev\tsysfs\nnodev\tproc\n\text3\n\text4\nnodev\tnfs4\n"
    assert parse_filesystems(data) == [
        Filesystem("sysfs", True),
        Filesystem("proc", True),
        Filesystem("ext3", False),
        Filesystem("ext4", False),
        Filesystem("nfs4", True),
    ]
    assert parse_filesystems(b"") == []


@pytest.mark.parametrize(
    "data", [b"ext4\n", b"nodev sysfs\n", b"nodevx\tsysfs\n", b"\ta b\n", b"x\ty\n"]
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_filesystems(data)


def test_live_against_raw_file_and_mounts() -> None:
    types = {fs.name: fs.nodev for fs in ProcFS().filesystems()}
    with open("/proc/filesystems") as f:
        raw = f.read().splitlines()
    assert len(types) == len(raw)
    assert "nodev\tproc" in raw and types["proc"] is True
    # Every mounted filesystem's type is registered ("fuse.sshfs" is type fuse).
    with open("/proc/self/mounts") as f:
        mounted = {line.split()[2].split(".")[0] for line in f}
    assert mounted <= set(types)
