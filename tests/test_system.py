"""System-wide readers: the live system against independent sources, other roots, captures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import procfs
from procfs import LoadAverage, NotFoundError, ProcFS
from tests.conftest import PROMETHEUS_PROC, corpus_path

WORD = 8 if sys.maxsize > 2**32 else 4


def _auxv(*pairs: tuple[int, int]) -> bytes:
    """An auxiliary vector in this machine's layout, ended by AT_NULL."""
    out = b""
    for key, value in (*pairs, (0, 0)):
        out += key.to_bytes(WORD, sys.byteorder) + value.to_bytes(WORD, sys.byteorder)
    return out


def test_page_size_and_ticks_live() -> None:
    assert procfs.page_size() == os.sysconf("SC_PAGE_SIZE")
    assert procfs.ticks_per_second() == os.sysconf("SC_CLK_TCK")


def test_captured_copy_of_live_auxv(tmp_path: Path) -> None:
    (tmp_path / "self").mkdir()
    shutil.copyfile("/proc/self/auxv", tmp_path / "self" / "auxv")
    fs = ProcFS(tmp_path)
    assert fs.page_size() == os.sysconf("SC_PAGE_SIZE")
    assert fs.ticks_per_second() == os.sysconf("SC_CLK_TCK")


def test_other_root_uses_its_auxv(tmp_path: Path) -> None:
    # A capture from a 64 kB-page kernel with HZ 250: the values must come from the file.
    (tmp_path / "self").mkdir()
    (tmp_path / "self" / "auxv").write_bytes(_auxv((16, 1), (6, 65536), (17, 250)))
    fs = ProcFS(tmp_path)
    assert fs.page_size() == 65536
    assert fs.ticks_per_second() == 250


def test_self_link_stored_as_a_file(tmp_path: Path) -> None:
    (tmp_path / "self").write_text("4242")
    (tmp_path / "4242").mkdir()
    (tmp_path / "4242" / "auxv").write_bytes(_auxv((6, 16384), (17, 1000)))
    fs = ProcFS(tmp_path)
    assert fs.page_size() == 16384
    assert fs.ticks_per_second() == 1000


def test_missing_or_implausible_auxv_falls_back(tmp_path: Path) -> None:
    fs = ProcFS(tmp_path)
    assert fs.page_size() == os.sysconf("SC_PAGE_SIZE")
    assert fs.ticks_per_second() == os.sysconf("SC_CLK_TCK")
    (tmp_path / "self").mkdir()
    (tmp_path / "self" / "auxv").write_bytes(_auxv((6, 12345), (17, 0)))
    assert fs.page_size() == os.sysconf("SC_PAGE_SIZE")
    assert fs.ticks_per_second() == os.sysconf("SC_CLK_TCK")


def test_boot_time_against_uptime() -> None:
    booted = procfs.boot_time()
    assert booted.tzinfo is not None and booted.utcoffset() == timedelta(0)
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    assert abs(booted.timestamp() - (time.time() - uptime)) <= 2
    assert procfs.boot_time_secs() == int(booted.timestamp())
    assert procfs.boot_time_secs() == ProcFS().kernel_stats().btime


@pytest.mark.skipif(shutil.which("uptime") is None, reason="uptime(1) is not installed")
def test_boot_time_against_uptime_command() -> None:
    result = subprocess.run(["uptime", "-s"], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip("this uptime has no -s option")
    local = datetime.strptime(result.stdout.strip(), "%Y-%m-%d %H:%M:%S")
    booted = procfs.boot_time().astimezone().replace(tzinfo=None)
    assert abs((booted - local).total_seconds()) <= 2


def test_module_functions_match_procfs_methods() -> None:
    fs = ProcFS()
    assert procfs.meminfo().mem_total == fs.meminfo().mem_total
    assert procfs.cpuinfo().num_cores == fs.cpuinfo().num_cores
    assert isinstance(procfs.loadavg(), LoadAverage)
    assert procfs.kernel_version() == fs.kernel_version()
    assert [c.subsys_name for c in procfs.cgroups()] == [c.subsys_name for c in fs.cgroups()]


def test_prometheus_capture() -> None:
    fs = ProcFS(corpus_path(PROMETHEUS_PROC))
    assert fs.meminfo().mem_total == 15666184 * 1024
    assert fs.loadavg() == LoadAverage(0.02, 0.04, 0.05, 1, 497, 11947)
    assert fs.cpuinfo().num_cores == 8
    assert fs.kernel_stats().total.user == 301854
    assert fs.boot_time_secs() == 1418183276
    assert fs.boot_time() == datetime(2014, 12, 10, 3, 47, 56, tzinfo=timezone.utc)
    # The capture holds no auxv: this machine's values are used.
    assert fs.page_size() == os.sysconf("SC_PAGE_SIZE")
    # Files the capture does not hold.
    for reader in (fs.kernel_version, fs.kernel_config, fs.cgroups):
        with pytest.raises(NotFoundError):
            reader()
