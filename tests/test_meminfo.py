"""/proc/meminfo: samples from several kernels, odd values, and the live system."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

import pytest
from hypothesis import given, settings

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core import meminfo as meminfo_module
from procfs.core.meminfo import MemInfo, parse_meminfo
from tests.conftest import PROMETHEUS_PROC, SAMPLES, corpus_path, sample
from tests.mutations import edited, outcome

KB = 1024


def test_registered() -> None:
    assert PARSERS["meminfo"] is parse_meminfo


def test_prometheus_fixture() -> None:
    # Values read off fixtures/proc/meminfo by hand (kB x 1024).
    info = ProcFS(corpus_path(PROMETHEUS_PROC)).meminfo()
    assert info.mem_total == 15666184 * KB
    assert info.mem_free == 440324 * KB
    assert info.mem_available is None  # the capture predates MemAvailable
    assert info.buffers == 1020128 * KB
    assert info.cached == 12007640 * KB
    assert info.active_anon == 267256 * KB
    assert info.inactive_file == 6532440 * KB
    assert info.z_swap == 22414 * KB
    assert info.z_swapped == 10502 * KB
    assert info.s_reclaimable == 1738124 * KB
    assert info.committed_as == 530844 * KB
    assert info.vmalloc_total == 34359738367 * KB
    assert info.per_cpu == 26176 * KB
    assert info.hardware_corrupted == 0
    assert info.anon_hugepages == 12288 * KB
    assert info.hugepages_total == 0  # a count: no unit in the file
    assert info.hugepagesize == 2048 * KB
    assert info.direct_map_4k == 91136 * KB
    assert info.direct_map_2M == 16039936 * KB
    assert info.direct_map_1G is None
    assert info.k_reclaimable is None
    assert info.extra == {}


def test_swapfree_underflow_keeps_the_huge_value() -> None:
    # Ubuntu 24.04 capture whose SwapFree wrapped around; the capture stops after SwapFree.
    info = parse_meminfo(
        sample("rust-procfs-samples/meminfo.ubuntu-24.04-swapfree-underflow.PARTIAL.txt")
    )
    assert info.swap_free == 18446744073708600176 * 1024
    assert info.swap_free > 2**64
    assert info.swap_total == 67108860 * KB
    assert info.mem_available == 5264828 * KB
    assert info.mlocked == 112 * KB
    assert info.dirty is None  # truncated capture
    assert info.to_dict()["swap_free"] == 18446744073708600176 * 1024


def test_linux_2_6_18_highmem() -> None:
    info = parse_meminfo(sample("handmade/meminfo.linux-2.6.18-i686-pae.txt"))
    assert info.mem_total == 3107980 * KB
    assert info.mem_available is None
    assert info.high_total == 2227648 * KB
    assert info.low_total == 880332 * KB
    # The 32-bit kernel splits RAM between high and low memory.
    assert info.high_total + info.low_total == info.mem_total
    assert info.high_free is not None and info.low_free is not None
    assert info.high_free + info.low_free == info.mem_free
    assert info.slab == 181804 * KB
    assert info.s_reclaimable is None  # 2.6.19
    assert info.shmem is None  # 2.6.32
    assert info.active_anon is None  # 2.6.28
    assert info.hugepages_rsvd == 0
    assert info.hugepages_surp is None  # 2.6.24
    assert info.commit_limit == 5748284 * KB
    assert info.extra == {}


def test_unknown_keys_are_kept() -> None:
    data = b"MemTotal: 100 kB\nMemFree: 50 kB\nDirectMap1M: 4 kB\nNewCounter: 7\n"
    info = parse_meminfo(data)
    assert info.extra == {"DirectMap1M": 4096, "NewCounter": 7}
    assert info.buffers is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"MemFree: 1 kB\n",  # no MemTotal
        b"MemTotal: 1 kB\n",  # no MemFree
        b"MemTotal: x kB\nMemFree: 1 kB\n",
        b"MemTotal: 1 MB\nMemFree: 1 kB\n",
        b"MemTotal 1 kB\nMemFree: 1 kB\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_meminfo(data, path="/x/meminfo")


def test_live_against_sysconf() -> None:
    info = ProcFS().meminfo()
    assert isinstance(info, MemInfo)
    physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    # Both come from the kernel's totalram; a balloon driver may move it a little.
    assert abs(info.mem_total - physical) <= physical // 100
    assert 0 <= info.mem_free <= info.mem_total
    assert info.mem_available is not None and info.mem_available <= info.mem_total


@pytest.mark.skipif(shutil.which("free") is None, reason="free(1) is not installed")
def test_live_against_free() -> None:
    out = subprocess.run(["free", "-b"], capture_output=True, text=True, check=True).stdout
    row = next(line.split() for line in out.splitlines() if line.startswith("Mem:"))
    info = ProcFS().meminfo()
    assert int(row[1]) == info.mem_total
    swap = next(line.split() for line in out.splitlines() if line.startswith("Swap:"))
    assert int(swap[1]) == info.swap_total


# -- the fast reading of the usual file agrees with the strict one --------------------------

_SAMPLES = [path.read_bytes() for path in sorted(SAMPLES.rglob("meminfo*"))]


def test_the_usual_file_takes_the_fast_reading() -> None:
    meminfo_module._Layout(sample("dev-machine/proc/meminfo"))  # raises ValueError if not


def _strict(data: bytes) -> object:
    """The outcome of the line-by-line reading alone."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(meminfo_module, "_layouts", lambda data: None)
        return outcome(parse_meminfo, data)


@settings(max_examples=300, deadline=None)
@given(edited(_SAMPLES))
def test_fast_and_strict_readings_agree(data: bytes) -> None:
    assert outcome(parse_meminfo, data) == _strict(data)


@pytest.mark.parametrize("data", _SAMPLES[:4])
def test_a_file_of_the_same_shape_reuses_the_layout(data: bytes) -> None:
    first = outcome(parse_meminfo, data)
    layout = meminfo_module._layouts(data)
    # Other digits, same places: the layout of the last file is used.
    rotate = bytes.maketrans(b"0123456789", b"1234567890")
    changed = b"\n".join(
        key + colon + value.translate(rotate)
        for key, colon, value in (line.partition(b":") for line in data.split(b"\n"))
    )
    assert outcome(parse_meminfo, changed) == _strict(changed)
    assert layout is None or meminfo_module._layouts(changed) is layout
    assert outcome(parse_meminfo, data) == first


def test_digits_inside_keys_are_compared() -> None:
    data = sample("dev-machine/proc/meminfo")
    assert b"DirectMap4k:" in data
    parse_meminfo(data)
    other = parse_meminfo(data.replace(b"DirectMap4k:", b"DirectMap8k:"))
    assert other.direct_map_4k is None
    assert other.extra == {"DirectMap8k": parse_meminfo(data).direct_map_4k}


def test_values_are_converted_when_read() -> None:
    data = b"MemTotal:  100 kB\nMemFree:  50 kB\nHugePages_Total:  3\nNew: 7 kB\n"
    for _ in range(2):  # a new layout, then the same one
        info = parse_meminfo(data)
        raw: Any = info._values  # what the record stores
        assert raw[0] == b"100 kB"  # kept as text
        assert (info.mem_total, info.mem_free, info.hugepages_total) == (102400, 51200, 3)
        assert info.extra == {"New": 7168}
        assert info == _strict_record(data)
        assert info.to_dict() == _strict_record(data).to_dict()
    assert MemInfo(mem_total=1, mem_free=2).mem_free == 2


def _strict_record(data: bytes) -> MemInfo:
    return meminfo_module._parse_strict(data)


def test_dev_machine_capture() -> None:
    info = parse_meminfo(sample("dev-machine/proc/meminfo"))
    assert info.mem_total == 24684084 * KB  # MemTotal:       24684084 kB
    assert info.hugepages_total == 0 and info.hugepagesize == 2048 * KB
