"""/proc/swaps: samples, and a live swap file compared with ``swapon --show``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.swaps import Swap, parse_swaps
from tests.conftest import PROMETHEUS_PROC, SAMPLES, corpus_path, sample

KB = 1024


def test_registered() -> None:
    assert PARSERS["swaps"] is parse_swaps


def test_prometheus_fixture() -> None:
    # "/dev/dm-2 partition 131068 176 -2"
    swaps = ProcFS(corpus_path(PROMETHEUS_PROC)).swaps()
    assert swaps == [Swap("/dev/dm-2", "partition", 131068 * KB, 176 * KB, -2)]
    assert parse_swaps(sample("prometheus-fixtures/proc/swaps")) == swaps


def test_dev_machine_capture_against_swapon() -> None:
    swaps = ProcFS(SAMPLES / "dev-machine" / "proc").swaps()
    # The file name had a space, written "\040" by the kernel.
    assert swaps == [
        Swap("/dev/zram0", "partition", 32764 * KB, 0, 5),
        Swap("/tmp/pyprocfs swap", "file", 8188 * KB, 0, -2),
    ]
    assert swaps[1].to_dict() == {
        "filename": "/tmp/pyprocfs swap",
        "type": "file",
        "size": 8188 * KB,
        "used": 0,
        "priority": -2,
    }
    # `swapon --show --bytes --raw`, run right after the capture.
    tool = sample("dev-machine/swapon-show-bytes-raw.txt").decode().splitlines()[1:]
    for swap, line in zip(swaps, tool, strict=True):
        name, kind, size, used, prio = line.split()
        assert name.replace("\\x20", " ") == swap.filename
        assert (kind, int(size), int(used), int(prio)) == (
            swap.type,
            swap.size,
            swap.used,
            swap.priority,
        )


def test_header_only_and_escapes() -> None:
    header = b"Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
    assert parse_swaps(header) == []
    row = b"/srv/a\\011b\\012c\\134d (deleted)\tfile\t\t100\t\t50\t\t-3\n"
    with pytest.raises(ParseError):  # the kernel would have escaped the space
        parse_swaps(header + row)
    row = b"/srv/a\\011b\\012c\\134d\\040(deleted)\tfile\t\t100\t\t50\t\t-3\n"
    (swap,) = parse_swaps(header + row)
    assert swap.filename == "/srv/a\tb\nc\\d (deleted)"
    assert (swap.size, swap.used, swap.priority) == (100 * KB, 50 * KB, -3)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"/dev/sda2 partition 100 0 -2\n",
        b"Filename Type Size Used Priority\n/dev/sda2 partition 100 0\n",
        b"Filename Type Size Used Priority\n/dev/sda2 partition x 0 -2\n",
        b"Filename Type Size Used Priority\n/dev/sda2 partition 100 0 high\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_swaps(data)


def _swapon_show() -> dict[str, tuple[str, int, int, int]]:
    out = subprocess.run(
        ["swapon", "--show", "--bytes", "--raw", "--noheadings"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    shown = {}
    for line in out.splitlines():
        name, kind, size, used, prio = line.split()
        shown[name.replace("\\x20", " ")] = (kind, int(size), int(used), int(prio))
    return shown


def test_live_swap_file_against_swapon(tmp_path: Path) -> None:
    tools = [shutil.which(tool) for tool in ("mkswap", "swapon", "swapoff")]
    if None in tools or os.geteuid() != 0:
        pytest.skip("needs root and mkswap/swapon/swapoff (util-linux)")
    path = tmp_path / "pyprocfs test swap"
    with open(path, "wb") as f:
        f.write(bytes(8 << 20))  # no holes: swapon refuses sparse files
    path.chmod(0o600)
    subprocess.run(["mkswap", str(path)], check=True, capture_output=True)
    enabled = subprocess.run(["swapon", "-p", "7", str(path)], capture_output=True, text=True)
    if enabled.returncode != 0:
        pytest.skip(f"swapon refused a swap file here: {enabled.stderr.strip()}")
    try:
        swaps = {swap.filename: swap for swap in ProcFS().swaps()}
        shown = _swapon_show()
    finally:
        subprocess.run(["swapoff", str(path)], check=True)
    mine = swaps[str(path)]
    assert mine.type == "file" and mine.priority == 7
    # 8 MiB less the header page.
    assert mine.size == (8 << 20) - os.sysconf("SC_PAGE_SIZE")
    for name, (kind, size, used, prio) in shown.items():
        swap = swaps[name]
        assert (swap.type, swap.size, swap.priority) == (kind, size, prio)
        assert abs(swap.used - used) <= 64 << 20
    assert str(path) not in {swap.filename for swap in ProcFS().swaps()}
