"""/proc/uptime: samples, and the live file against CLOCK_BOOTTIME."""

from __future__ import annotations

import time
from pathlib import Path

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


# -- procfs uptime ------------------------------------------------------------------------


def _utmp_record(kind: int, user: bytes, line: bytes = b"pts/0") -> bytes:
    """One glibc ``struct utmp`` (384 bytes): type, pid, line, id, user, host, the rest 0."""
    import struct

    head = struct.pack("=hxxi32s4s32s256s", kind, 4242, line, b"ts/0", user, b"host")
    return head + bytes(384 - len(head))


def test_users_are_counted_as_who_counts_them(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from procfs.cli.uptime import count_users

    records = [
        _utmp_record(2, b"reboot"),  # BOOT_TIME
        _utmp_record(7, b"alice"),  # USER_PROCESS
        _utmp_record(7, b"bob", b"pts/1"),
        _utmp_record(8, b"carol", b"pts/2"),  # DEAD_PROCESS
        _utmp_record(7, b"", b"pts/3"),  # a user process without a name
        _utmp_record(6, b"LOGIN", b"tty1"),  # LOGIN_PROCESS
    ]
    utmp = tmp_path / "utmp"
    utmp.write_bytes(b"".join(records))
    assert count_users(str(utmp)) == 2
    assert count_users(str(tmp_path / "missing")) == 0
    if shutil.which("who"):
        listed = subprocess.run(["who", str(utmp)], capture_output=True, text=True).stdout
        assert len(listed.splitlines()) == count_users(str(utmp))


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (59.5, "up 0 minutes"),
        (61, "up 1 minute"),
        (3600, "up 60 minutes"),  # (procps counts a unit only past a whole one)
        (3661, "up 1 hour, 1 minute"),
        (90061, "up 1 day, 1 hour, 1 minute"),
        (2 * 604800 + 3 * 86400 + 7200 + 120.5, "up 2 weeks, 3 days, 2 hours, 2 minutes"),
    ],
)
def test_pretty_by_hand(seconds: float, expected: str) -> None:
    from procfs.cli.uptime import pretty_uptime

    assert pretty_uptime(seconds) == expected


@pytest.mark.parametrize(
    "uptime",
    [b"30.00 1.00\n", b"3599.99 1.00\n", b"86400.50 1.00\n", b"277500.00 1.00\n"],
)
def test_the_same_line_as_procps_on_the_same_files(uptime: bytes, tmp_path: Path) -> None:
    from tests.proc_bind import procfs_on, tool_on

    files = {"uptime": uptime, "loadavg": b"0.52 0.58 0.59 2/345 6789\n"}
    for argv in ([], ["-p"]):
        for _ in range(3):  # the clock may tick between the two
            expected = tool_on(files, tmp_path / "tool", "uptime", *argv)
            ours = procfs_on(files, tmp_path / "root", "uptime", *argv)
            if ours == expected:
                break
        assert ours[9:] == expected[9:], argv  # after the clock " HH:MM:SS"


def test_live_against_procps_uptime() -> None:
    import shutil
    import subprocess

    from tests.proc_bind import run

    if shutil.which("uptime") is None:
        pytest.skip("procps uptime is not installed")
    for argv in ([], ["-p"], ["-s"]):
        for _ in range(5):  # a minute (a second) may turn between the two
            expected = subprocess.run(["uptime", *argv], capture_output=True, text=True).stdout
            ours = run("uptime", *argv).stdout
            if ours.split("load average")[0] == expected.split("load average")[0]:
                break
        assert ours.split("load average")[0] == expected.split("load average")[0], argv
    result = run("uptime", "--json")
    import json

    document = json.loads(result.stdout)
    assert abs(document["boot_time"] - ProcFS().boot_time_secs()) < 2
    assert len(document["load"]) == 3
