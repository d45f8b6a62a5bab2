"""/proc/[pid]/sched, schedstat and autogroup: samples and the live process."""

from __future__ import annotations

import os
import time

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.sched import (
    Autogroup,
    Sched,
    SchedStat,
    parse_autogroup,
    parse_sched,
    parse_schedstat,
)
from procfs.errors import ParseError
from tests.conftest import sample


def test_registered() -> None:
    assert PARSERS["[pid]/schedstat"] is parse_schedstat
    assert PARSERS["[pid]/task/[tid]/schedstat"] is parse_schedstat
    assert PARSERS["[pid]/sched"] is parse_sched
    assert PARSERS["[pid]/task/[tid]/sched"] is parse_sched
    assert PARSERS["[pid]/autogroup"] is parse_autogroup
    assert "[pid]/task/[tid]/autogroup" not in PARSERS  # threads have no autogroup file


def test_schedstat_samples() -> None:
    assert parse_schedstat(sample("prometheus-fixtures/proc/26231/schedstat")) == SchedStat(
        411605849, 93680043, 79
    )
    assert parse_schedstat(b"1 2 3") == SchedStat(1, 2, 3)


@pytest.mark.parametrize("data", [b"", b"1 2", b"1 2 3 4", b"1 -2 3", b"a b c"])
def test_schedstat_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_schedstat(data)


def test_captured_sched_agrees_with_schedstat() -> None:
    # both captured in one go from the same sleeping Python process (kernel 6.18)
    sched = parse_sched(sample("dev-machine/proc/15532/sched"))
    stat = parse_schedstat(sample("dev-machine/proc/15532/schedstat"))
    assert (sched.comm, sched.pid, sched.threads) == ("python3", 15532, 2)
    # "se.sum_exec_runtime : 33.988465" (ms) is schedstat's 33988465 ns
    assert sched.sum_exec_runtime == stat.sum_exec_runtime == 33988465
    assert sched.nr_switches == stat.pcount == 40
    assert sched.nr_voluntary_switches == 3
    assert sched.values["se.exec_start"] == 2117817602201
    assert sched.values["numa_preferred_nid"] == -1
    assert sched.policy == 0 and sched.prio == 120
    assert sched.extra == [
        "current_node=0, numa_group_id=0",
        "numa_faults node=0 task_private=0 task_shared=0 group_private=0 group_shared=0",
    ]
    # 25 lines with a colon: the header and 24 values
    assert len(sched.values) == 24


def test_handmade_sched_odd_comm_and_negative_milliseconds() -> None:
    sched = parse_sched(sample("handmade/proc/4711/sched"))
    assert sched.comm == "a (b) c"
    assert (sched.pid, sched.threads) == (4711, 2)
    assert sched.values["se.exec_start"] == 10_000_000_001  # 10000.000001 ms
    assert sched.values["se.vruntime"] == -1_500_000  # -1.500000 ms
    assert sched.sum_exec_runtime == 250_125_000
    assert sched.nr_involuntary_switches == 2
    assert sched.values["clock-delta"] == 65
    assert sched.extra == []


def test_sched_old_header_without_threads() -> None:
    sched = parse_sched(b"bash (42)\n------\nnr_switches : 7\n")
    assert sched == Sched("bash", 42, None, {"nr_switches": 7}, [])


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"no header\n",
        b"bash (x, #threads: 1)\n",
        b"bash (1, threads: 1)\n",
        b"bash (1, #threads: 1)\n---\nx : 1.2.3\n",
        b"bash (1, #threads: 1)\n---\nx : 1.1234567\n",
        b"bash (1, #threads: 1)\n---\nx : abc\n",
    ],
)
def test_sched_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_sched(data)


def test_autogroup() -> None:
    assert parse_autogroup(sample("dev-machine/proc/15532/autogroup")) == Autogroup(19, 0)
    assert parse_autogroup(b"/autogroup-7 nice -5\n") == Autogroup(7, -5)
    assert parse_autogroup(b"") is None  # a kernel thread
    for bad in (b"/autogroup-x nice 0", b"autogroup-1 nice 0", b"/autogroup-1 nice", b"/a"):
        with pytest.raises(ParseError):
            parse_autogroup(bad)


def _spin(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_live_schedstat_agrees_with_thread_cpu_time() -> None:
    me = procfs.Process.myself()
    try:
        before = me.task(os.getpid()).schedstat()
    except procfs.NotFoundError:
        pytest.skip("no schedstat (CONFIG_SCHED_INFO)")
    cpu_before = time.thread_time_ns()
    _spin(0.05)
    cpu_after = time.thread_time_ns()
    after = me.task(os.getpid()).schedstat()
    spent = after.sum_exec_runtime - before.sum_exec_runtime
    # both count this thread's CPU time in nanoseconds
    assert spent >= (cpu_after - cpu_before) * 0.9
    assert spent <= (cpu_after - cpu_before) + 50_000_000
    assert after.pcount >= before.pcount


def test_live_sched() -> None:
    me = procfs.Process.myself()
    try:
        sched = me.sched()
    except procfs.NotFoundError:
        pytest.skip("no sched file (CONFIG_SCHED_DEBUG)")
    assert sched.pid == os.getpid()
    assert sched.threads == len(os.listdir("/proc/self/task"))
    assert sched.comm == me.comm()
    assert sched.policy == os.sched_getscheduler(0)


def test_live_autogroup() -> None:
    try:
        group = procfs.Process.myself().autogroup()
    except procfs.NotFoundError:
        pytest.skip("no autogroup file (CONFIG_SCHED_AUTOGROUP)")
    with open("/proc/self/autogroup") as f:
        raw = f.read().split()
    if group is None:
        assert raw == []
    else:
        assert raw == [f"/autogroup-{group.id}", "nice", str(group.nice)]
