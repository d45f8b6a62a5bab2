"""procfs free: against procps free on the same files, and live."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from procfs.cli.free import numbers, scale_size
from procfs.core.meminfo import parse_meminfo
from procfs.memory import swap_of
from tests.proc_bind import procfs_on, run, tool_on

_MODERN = b"""\
MemTotal:       16303888 kB
MemFree:          723400 kB
MemAvailable:    9875432 kB
Buffers:          402112 kB
Cached:          8123904 kB
SwapCached:        12345 kB
Active:          6000000 kB
Inactive:        5000000 kB
SwapTotal:       2097148 kB
SwapFree:        1048576 kB
Shmem:            654321 kB
SReclaimable:     777777 kB
CommitLimit:    10249092 kB
Committed_AS:   12000000 kB
"""

# a kernel before 3.14 (no MemAvailable), with high memory (32-bit)
_OLD_HIGHMEM = b"""\
MemTotal:        3106904 kB
MemFree:         1023456 kB
Buffers:           12345 kB
Cached:           987654 kB
HighTotal:       2252488 kB
HighFree:         734560 kB
LowTotal:         854416 kB
LowFree:          288896 kB
SwapTotal:             0 kB
SwapFree:              0 kB
Shmem:              1000 kB
CommitLimit:     1553452 kB
Committed_AS:     800000 kB
"""

# a container showing the host's MemAvailable, larger than its own MemTotal
_CONTAINER = b"""\
MemTotal:         524288 kB
MemFree:          100000 kB
MemAvailable:   99999999 kB
Buffers:               0 kB
Cached:           200000 kB
SwapTotal:     1099511627 kB
SwapFree:      1099511627 kB
Shmem:               512 kB
SReclaimable:          0 kB
CommitLimit:      262144 kB
Committed_AS:     100000 kB
"""

_SAMPLES = {"modern": _MODERN, "old-highmem": _OLD_HIGHMEM, "container": _CONTAINER}

_OPTIONS = [
    [],
    ["-w"],
    ["-b"],
    ["-k"],
    ["-m"],
    ["-g"],
    ["-h"],
    ["-h", "--si"],
    ["--si"],
    ["--kilo"],
    ["--mega"],
    ["--giga"],
    ["--tera"],
    ["--tebi"],
    ["--pebi"],
    ["-t"],
    ["-l"],
    ["-w", "-h", "-t", "-l"],
    ["-v"],
    ["-h", "-v"],
]


@pytest.mark.parametrize("name", list(_SAMPLES))
def test_the_same_table_as_procps_on_the_same_file(name: str, tmp_path: Path) -> None:
    files = {"meminfo": _SAMPLES[name]}
    for argv in _OPTIONS:
        expected = tool_on(files, tmp_path / "tool", "free", *argv)
        assert procfs_on(files, tmp_path / "root", "free", *argv) == expected, argv


def test_used_is_total_less_available() -> None:
    usage = numbers(parse_meminfo(_MODERN))
    assert usage["used"] == (16303888 - 9875432) * 1024
    assert usage["cache"] == (8123904 + 777777) * 1024
    assert usage["swap_used"] == (2097148 - 1048576) * 1024
    old = numbers(parse_meminfo(_OLD_HIGHMEM))
    assert old["available"] == old["free"] == 1023456 * 1024  # no MemAvailable: MemFree
    high = ((854416 - 288896) * 1024, (2252488 - 734560) * 1024)
    assert (old["low_used"], old["high_used"]) == high
    container = numbers(parse_meminfo(_CONTAINER))
    assert container["available"] == 100000 * 1024  # larger than the total: MemFree


def test_scale_size_by_hand() -> None:
    kib = 1024
    assert scale_size(1536 * kib) == "1536"
    assert scale_size(1536 * kib, 1) == str(1536 * kib)
    assert scale_size(1536 * kib, 3) == "1"  # truncated, as procps does
    assert scale_size(1536 * kib, human=True) == "1.5Mi"
    assert scale_size(0, human=True) == "0B"
    assert scale_size(999 * kib, human=True) == "999Ki"
    assert scale_size(1000 * kib, si=True, human=True) == "1.0M"  # 1024000 bytes
    assert scale_size(16303888 * kib, human=True) == "15Gi"  # 15.5 does not fit in 5
    assert scale_size(3 * kib * kib * kib, human=True) == "3.0Gi"


def _free(*argv: str) -> list[list[str]]:
    result = subprocess.run(["free", *argv], capture_output=True, text=True, check=True)
    return [line.split() for line in result.stdout.splitlines()]


def test_live_against_procps_free() -> None:
    if shutil.which("free") is None:
        pytest.skip("procps free is not installed")
    for argv in ([], ["-w", "-b"], ["-h"], ["-t", "-l", "-v"]):
        before = _free(*argv)
        ours = [line.split() for line in run("free", *argv).stdout.splitlines()]
        after = _free(*argv)
        assert len(ours) == len(before)
        assert ours[0] == before[0]  # the header
        for mine, first, last in zip(ours[1:], before[1:], after[1:], strict=True):
            assert mine[0] == first[0]  # Mem:, Swap:, ...
            if argv == ["-h"]:
                continue  # (a moving value can change unit)
            for index, (value, a, b) in enumerate(zip(mine[1:], first[1:], last[1:], strict=True)):
                if mine[0] in ("Mem:", "Swap:", "Total:", "Low:") and index == 0:
                    assert value == a == b  # totals do not move
                else:  # within what moved between the two runs, and some slack
                    low, high = sorted((int(a), int(b)))
                    slack = max(high - low, 64 << 20 >> (0 if "-b" in argv else 10))
                    assert low - slack <= int(value) <= high + slack, (mine, first, last)


def test_json_holds_the_numbers_in_bytes(tmp_path: Path) -> None:
    out = procfs_on({"meminfo": _MODERN}, tmp_path, "free", "--json")
    kib = {
        "total": 16303888,
        "used": 16303888 - 9875432,
        "free": 723400,
        "shared": 654321,
        "buffers": 402112,
        "cache": 8123904 + 777777,
        "available": 9875432,
        "swap_total": 2097148,
        "swap_used": 2097148 - 1048576,
        "swap_free": 1048576,
        "low_total": 16303888,  # no LowTotal: all of it
        "low_used": 16303888 - 723400,
        "low_free": 723400,
        "high_total": 0,
        "high_used": 0,
        "high_free": 0,
        "commit_limit": 10249092,
        "committed": 12000000,
    }
    assert json.loads(out) == {key: value * 1024 for key, value in kib.items()}
    lines = procfs_on({"meminfo": _MODERN}, tmp_path, "free", "--json", "-c", "2", "-s", "0.01")
    assert [json.loads(line)["total"] for line in lines.splitlines()] == [16303888 * 1024] * 2


def test_more_swap_free_than_total_is_none_used(tmp_path: Path) -> None:
    # a kernel that underflowed SwapFree (the corpus's Ubuntu 24.04 sample): procps
    # shows 0 used, and so do free, vmstat -s and swap_memory()
    info = _MODERN.replace(b"1048576 kB", b"4194304 kB")
    assert numbers(parse_meminfo(info))["swap_used"] == 0
    assert swap_of(parse_meminfo(info)).used == 0
    expected = tool_on({"meminfo": info}, tmp_path / "tool", "free")
    assert procfs_on({"meminfo": info}, tmp_path / "root", "free") == expected


def test_repeats_as_procps_does(tmp_path: Path) -> None:
    files = {"meminfo": _MODERN}
    argv = ["-c", "3", "-s", "0.01"]
    expected = tool_on(files, tmp_path / "tool", "free", *argv)
    assert expected.count("\n\n") == 2  # a blank line between blocks, none after
    assert procfs_on(files, tmp_path / "root", "free", *argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["-b", "-m"],
        ["-s", "0"],
        ["-s", "x"],
        ["-s", "nan"],
        ["-s", "1e300"],
        ["-c", "0"],
        ["-c", "1.5"],
        ["--nope"],
        ["extra"],
    ],
)
def test_usage_errors(argv: list[str]) -> None:
    result = run("free", *argv)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage: procfs free" in result.stderr and "Traceback" not in result.stderr
