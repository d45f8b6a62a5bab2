"""``/proc/net/dev``: interface counters, against samples and ``/sys/class/net``."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
from hypothesis import given, settings

import procfs
import procfs.net
from procfs.core import PARSERS
from procfs.core import net_dev as net_dev_module
from procfs.core.net_dev import DeviceStatus, parse_dev
from procfs.errors import ParseError
from tests.conftest import SAMPLES, sample
from tests.mutations import edited, outcome, strict

HEADER = (
    b"Inter-|   Receive                                                |  Transmit\n"
    b" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets "
    b"errs drop fifo colls carrier compressed\n"
)


def counters(status: DeviceStatus) -> tuple[int, ...]:
    return (
        status.recv_bytes, status.recv_packets, status.recv_errs, status.recv_drop,
        status.recv_fifo, status.recv_frame, status.recv_compressed, status.recv_multicast,
        status.sent_bytes, status.sent_packets, status.sent_errs, status.sent_drop,
        status.sent_fifo, status.sent_colls, status.sent_carrier, status.sent_compressed,
    )  # fmt: skip


def test_prometheus_dev_matches_the_go_test() -> None:
    devices = parse_dev(sample("prometheus-fixtures/proc/net/dev"))
    assert list(devices) == ["vethf345468", "lo", "docker0", "eth0"]
    expected = {  # name: (rx bytes, rx packets, tx bytes, tx packets); the rest is 0
        "vethf345468": (648, 8, 438, 5),
        "lo": (1664039048, 1566805, 1664039048, 1566805),
        "docker0": (2568, 38, 438, 5),
        "eth0": (874354587, 1036395, 563352563, 732147),
    }
    for name, (rx_bytes, rx_packets, tx_bytes, tx_packets) in expected.items():
        status = devices[name]
        assert status.name == name
        zero = (0,) * 6
        assert counters(status) == (rx_bytes, rx_packets, *zero, tx_bytes, tx_packets, *zero)
        assert status.extra == {}


@pytest.mark.parametrize("name", [b"eth0", b"eth0:1"])
def test_the_go_line_test(name: bytes) -> None:
    """TestNetDevParseLine: values 1 to 16 go to the columns in order; ':' in a name stays."""
    line = (
        b"  "
        + name
        + b": 1 2 3    4    5     6          7         8 "
        + b"9  10    11    12    13     14       15          16"
    )
    (status,) = parse_dev(HEADER + line).values()
    assert status.name == name.decode()
    assert counters(status) == tuple(range(1, 17))


def test_dev_machine_dev() -> None:
    devices = PARSERS["net/dev"](sample("dev-machine/proc/net/dev"))
    assert isinstance(devices, dict)
    assert list(devices) == ["lo", "ifb0", "ifb1", "eth0"]
    eth0 = devices["eth0"]
    assert (eth0.recv_bytes, eth0.recv_packets, eth0.sent_bytes, eth0.sent_packets) == (
        98901118, 2520, 156998, 1561
    )  # fmt: skip
    assert devices["lo"].recv_bytes == devices["lo"].sent_bytes == 1128169
    assert eth0.to_dict()["name"] == "eth0" and eth0.to_dict()["extra"] == {}


def test_counters_glued_to_the_name() -> None:
    """Linux 2.6 printed "%6s:%8lu": a counter of 8 digits or more follows the colon directly."""
    devices = parse_dev(sample("handmade/net_dev.linux-2.6-glued-counters.txt"))
    assert list(devices) == ["lo", "eth0", "sit0"]
    assert devices["lo"].recv_bytes == 12345678
    assert counters(devices["eth0"]) == (
        4294967296, 3000000, 1, 2, 3, 4, 5, 6, 987654321, 2000000, 7, 8, 9, 10, 11, 12
    )  # fmt: skip
    assert counters(devices["sit0"]) == (0,) * 16


def test_new_columns_are_kept() -> None:
    (lo,) = parse_dev(sample("handmade/net_dev.made-up-extra-column.txt")).values()
    assert lo.extra == {"recv_otherhost": 7}
    assert (lo.recv_bytes, lo.recv_multicast, lo.sent_bytes, lo.sent_compressed) == (100, 0, 100, 0)


@pytest.mark.parametrize(
    ("data", "lineno"),
    [
        (b"", 1),
        (HEADER[: HEADER.index(b"\n") + 1], 2),
        (b"Inter-|\n face |bytes packets|bytes\n", 2),  # columns missing
        (b"Inter-|\n face bytes\n", 2),
        (HEADER + b"  eth0  1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", 3),
        (HEADER + b"  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n", 3),
        (HEADER + b"  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n", 3),
        (HEADER + b"  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 -16\n", 3),
        (HEADER + b"  : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", 3),
    ],
)
def test_bad_files(data: bytes, lineno: int) -> None:
    with pytest.raises(ParseError) as info:
        parse_dev(data, path="/x/net/dev")
    assert (info.value.lineno, info.value.path) == (lineno, "/x/net/dev")


# -- live -----------------------------------------------------------------------------------

_SYSFS = "/sys/class/net"


def sysfs(name: str) -> tuple[int, ...]:
    """The 16 columns as the kernel computes them, from ``/sys/class/net/<name>/statistics``."""

    def read(counter: str) -> int:
        with open(f"{_SYSFS}/{name}/statistics/{counter}") as f:
            return int(f.read())

    return (
        read("rx_bytes"), read("rx_packets"), read("rx_errors"),
        read("rx_dropped") + read("rx_missed_errors"), read("rx_fifo_errors"),
        read("rx_length_errors") + read("rx_over_errors") + read("rx_crc_errors")
        + read("rx_frame_errors"),
        read("rx_compressed"), read("multicast"),
        read("tx_bytes"), read("tx_packets"), read("tx_errors"), read("tx_dropped"),
        read("tx_fifo_errors"), read("collisions"),
        read("tx_carrier_errors") + read("tx_aborted_errors") + read("tx_window_errors")
        + read("tx_heartbeat_errors"),
        read("tx_compressed"),
    )  # fmt: skip


@pytest.mark.skipif(not os.path.isdir(_SYSFS), reason="no /sys/class/net")
def test_live_counters_match_sysfs() -> None:
    """Each counter lies between the sysfs values read just before and just after."""
    names = sorted(os.listdir(_SYSFS))
    before = {name: sysfs(name) for name in names}
    devices = procfs.net_dev()
    later = {name: sysfs(name) for name in names}
    assert sorted(devices) == names
    assert sorted(devices) == sorted(name for _, name in socket.if_nameindex())
    for name in names:
        ours = counters(devices[name])
        for low, value, high in zip(before[name], ours, later[name], strict=True):
            assert low <= value <= high, name


def test_live_loopback_counters_grow() -> None:
    first = procfs.net_dev()["lo"]
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender,
    ):
        receiver.bind(("127.0.0.1", 0))
        for _ in range(10):
            sender.sendto(b"x" * 1000, receiver.getsockname())
            receiver.recv(2000)
    second = procfs.net_dev()["lo"]
    assert second.recv_bytes - first.recv_bytes >= 10 * 1000
    assert second.sent_bytes - first.sent_bytes >= 10 * 1000
    assert second.recv_packets - first.recv_packets >= 10
    assert second.sent_packets - first.sent_packets >= 10


# -- the fast reading of the usual file agrees with the strict one --------------------------

_SAMPLES = [path.read_bytes() for path in sorted(SAMPLES.rglob("net/dev"))]


def test_the_usual_file_takes_the_fast_reading() -> None:
    raw: Any = next(iter(parse_dev(sample("dev-machine/proc/net/dev")).values()))._values
    assert raw[1].__class__ is bytes  # the fast reading keeps the digits


_strict = strict(lambda data: net_dev_module._parse_strict(data.split(b"\n")), "net/dev")


@settings(max_examples=300, deadline=None)
@given(edited(_SAMPLES))
def test_fast_and_strict_readings_agree(data: bytes) -> None:
    assert outcome(parse_dev, data) == outcome(_strict, data)


def test_counters_are_converted_when_read() -> None:
    data = sample("dev-machine/proc/net/dev")
    devices = parse_dev(data)
    assert _strict(data) == devices
    for device in devices.values():
        assert all(isinstance(getattr(device, name), int) for name in DeviceStatus._fields[1:17])
