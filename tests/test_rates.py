"""Counters to rates (procfs.rates): hand-made samples with known answers, and live
samples against psutil over the same interval."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import pytest

import procfs
from procfs.core.kernel_stats import CpuTime
from procfs.memory import Paging
from procfs.rates import (
    DiskRate,
    NetRate,
    ProcessCounters,
    ProcessRate,
    Sample,
    SystemRate,
    delta,
)
from procfs.root import ProcFS
from procfs.usage import CpuStats, CpuTimesPercent, DiskIoCounters, NetIoCounters
from tests.helpers import NOBODY, run_as

FS = ProcFS("/proc")


def cpu(user: int, system: int, idle: int, iowait: int, guest: int = 0) -> CpuTime:
    return CpuTime(user, 0, system, idle, iowait, 0, 0, 0, guest, 0)


def disk(read_bytes: int, write_bytes: int, reads: int, busy_ms: int) -> DiskIoCounters:
    return DiskIoCounters(reads, 0, read_bytes, write_bytes, 0, 0, 0, 0, busy_ms)


def nic(sent: int, recv: int) -> NetIoCounters:
    return NetIoCounters(sent, recv, sent // 100, recv // 100, 0, 0, 0, 0)


BEFORE = Sample(
    time=100.0,
    ticks_per_second=100,
    cpu=cpu(1000, 500, 8000, 500, guest=100),
    cpus={0: cpu(500, 250, 4000, 250), 1: cpu(500, 250, 4000, 250)},
    processes={
        (10, 5): ProcessCounters(10, 5, 100, 50, 1000, 2000, 100.0),
        (11, 7): ProcessCounters(11, 7, 0, 0, None, None, 100.0),
        (12, 9): ProcessCounters(12, 9, 40, 0, 0, 0, 100.0),  # exits; 12 is reused
        (13, 9): ProcessCounters(13, 9, 40, 0, 0, 0, 100.0),  # exits
    },
    disks={"sda": disk(1000, 0, 10, 0), "sda1": disk(1000, 0, 10, 0)},
    disk_total=disk(1000, 0, 10, 0),
    nics={"lo": nic(0, 0), "eth0": nic(10000, 5000), "gone0": nic(5, 5)},
)
# Two seconds later: 200 ticks a CPU, 400 in all.
AFTER = Sample(
    time=102.0,
    ticks_per_second=100,
    # user +120 (of which guest +40), system +40, idle +200, iowait +40: 400 ticks
    cpu=cpu(1120, 540, 8200, 540, guest=140),
    # cpu0 fully busy in user mode; cpu1 idle
    cpus={0: cpu(700, 250, 4000, 250), 1: cpu(500, 250, 4200, 250), 2: cpu(9, 9, 9, 9)},
    processes={
        (10, 5): ProcessCounters(10, 5, 250, 50, 5000, 2000, 102.0),  # 150 ticks in 2 s: 75 %
        (11, 7): ProcessCounters(11, 7, 0, 0, None, None, 101.0),
        (12, 900): ProcessCounters(12, 900, 10, 0, 0, 0, 102.0),  # a new process with pid 12
        (14, 950): ProcessCounters(14, 950, 10, 0, 0, 0, 102.0),  # new
    },
    disks={"sda": disk(5000, 4096, 30, 500), "sda1": disk(5000, 4096, 30, 500)},
    disk_total=disk(5000, 4096, 30, 500),
    # eth0's counters went back (a driver reset): no negative rate
    nics={"lo": nic(200, 200), "eth0": nic(0, 0)},
)


def test_delta_of_two_hand_made_samples() -> None:
    rates = delta(BEFORE, AFTER)
    assert rates.interval == 2.0
    # busy = 400 - idle 200 - iowait 40 = 160 of 400 ticks (guest is inside user)
    assert rates.cpu_percent == 40.0
    assert rates.cpu_times_percent == CpuTimesPercent(
        30.0, 0.0, 10.0, 50.0, 10.0, 0.0, 0.0, 0.0, 10.0, 0.0
    )
    # cpu 2 came online meanwhile: left out
    assert rates.cpus_percent == {0: 100.0, 1: 0.0}
    assert rates.cpus_times_percent is not None
    assert rates.cpus_times_percent[0].user == 100.0 and rates.cpus_times_percent[1].idle == 100.0
    assert rates.processes == {
        (10, 5): ProcessRate(10, 75.0, 2000.0, 0.0),
        (11, 7): ProcessRate(11, 0.0, None, None),
    }
    assert rates.disks == {
        "sda": DiskRate(2000.0, 2048.0, 10.0, 0.0, 25.0),
        "sda1": DiskRate(2000.0, 2048.0, 10.0, 0.0, 25.0),
    }
    assert rates.disk_total == DiskRate(2000.0, 2048.0, 10.0, 0.0, 25.0)
    assert rates.nics == {
        "lo": NetRate(100.0, 100.0, 1.0, 1.0),
        "eth0": NetRate(0.0, 0.0, 0.0, 0.0),
    }
    assert rates.net_total == NetRate(100.0, 100.0, 1.0, 1.0)


def test_a_reused_pid_is_never_compared_with_the_process_before() -> None:
    rates = delta(BEFORE, AFTER)
    assert rates.processes is not None
    assert not any(key[0] in (12, 13, 14) for key in rates.processes)


def test_the_same_sample_twice_gives_rates_of_zero() -> None:
    rates = delta(AFTER, AFTER)
    assert rates.interval == 0.0
    assert rates.cpu_percent == 0.0
    assert rates.cpu_times_percent == CpuTimesPercent(
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    )
    assert rates.processes is not None
    assert rates.processes[(10, 5)] == ProcessRate(10, 0.0, 0.0, 0.0)
    assert rates.disk_total == DiskRate(0.0, 0.0, 0.0, 0.0, 0.0)


def test_samples_in_the_wrong_order_are_refused() -> None:
    with pytest.raises(ValueError, match="before the previous"):
        delta(AFTER, BEFORE)


def test_what_a_sample_lacks_its_rates_lack() -> None:
    cheap = Sample(time=1.0, ticks_per_second=100, cpu=cpu(1, 1, 1, 1))
    later = Sample(time=2.0, ticks_per_second=100, cpu=cpu(2, 1, 2, 1))
    rates = delta(cheap, later)
    assert rates.cpu_percent == 50.0
    assert rates.cpus_percent is None and rates.processes is None
    assert rates.disks is None and rates.nics is None and rates.net_total is None


def test_an_old_kernels_cpu_times_give_none_for_the_modes_it_lacks() -> None:
    old = Sample(time=1.0, ticks_per_second=100, cpu=CpuTime(10, 0, 10, 80))
    new = Sample(time=2.0, ticks_per_second=100, cpu=CpuTime(20, 0, 20, 160))
    rates = delta(old, new)
    assert rates.cpu_percent == 20.0
    assert rates.cpu_times_percent is not None
    assert rates.cpu_times_percent.iowait is None and rates.cpu_times_percent.idle == 80.0


def test_sample_takes_only_what_it_is_asked_for() -> None:
    cheap = procfs.sample(("cpu",))
    assert cheap.cpu is not None and cheap.cpus is None and cheap.processes is None
    earlier = FS.disk_io_counters()
    full = FS.sample(("cpu", "cpus", "processes", "disks", "nics"))
    later = FS.disk_io_counters()
    assert full.cpus is not None and len(full.cpus) == os.cpu_count()
    assert full.processes is not None
    assert (os.getpid(), FS.myself().stat().starttime) in full.processes
    assert full.disks is not None and full.disk_total is not None and full.nics is not None
    assert earlier.read_count <= full.disk_total.read_count <= later.read_count
    assert full.disks.keys() == FS.disk_io_counters(perdisk=True).keys()
    with pytest.raises(ValueError, match="unknown sample part"):
        FS.sample(("cpu", "gpu"))
    with pytest.raises(TypeError, match="tuple of names"):
        FS.sample("cpu")  # type: ignore[arg-type]


def test_a_sleeping_processes_counters_equal_psutils() -> None:
    psutil: Any = pytest.importorskip("psutil")
    with subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    ) as child:
        try:
            time.sleep(0.2)  # past its start-up
            ours = FS.sample(("processes",)).processes
            theirs = psutil.Process(child.pid)
            times = theirs.cpu_times()
            io = theirs.io_counters()
            assert ours is not None
            (counters,) = [c for (pid, _), c in ours.items() if pid == child.pid]
            ticks = FS.ticks_per_second()
            assert counters.utime / ticks == times.user and counters.stime / ticks == times.system
            assert (counters.read_bytes, counters.write_bytes) == (io.read_bytes, io.write_bytes)
            assert counters.starttime == FS.process(child.pid).stat().starttime
        finally:
            assert child.stdin is not None
            child.stdin.close()


def test_io_denied_gives_none_but_cpu_times_still_count() -> None:
    """As nobody, other users' ``io`` may not be read: None, not a failed sample."""

    def as_nobody() -> tuple[int, int, int]:
        processes = ProcFS("/proc").sample(("processes",)).processes or {}
        mine = os.getpid()
        root_owned = [c for (pid, _), c in processes.items() if pid == 1]
        own = [c for (pid, _), c in processes.items() if pid == mine]
        return (
            len(root_owned),
            sum(1 for c in root_owned if c.read_bytes is None),
            sum(1 for c in own if c.read_bytes is not None),
        )

    assert run_as(NOBODY, NOBODY, as_nobody) == (1, 1, 1)


def test_cpu_percent_of_the_system_matches_psutil_over_the_same_interval() -> None:
    """psutil.cpu_percent() measures from its previous call; our samples are taken next to
    those calls, so both cover the same second to within microseconds. On a 100 Hz
    clock 2 CPUs count 200 ticks a second: one tick is half a point. Tolerance: 5 points."""
    psutil: Any = pytest.importorskip("psutil")
    psutil.cpu_percent()
    before = FS.sample(("cpu", "cpus"))
    psutil.cpu_percent(percpu=True)
    time.sleep(1.0)
    after = FS.sample(("cpu", "cpus"))
    theirs = psutil.cpu_percent()
    theirs_per_cpu = psutil.cpu_percent(percpu=True)
    rates = delta(before, after)
    assert rates.cpu_percent is not None and rates.cpus_percent is not None
    assert abs(rates.cpu_percent - theirs) <= 5.0
    assert len(rates.cpus_percent) == len(theirs_per_cpu)
    for ours, their in zip(rates.cpus_percent.values(), theirs_per_cpu, strict=True):
        assert abs(ours - their) <= 10.0  # one CPU: half the ticks, twice the step


def test_a_busy_processes_cpu_percent_matches_psutil() -> None:
    """A child spinning on the CPU: our delta and psutil's Process.cpu_percent() over the
    same interval agree within 10 points (a tick is 1 point of one CPU per second;
    the two readings of each side are a few hundred microseconds apart)."""
    psutil: Any = pytest.importorskip("psutil")
    spin = "import time\nend = time.monotonic() + 30\nwhile time.monotonic() < end: pass"
    with subprocess.Popen([sys.executable, "-c", spin]) as child:
        try:
            theirs = psutil.Process(child.pid)
            time.sleep(0.2)
            theirs.cpu_percent()
            before = FS.sample(("processes",))
            time.sleep(1.0)
            after = FS.sample(("processes",))
            their_percent = theirs.cpu_percent()
            rates = delta(before, after).processes
            assert rates is not None
            (ours,) = [rate for (pid, _), rate in rates.items() if pid == child.pid]
            assert ours.cpu_percent > 5.0
            assert abs(ours.cpu_percent - their_percent) <= 10.0
        finally:
            child.kill()


def test_the_system_rates_of_two_hand_made_samples() -> None:
    """What vmstat shows: context switches and interrupts per second (``cs``, ``in``),
    paging and swapping in bytes per second (``bi``/``bo`` in KiB, ``si``/``so``)."""
    before = Sample(
        time=10.0,
        ticks_per_second=100,
        cpu_stats=CpuStats(1000, 500, 300, 0),
        paging=Paging(4096, 0, 0, 8192),
    )
    after = Sample(
        time=14.0,
        ticks_per_second=100,
        cpu_stats=CpuStats(3000, 900, 300, 0),
        paging=Paging(8192, 1024, 0, 8192),
    )
    assert delta(before, after).system == SystemRate(500.0, 100.0, 0.0, 1024.0, 256.0, 0.0, 0.0)
    only_stats = Sample(time=14.0, ticks_per_second=100, cpu_stats=CpuStats(3000, 900, 300, 0))
    rates = delta(before, only_stats)
    assert rates.system == SystemRate(500.0, 100.0, 0.0, None, None, None, None)
    assert delta(Sample(time=1.0, ticks_per_second=100), only_stats).system is None


def test_a_live_sample_of_the_system_counters() -> None:
    before = FS.cpu_stats()
    sample = FS.sample(("cpu_stats", "paging"))
    after = FS.cpu_stats()
    assert sample.cpu_stats is not None and sample.paging is not None
    assert before.ctx_switches <= sample.cpu_stats.ctx_switches <= after.ctx_switches
    assert sample.cpu is None and sample.cpus is None
    vmstat = FS.vmstat()
    assert vmstat.pgpgin is not None and sample.paging.paged_in <= vmstat.pgpgin * 1024


def test_each_process_is_measured_over_its_own_interval() -> None:
    """A long scan reads the last process later than the first: its rates divide by the
    time between its own two reads (here 1.5 s, not the samples' 2 s)."""
    before = Sample(
        time=0.0,
        ticks_per_second=100,
        processes={(7, 1): ProcessCounters(7, 1, 0, 0, 0, 0, 0.5)},
    )
    after = Sample(
        time=2.0,
        ticks_per_second=100,
        processes={(7, 1): ProcessCounters(7, 1, 100, 50, 3000, 0, 2.0)},
    )
    assert delta(before, after).processes == {(7, 1): ProcessRate(7, 100.0, 2000.0, 0.0)}
