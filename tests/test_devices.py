"""/proc/devices: the Rust crate's samples, a capture, and the live file against device nodes."""

from __future__ import annotations

import os

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.devices import DeviceEntry, Devices, parse_devices
from tests.conftest import SAMPLES, sample


def test_registered() -> None:
    assert PARSERS["devices"] is parse_devices


def test_rust_crate_sample() -> None:
    devices = parse_devices(sample("rust-procfs-samples/devices.char-and-block.txt"))
    chars, blocks = devices.char_devices, devices.block_devices
    assert len(chars) == 16 and len(blocks) == 8
    assert chars[1] == DeviceEntry(4, "/dev/vc/0")
    assert chars[8] == DeviceEntry(10, "misc")
    assert chars[15] == DeviceEntry(189, "usb_device")
    assert blocks[0] == DeviceEntry(7, "loop")
    assert blocks[7] == DeviceEntry(259, "blkext")
    # A major repeats: one driver per range of minors.
    assert devices.char_names(4) == ["/dev/vc/0", "tty", "ttyS"]
    assert devices.block_names(8) == ["sd"]
    assert [entry.major for entry in blocks if entry.name == "sd"] == [8, 65, 71, 128, 135]


def test_rust_crate_sample_without_block_section() -> None:
    devices = parse_devices(sample("rust-procfs-samples/devices.char-only-no-CONFIG_BLOCK.txt"))
    assert len(devices.char_devices) == 16
    assert devices.block_devices == []
    assert devices.to_dict()["block_devices"] == []


def test_dev_machine_capture() -> None:
    devices = ProcFS(SAMPLES / "dev-machine" / "proc").devices()
    assert len(devices.char_devices) == 23 and len(devices.block_devices) == 4
    assert devices.char_devices[-1] == DeviceEntry(254, "ndctl")
    assert devices.char_names(203) == ["cpu/cpuid"]
    assert devices.block_devices == [
        DeviceEntry(7, "loop"),
        DeviceEntry(253, "zram"),
        DeviceEntry(254, "virtblk"),
        DeviceEntry(259, "blkext"),
    ]


def test_empty_sections() -> None:
    assert parse_devices(b"Character devices:\n\nBlock devices:\n") == Devices([], [])


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"  1 mem\n",
        b"Block devices:\n  8 sd\n",
        b"Character devices:\n  x mem\n",
        b"Character devices:\n  1\n",
        b"Character devices:\n  1 mem\nCharacter devices:\n",
        b"Character devices:\nBlock devices:\nBlock devices:\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_devices(data)


def _majors(kind: str) -> set[int]:
    try:
        names = os.listdir(f"/sys/dev/{kind}")
    except OSError:
        return set()
    return {int(name.split(":")[0]) for name in names}


def test_live_against_device_nodes_and_sysfs() -> None:
    devices = ProcFS().devices()
    # /dev/null is char 1:3 (driver "mem"), /dev/tty char 5:0 ("/dev/tty").
    for node, name in (("/dev/null", "mem"), ("/dev/tty", "/dev/tty")):
        try:
            rdev = os.stat(node).st_rdev
        except OSError:
            continue
        assert name in devices.char_names(os.major(rdev))
    # Every device the kernel knows has a registered major.
    assert _majors("char") <= {entry.major for entry in devices.char_devices}
    assert _majors("block") <= {entry.major for entry in devices.block_devices}
