"""/proc/uptime: samples, and the live file against CLOCK_BOOTTIME."""

from __future__ import annotations

import time

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.uptime import Uptime, parse_uptime
from tests.conftest import SAMPLES, sample


def test_registered() -> None:
    assert PARSERS["uptime"] is parse_uptime


def test_rust_crate_sample() -> None:
    up = parse_uptime(sample("rust-procfs-samples/uptime.test_uptime.txt"))
    assert up == Uptime(2578790.61, 1999230.98)
    assert up.to_dict() == {"uptime": 2578790.61, "idle": 1999230.98}


def test_dev_machine_sample_through_a_root() -> None:
    # "1887.58 3235.09": two vCPUs, so idle time can exceed the uptime.
    up = ProcFS(SAMPLES / "dev-machine" / "proc").uptime()
    assert (up.uptime, up.idle) == (1887.58, 3235.09)
    assert up.idle > up.uptime


def test_whole_seconds_accepted() -> None:
    assert parse_uptime(b"12 7\n") == Uptime(12.0, 7.0)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n",
        b"12.5\n",
        b"1 2 3\n",
        b"nan 1.0\n",
        b"1e5 2\n",
        b"1.2.3 4\n",
        b"-1.0 2\n",
        b"1_0 2",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_uptime(data)


def test_live_against_clock_boottime() -> None:
    before = time.clock_gettime(time.CLOCK_BOOTTIME)
    up = ProcFS().read("uptime")
    after = time.clock_gettime(time.CLOCK_BOOTTIME)
    parsed = parse_uptime(up)
    # The kernel truncates to hundredths of a second.
    assert before - 0.011 <= parsed.uptime <= after + 0.001
    assert parsed.idle >= 0
    via_accessor = ProcFS().uptime()
    assert via_accessor.uptime >= parsed.uptime
