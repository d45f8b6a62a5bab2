"""Counters to rates, with no hidden state: :class:`Sample` and :func:`delta`.

The kernel gives counters (CPU ticks, bytes read) since boot or since a
process started; a monitor wants rates (percent busy, bytes per second). psutil
keeps the previous reading of each counter in hidden module-level state
(``cpu_percent()`` "since the last call"); here the caller keeps it::

    before = procfs.sample(("cpu", "processes"))
    time.sleep(1)
    after = procfs.sample(("cpu", "processes"))
    rates = procfs.delta(before, after)
    rates.cpu_percent                      # the system, percent busy
    for (pid, start), proc in rates.processes.items():
        proc.cpu_percent, proc.read_bytes_per_sec

A :class:`Sample` is an immutable record of the counters of one moment with
its :func:`time.monotonic` timestamp; ``sample()`` reads only what it is asked
for (``"cpu"``, ``"cpus"``, ``"processes"``, ``"disks"``, ``"nics"``), so a
sample of the system's CPU costs one read of ``stat``. Processes are keyed by
(pid, start time): a pid reused between two samples names another process
and is never compared with the first.
"""

from __future__ import annotations

import time as _time

from procfs.core._record import Record
from procfs.memory import Paging, paging_of
from procfs.usage import (
    CpuStats,
    CpuTimesPercent,
    DiskIoCounters,
    NetIoCounters,
    cpu_percents,
    cpu_stats_of,
    disk_total,
    total_cpu_time,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TypeVar

    from procfs.core.kernel_stats import CpuTime
    from procfs.usage import UsageFiles

    K = TypeVar("K")
    V = TypeVar("V")

__all__ = [
    "DiskRate",
    "NetRate",
    "ProcessCounters",
    "ProcessRate",
    "Rates",
    "Sample",
    "SystemRate",
    "delta",
    "take_sample",
]

#: What :func:`take_sample` can read.
PARTS = frozenset(("cpu", "cpus", "cpu_stats", "processes", "disks", "nics", "paging"))
_PROCESS_FIELDS = (
    "pid",
    "stat.starttime",
    "stat.utime",
    "stat.stime",
    "io.read_bytes",
    "io.write_bytes",
)


class ProcessCounters(Record):
    """The counters of one process in a :class:`Sample`.

    Attributes:
        pid: the process ID.
        starttime: when it started, in clock ticks after boot (``stat``).
        utime: its time in user mode, clock ticks (``stat``; threads included).
        stime: its time in kernel mode, clock ticks.
        read_bytes: bytes it caused to be read from storage (``io``), ``None``
            when ``io`` may not be read (another user's process, without root).
        write_bytes: bytes it caused to be written to storage, ``None`` likewise.
        time: when its files were read (:func:`time.monotonic`, seconds): a scan of
            thousands of processes takes a while, and each process's rates are
            measured over its own interval (as psutil's ``Process.cpu_percent()``
            does) rather than the sample's.
    """

    pid: int
    starttime: int
    utime: int
    stime: int
    read_bytes: int | None
    write_bytes: int | None
    time: float


class Sample(Record):
    """The counters of one moment (see the module notes); a part not asked for is ``None``.

    Attributes:
        time: when it was taken: :func:`time.monotonic`, seconds (only the
            difference of two means anything).
        ticks_per_second: the unit of the CPU times (USER_HZ).
        cpu: the time of all CPUs together, clock ticks (``stat``'s ``cpu`` line).
        cpus: the time of each online CPU by number, clock ticks.
        processes: every process's counters, by (pid, start time in ticks).
        disks: every block device's counters (partitions too), by name.
        disk_total: the counters summed over whole devices (see
            :meth:`~procfs.usage.UsageFiles.disk_io_counters`).
        nics: every network interface's counters, by name.
        cpu_stats: context switches and interrupts since boot.
        paging: paging and swapping since boot, bytes.
    """

    time: float
    ticks_per_second: int
    cpu: CpuTime | None = None
    cpus: dict[int, CpuTime] | None = None
    processes: dict[tuple[int, int], ProcessCounters] | None = None
    disks: dict[str, DiskIoCounters] | None = None
    disk_total: DiskIoCounters | None = None
    nics: dict[str, NetIoCounters] | None = None
    cpu_stats: CpuStats | None = None
    paging: Paging | None = None


class ProcessRate(Record):
    """What one process did between two samples.

    Attributes:
        pid: the process ID.
        cpu_percent: its CPU time over the interval, in percent of one CPU (above
            100 for a process busy on several; psutil's ``Process.cpu_percent()``).
        read_bytes_per_sec: bytes per second it caused to be read from storage;
            ``None`` when ``io`` could not be read.
        write_bytes_per_sec: bytes per second it caused to be written; ``None`` likewise.
    """

    pid: int
    cpu_percent: float
    read_bytes_per_sec: float | None
    write_bytes_per_sec: float | None


class DiskRate(Record):
    """What one block device (or all) did between two samples.

    Attributes:
        read_bytes_per_sec: bytes read per second.
        write_bytes_per_sec: bytes written per second.
        reads_per_sec: reads completed per second.
        writes_per_sec: writes completed per second.
        busy_percent: the share of the interval with I/O in flight, percent
            (``iostat``'s ``%util``; summed over devices for the total).
    """

    read_bytes_per_sec: float
    write_bytes_per_sec: float
    reads_per_sec: float
    writes_per_sec: float
    busy_percent: float


class NetRate(Record):
    """What one network interface (or all) did between two samples.

    Attributes:
        sent_bytes_per_sec: bytes sent per second.
        recv_bytes_per_sec: bytes received per second.
        sent_packets_per_sec: packets sent per second.
        recv_packets_per_sec: packets received per second.
    """

    sent_bytes_per_sec: float
    recv_bytes_per_sec: float
    sent_packets_per_sec: float
    recv_packets_per_sec: float


class SystemRate(Record):
    """Kernel events per second between two samples (``vmstat``'s ``in``, ``cs``, ``bi``,
    ``bo``, ``si``, ``so`` columns, in bytes rather than KiB); a part either sample
    lacks is ``None``.

    Attributes:
        ctx_switches_per_sec: context switches per second.
        interrupts_per_sec: hardware interrupts per second.
        soft_interrupts_per_sec: software interrupts per second.
        paged_in_per_sec: bytes per second read from block devices into memory.
        paged_out_per_sec: bytes per second written from memory to block devices.
        swapped_in_per_sec: bytes per second read back from swap.
        swapped_out_per_sec: bytes per second written to swap.
    """

    ctx_switches_per_sec: float | None
    interrupts_per_sec: float | None
    soft_interrupts_per_sec: float | None
    paged_in_per_sec: float | None
    paged_out_per_sec: float | None
    swapped_in_per_sec: float | None
    swapped_out_per_sec: float | None


class Rates(Record):
    """The rates between two samples (:func:`delta`); a part either sample lacks is ``None``.

    Percents are not rounded (psutil rounds to one decimal). A process, disk,
    CPU or interface present in only one sample is left out.

    Attributes:
        interval: seconds between the samples.
        cpu_percent: how busy all CPUs together were, percent (psutil's
            ``cpu_percent()``: every mode but idle and iowait).
        cpu_times_percent: the share of each mode, percent (psutil's
            ``cpu_times_percent()``).
        cpus_percent: how busy each CPU was, by CPU number.
        cpus_times_percent: the share of each mode on each CPU.
        processes: each process's rates, by (pid, start time in ticks).
        disks: each block device's rates, by name.
        disk_total: the rates of the whole devices together.
        nics: each network interface's rates, by name.
        net_total: the rates of all interfaces together.
        system: context switches, interrupts, paging and swapping per second
            (``None`` unless a sample had ``"cpu_stats"`` or ``"paging"``).
    """

    interval: float
    cpu_percent: float | None = None
    cpu_times_percent: CpuTimesPercent | None = None
    cpus_percent: dict[int, float] | None = None
    cpus_times_percent: dict[int, CpuTimesPercent] | None = None
    processes: dict[tuple[int, int], ProcessRate] | None = None
    disks: dict[str, DiskRate] | None = None
    disk_total: DiskRate | None = None
    nics: dict[str, NetRate] | None = None
    net_total: NetRate | None = None
    system: SystemRate | None = None


_new_process = ProcessCounters._make
_new_process_rate = ProcessRate._make


def take_sample(fs: UsageFiles, include: Iterable[str] = ("cpu", "cpus")) -> Sample:
    """The counters ``include`` names, read from ``fs`` now (what
    :meth:`procfs.usage.UsageFiles.sample` does)."""
    if isinstance(include, str):
        raise TypeError(f"include is a tuple of names, not the string {include!r}")
    parts = set(include)
    unknown = parts - PARTS
    if unknown:
        raise ValueError(f"unknown sample part {sorted(unknown)[0]!r}; known: {sorted(PARTS)}")
    now = _time.monotonic()
    cpu = cpus = processes = disks = whole = nics = stats = paging = None
    if "cpus" in parts or "cpu_stats" in parts:
        kernel = fs.kernel_stats()
        cpus = kernel.cpus if "cpus" in parts else None
        cpu = kernel.total if "cpu" in parts else None
        stats = cpu_stats_of(kernel) if "cpu_stats" in parts else None
    elif "cpu" in parts:
        cpu = total_cpu_time(fs)
    if "processes" in parts:
        clock = _time.monotonic
        processes = {
            (pid, start): _new_process((pid, start, utime, stime, read, written, clock()))
            for pid, start, utime, stime, read, written in fs.scan_fields(
                _PROCESS_FIELDS, default=None
            )
            if utime is not None
        }
    if "disks" in parts:
        disks = fs.disk_io_counters(perdisk=True)
        whole = disk_total(fs, disks)
    if "nics" in parts:
        nics = fs.net_io_counters(pernic=True)
    if "paging" in parts:
        paging = paging_of(fs)
    return Sample(
        now, fs.ticks_per_second(), cpu, cpus, processes, disks, whole, nics, stats, paging
    )


def delta(previous: Sample, current: Sample) -> Rates:
    """The rates and percents between two samples of the same root, ``previous`` taken
    first (see :class:`Rates` and the module notes).

    CPU percents follow psutil's ``cpu_percent()`` and ``cpu_times_percent()``
    (see :func:`procfs.usage.cpu_busy_percent`); a process's CPU percent is its
    ``utime + stime`` gained over the interval between the reads of its own
    files (:attr:`ProcessCounters.time`), in percent of one CPU; byte and
    packet counters become per-second rates. A counter that went back (a
    device or interface reset, a 32-bit wrap) gives 0 rather than a negative
    rate. Two samples taken at the same moment (or the same sample twice) give
    rates of 0. Raises :class:`ValueError` when ``current`` is older than
    ``previous``.
    """
    interval = current.time - previous.time
    if interval < 0:
        raise ValueError(f"current sample taken {-interval:.6f} s before the previous one")
    per_second = 1.0 / interval if interval > 0 else 0.0
    cpu_percent = cpu_times_percent = cpus_percent = cpus_times_percent = None
    processes = disks = disk_rate = nics = net_total = None
    if previous.cpu is not None and current.cpu is not None:
        cpu_percent, cpu_times_percent = cpu_percents(previous.cpu, current.cpu)
    if previous.cpus is not None and current.cpus is not None:
        pairs = {
            cpu: cpu_percents(*pair) for cpu, pair in _common(previous.cpus, current.cpus).items()
        }
        cpus_percent = {cpu: busy for cpu, (busy, _) in pairs.items()}
        cpus_times_percent = {cpu: modes for cpu, (_, modes) in pairs.items()}
    if previous.processes is not None and current.processes is not None:
        processes = _process_rates(previous.processes, current.processes, current.ticks_per_second)
    if previous.disks is not None and current.disks is not None:
        disks = {
            name: _disk_rate(old, new, per_second)
            for name, (old, new) in _common(previous.disks, current.disks).items()
        }
    if previous.disk_total is not None and current.disk_total is not None:
        disk_rate = _disk_rate(previous.disk_total, current.disk_total, per_second)
    if previous.nics is not None and current.nics is not None:
        nics = {
            name: _net_rate(old, new, per_second)
            for name, (old, new) in _common(previous.nics, current.nics).items()
        }
        # The sum of each interface's rate: one whose counters went back adds 0.
        columns = zip(*(rate._astuple() for rate in nics.values()), strict=True)
        net_total = NetRate._make(map(sum, columns)) if nics else NetRate(0.0, 0.0, 0.0, 0.0)
    system = None
    stats = previous.cpu_stats is not None and current.cpu_stats is not None
    if stats or (previous.paging is not None and current.paging is not None):
        system = SystemRate._make(
            _gains(previous.cpu_stats, current.cpu_stats, 3, per_second)
            + _gains(previous.paging, current.paging, 4, per_second)
        )
    return Rates(
        interval,
        cpu_percent,
        cpu_times_percent,
        cpus_percent,
        cpus_times_percent,
        processes,
        disks,
        disk_rate,
        nics,
        net_total,
        system,
    )


def _common(old: dict[K, V], new: dict[K, V]) -> dict[K, tuple[V, V]]:
    """The pairs of values of the keys both dicts have, in ``new``'s order."""
    return {key: (old[key], value) for key, value in new.items() if key in old}


def _process_rates(
    old: dict[tuple[int, int], ProcessCounters],
    new: dict[tuple[int, int], ProcessCounters],
    ticks: int,
) -> dict[tuple[int, int], ProcessRate]:
    """The rates of the processes of both samples, each over its own interval."""
    out = {}
    get = old.get
    for key, now in new.items():
        then = get(key)
        if then is None:
            continue
        elapsed = now.time - then.time
        per_second = 1.0 / elapsed if elapsed > 0 else 0.0
        busy = now.utime + now.stime - then.utime - then.stime
        out[key] = _new_process_rate(
            (
                now.pid,
                max(0, busy) * per_second * 100.0 / ticks,
                _rate(then.read_bytes, now.read_bytes, per_second),
                _rate(then.write_bytes, now.write_bytes, per_second),
            )
        )
    return out


def _rate(old: int | None, new: int | None, per_second: float) -> float | None:
    if old is None or new is None:
        return None
    return max(0, new - old) * per_second


def _gains(
    old: CpuStats | Paging | None, new: CpuStats | Paging | None, count: int, per_second: float
) -> list[float | None]:
    """The per-second gains of the first ``count`` fields of two records (None each if
    either is missing)."""
    if old is None or new is None:
        return [None] * count
    return [
        _gain(then, now, per_second)
        for then, now in zip(old._astuple()[:count], new._astuple()[:count], strict=True)
    ]


def _gain(old: int, new: int, per_second: float) -> float:
    return max(0, new - old) * per_second


def _disk_rate(old: DiskIoCounters, new: DiskIoCounters, per_second: float) -> DiskRate:
    return DiskRate(
        _gain(old.read_bytes, new.read_bytes, per_second),
        _gain(old.write_bytes, new.write_bytes, per_second),
        _gain(old.read_count, new.read_count, per_second),
        _gain(old.write_count, new.write_count, per_second),
        # busy_time is in milliseconds: per second of interval, /1000 then *100.
        _gain(old.busy_time, new.busy_time, per_second) / 10.0,
    )


def _net_rate(old: NetIoCounters, new: NetIoCounters, per_second: float) -> NetRate:
    return NetRate(
        _gain(old.bytes_sent, new.bytes_sent, per_second),
        _gain(old.bytes_recv, new.bytes_recv, per_second),
        _gain(old.packets_sent, new.packets_sent, per_second),
        _gain(old.packets_recv, new.packets_recv, per_second),
    )
