"""/proc/stat: kernels from 2.4 to 6.x, offline CPUs, and the live system."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from hypothesis import given, settings

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core import kernel_stats as kernel_stats_module
from procfs.core.kernel_stats import CpuTime, IrqCounts, parse_boot_time, parse_kernel_stats
from tests.conftest import PROMETHEUS_PROC, SAMPLES, corpus_path, sample
from tests.mutations import edited, outcome, strict

_FIELDS = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def test_registered() -> None:
    assert PARSERS["stat"] is parse_kernel_stats


def test_prometheus_fixture() -> None:
    stats = ProcFS(corpus_path(PROMETHEUS_PROC)).kernel_stats()
    assert stats.total == CpuTime(301854, 612, 111922, 8979004, 3552, 2, 3944, 0, 0, 0)
    assert sorted(stats.cpus) == list(range(8))
    assert stats.cpus[0] == CpuTime(44490, 19, 21045, 1087069, 220, 1, 3410, 0, 0, 0)
    assert stats.cpus[7].nice == 268
    assert stats.ctxt == 38014093
    assert stats.btime == 1418183276
    assert stats.processes == 26442
    assert (stats.procs_running, stats.procs_blocked) == (2, 1)
    assert stats.intr is not None
    assert stats.intr.total == 73777505
    assert stats.intr.counts[:4] == [41, 9, 0, 0]
    assert stats.softirq == IrqCounts(
        5057579, [250191, 1481983, 1647, 211099, 186066, 0, 1783454, 622196, 12499, 508444]
    )
    assert stats.extra == {}


def test_linux_2_6_9_seven_columns() -> None:
    stats = parse_kernel_stats(sample("handmade/proc_stat.linux-2.6.9-7-fields.txt"))
    assert stats.total == CpuTime(2255, 34, 2290, 22625563, 6289, 127, 456)
    assert (
        stats.total.steal is None and stats.total.guest is None and stats.total.guest_nice is None
    )
    # The sample's per-CPU lines add up to its total line (checked by hand).
    for field in _FIELDS[:7]:
        assert getattr(stats.cpus[0], field) + getattr(stats.cpus[1], field) == getattr(
            stats.total, field
        )
    assert stats.softirq is None  # 2.6.31
    assert stats.intr == IrqCounts(114930548, [113199788, 3, 0, 5, 263, 0, 4])
    assert (stats.ctxt, stats.btime, stats.processes) == (1990473, 1062191376, 2915)
    assert (stats.procs_running, stats.procs_blocked) == (1, 0)


def test_linux_2_6_18_eight_columns_and_offline_cpu() -> None:
    stats = parse_kernel_stats(sample("handmade/proc_stat.linux-2.6.18-8-fields-cpu1-offline.txt"))
    assert sorted(stats.cpus) == [0, 2]  # CPU 1 is offline: keys keep the CPU numbers
    assert stats.total.steal == 0
    assert stats.total.guest is None
    for field in _FIELDS:
        assert getattr(stats.cpus[0], field) + getattr(stats.cpus[2], field) == getattr(
            stats.total, field
        )


def test_linux_2_4_four_columns_and_extra_lines() -> None:
    stats = parse_kernel_stats(sample("handmade/proc_stat.linux-2.4-4-fields.txt"))
    assert stats.total == CpuTime(10132153, 290696, 3084719, 46828483)
    assert stats.total.iowait is None
    assert stats.intr == IrqCounts(1462898, [])
    assert stats.procs_running is None and stats.procs_blocked is None
    assert stats.extra == {
        "page": "5741 1808",
        "swap": "1 0",
        "disk_io:": "(2,0):(31,30,5764,1,2) (3,0):(176,170,1764,6,14)",
    }
    assert stats.btime == 769041601


def test_future_columns_are_kept() -> None:
    data = b"cpu  1 2 3 4 5 6 7 8 9 10 11 12\nctxt 1\nbtime 2\nprocesses 3\n"
    stats = parse_kernel_stats(data)
    assert stats.total.guest_nice == 10
    assert stats.total.extra == (11, 12)
    assert stats.cpus == {}
    assert stats.to_dict()["total"]["extra"] == [11, 12]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"ctxt 1\nbtime 2\nprocesses 3\n",  # no cpu line
        b"cpu  1 2 3 4\nctxt 1\nprocesses 3\n",  # no btime
        b"cpu  1 2 3\nctxt 1\nbtime 2\nprocesses 3\n",
        b"cpu  1 2 x 4\nctxt 1\nbtime 2\nprocesses 3\n",
        b"cpu  1 2 3 4\ncpuX 1 2 3 4\nctxt 1\nbtime 2\nprocesses 3\n",
        b"cpu  1 2 3 4\nctxt 1 2\nbtime 2\nprocesses 3\n",
        b"cpu  1 2 3 4\nctxt 1\nbtime 2\nprocesses 3\nintr\n",
        b"cpu  1 2 3 4\nctxt 1\nbtime 2\nprocesses 3\nsoftirq 1 z\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_kernel_stats(data)


@pytest.mark.parametrize(
    "name",
    [
        "handmade/proc_stat.linux-2.6.9-7-fields.txt",
        "handmade/proc_stat.linux-2.6.18-8-fields-cpu1-offline.txt",
        "handmade/proc_stat.linux-2.4-4-fields.txt",
    ],
)
def test_boot_time_shortcut_agrees(name: str) -> None:
    data = sample(name)
    assert parse_boot_time(data) == parse_kernel_stats(data).btime


def test_boot_time_shortcut_errors() -> None:
    assert parse_boot_time(b"btime 5\n") == 5
    with pytest.raises(ParseError) as info:
        parse_boot_time(b"cpu 1 2 3 4\n", path="/x/stat")
    assert info.value.path == "/x/stat"
    with pytest.raises(ParseError):
        parse_boot_time(b"cpu 1 2 3 4\nbtime soon\n")


def _online_cpus() -> set[int]:
    with open("/sys/devices/system/cpu/online") as f:
        text = f.read().strip()
    cpus: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        cpus.update(range(int(first), int(last or first) + 1))
    return cpus


def test_live() -> None:
    stats = ProcFS().kernel_stats()
    if os.path.exists("/sys/devices/system/cpu/online"):
        assert set(stats.cpus) == _online_cpus()
    assert os.sched_getaffinity(0) <= set(stats.cpus)
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    assert abs(stats.btime - (time.time() - uptime)) <= 2
    assert stats.total.guest_nice is not None  # a 2.6.33+ kernel
    assert stats.softirq is not None and len(stats.softirq.counts) == 10


def test_live_fork_counts_as_a_process() -> None:
    before = ProcFS().kernel_stats().processes
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os._exit(0)
    os.waitpid(pid, 0)
    assert ProcFS().kernel_stats().processes >= before + 1


# -- the fast reading of the usual file agrees with the strict one --------------------------

_SAMPLES = [sample("dev-machine/proc/stat")] + [
    path.read_bytes() for path in sorted(SAMPLES.rglob("proc_stat*"))
]


def test_the_usual_file_takes_the_fast_reading() -> None:
    assert (
        kernel_stats_module._digit_counts(sample("dev-machine/proc/stat").split(b"\n")[3][5:])
        is not None
    )
    # The first cpu line of the fast reading keeps its times as digits.
    raw: Any = parse_kernel_stats(sample("dev-machine/proc/stat")).total._values
    assert raw[0].__class__ is bytes


_strict = strict(lambda data: kernel_stats_module._parse_strict(data), "stat")


@settings(max_examples=300, deadline=None)
@given(edited(_SAMPLES))
def test_fast_and_strict_readings_agree(data: bytes) -> None:
    fast = outcome(parse_kernel_stats, data)
    assert outcome(_strict, data) == fast
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kernel_stats_module, "_digit_counts", lambda *args: None)
        assert outcome(_strict, data) == fast


def test_cpu_times_are_converted_when_read() -> None:
    data = sample("dev-machine/proc/stat")
    stats = parse_kernel_stats(data)
    raw: Any = stats.total._values  # what the record stores
    assert raw[0].__class__ is bytes  # kept as digits
    first = data.split(b"\n")[0].split()
    assert stats.total.user == int(first[1]) and stats.total.guest_nice == int(first[10])
    assert stats.total.extra == ()
    assert stats.total == CpuTime._make([*map(int, first[1:11]), ()])
    assert stats.to_dict()["total"]["idle"] == int(first[4])
    assert CpuTime(1, 2, 3, 4).idle == 4 and CpuTime(1, 2, 3, 4).iowait is None


def test_interrupt_counts_are_converted_when_read() -> None:
    data = b"cpu  1 2 3 4\nintr 10 1 2  3 4\nctxt 1\nbtime 2\nprocesses 3\nsoftirq 5 0 5\n"
    stats = parse_kernel_stats(data)
    assert stats.intr == IrqCounts(10, [1, 2, 3, 4])
    assert stats.intr is not None and stats.intr.counts == [1, 2, 3, 4]
    assert stats.softirq == IrqCounts(5, [0, 5])
    assert stats.to_dict()["intr"] == {"total": 10, "counts": [1, 2, 3, 4]}
    assert IrqCounts(1, [2]).counts == [2]
