"""Benchmark the system usage API and counters-to-rates against psutil, with raw-read floors.

Usage::

    python bench/usage.py [--runs N] [--load] [--markdown]

Each row is one refresh of what a monitor shows, in-process, all implementations
of a row interleaved round-robin (``gc.collect()`` before each call), median of
``--runs`` calls after a warm-up, in CPU time of this process (user + system: the
machine may be shared):

* ``system CPU``: the system's busy percent and the share of each mode since the
  previous refresh: ours ``delta(previous, sample(("cpu",)))`` (one read of
  ``stat`` gives both) against ``psutil.cpu_percent()`` and
  ``psutil.cpu_times_percent()`` (one read each); and the busy percent alone,
  ``procfs.cpu_percent()`` against ``psutil.cpu_percent()``. Floor: open, read
  and close ``stat``.
* ``each CPU``: the same per CPU (``("cpus",)`` / ``percpu=True``).
* ``processes``: every process's CPU percent and I/O bytes since the previous
  refresh: ours ``delta(previous, sample(("processes",)))`` against psutil's
  ``cpu_percent()`` and ``io_counters()`` of each ``process_iter()`` process
  (whose objects psutil keeps between calls); floor: read ``[pid]/stat`` and
  ``[pid]/io`` of every process.
* single calls: ``virtual_memory``, ``swap_memory``, ``cpu_times``,
  ``disk_io_counters``, ``net_io_counters``, ``disk_partitions`` against psutil's
  function of the same name; floor: reading the files each reads. ``disk_partitions``
  also once more as a first call (what it keeps of the tables it saw forgotten).

``--load`` adds 1000 idle processes (:mod:`load`) for the run.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from datetime import datetime, timezone

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)


def _read(path: str) -> bytes:
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 1 << 20)
    finally:
        os.close(fd)


def _floor(*paths: str) -> Callable[[], object]:
    def read() -> object:
        return [_read(path) for path in paths]

    return read


def _floor_processes() -> object:
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            for file in ("stat", "io"):
                try:
                    out.append(_read(f"/proc/{name}/{file}"))
                except OSError:
                    continue
    return out


def rows() -> list[tuple[str, list[tuple[str, Callable[[], object]]]]]:
    """(row, [(implementation, one refresh)]) of every row."""
    import importlib

    psutil: Any = importlib.import_module("psutil")
    from procfs.rates import delta
    from procfs.root import ProcFS

    fs = ProcFS("/proc")

    def ours_rates(include: tuple[str, ...]) -> Callable[[], object]:
        last = [fs.sample(include)]

        def refresh() -> object:
            now = fs.sample(include)
            rates = delta(last[0], now)
            last[0] = now
            return rates

        return refresh

    def first_partitions() -> object:
        # disk_partitions keeps what it made of the mount tables by their bytes: a
        # monitor's next call finds them unchanged. This is the cost without.
        from procfs import usage

        usage._PARTITIONS.clear()
        return fs.disk_partitions()

    def psutil_processes() -> object:
        out = []
        for process in psutil.process_iter():
            try:
                with process.oneshot():
                    percent = process.cpu_percent()
                    try:
                        io = process.io_counters()
                    except psutil.AccessDenied:
                        io = None
                out.append((process.pid, percent, io))
            except psutil.Error:
                continue
        return out

    meminfo = "/proc/meminfo"
    return [
        (
            "system CPU: busy % + % per mode",
            [
                ("procfs sample+delta", ours_rates(("cpu",))),
                (
                    "psutil cpu_percent()+cpu_times_percent()",
                    lambda: (psutil.cpu_percent(), psutil.cpu_times_percent()),
                ),
                ("floor: read stat", _floor("/proc/stat")),
            ],
        ),
        (
            "system CPU: busy % alone",
            [
                ("procfs.cpu_percent()", fs.cpu_percent),
                ("psutil.cpu_percent()", psutil.cpu_percent),
                ("floor: read stat", _floor("/proc/stat")),
            ],
        ),
        (
            "each CPU: busy % + % per mode",
            [
                ("procfs sample+delta", ours_rates(("cpus",))),
                (
                    "psutil cpu_percent(percpu)+cpu_times_percent(percpu)",
                    lambda: (
                        psutil.cpu_percent(percpu=True),
                        psutil.cpu_times_percent(percpu=True),
                    ),
                ),
                ("floor: read stat", _floor("/proc/stat")),
            ],
        ),
        (
            "processes: cpu% + io/s",
            [
                ("procfs sample+delta", ours_rates(("processes",))),
                ("psutil process_iter cpu_percent+io_counters", psutil_processes),
                ("floor: read [pid]/stat, [pid]/io", _floor_processes),
            ],
        ),
        (
            "virtual_memory",
            [
                ("procfs", fs.virtual_memory),
                ("psutil", psutil.virtual_memory),
                ("floor: read meminfo", _floor(meminfo)),
            ],
        ),
        (
            "swap_memory",
            [
                ("procfs", fs.swap_memory),
                ("psutil", psutil.swap_memory),
                ("floor: read meminfo, vmstat", _floor(meminfo, "/proc/vmstat")),
            ],
        ),
        (
            "cpu_times",
            [
                ("procfs", fs.cpu_times),
                ("psutil", psutil.cpu_times),
                ("floor: read stat", _floor("/proc/stat")),
            ],
        ),
        (
            "disk_io_counters",
            [
                ("procfs", fs.disk_io_counters),
                ("psutil", lambda: psutil.disk_io_counters(nowrap=False)),
                ("floor: read diskstats", _floor("/proc/diskstats")),
            ],
        ),
        (
            "net_io_counters",
            [
                ("procfs", fs.net_io_counters),
                ("psutil", lambda: psutil.net_io_counters(nowrap=False)),
                ("floor: read net/dev", _floor("/proc/net/dev")),
            ],
        ),
        (
            "disk_partitions",
            [
                ("procfs", fs.disk_partitions),
                ("procfs, first call (tables not seen)", first_partitions),
                ("psutil", psutil.disk_partitions),
                (
                    "floor: read mountinfo, filesystems",
                    _floor("/proc/self/mountinfo", "/proc/filesystems"),
                ),
            ],
        ),
    ]


def measure(impls: list[tuple[str, Callable[[], object]]], runs: int) -> list[float]:
    """Median seconds of one call of each, interleaved round-robin."""
    times: list[list[float]] = [[] for _ in impls]
    for _, function in impls:
        function()
        function()
    for run in range(runs):
        order = list(range(len(impls)))
        shift = run % len(impls)
        for index in order[shift:] + order[:shift]:
            gc.collect()
            start = time.process_time()
            impls[index][1]()
            times[index].append(time.process_time() - start)
    return [statistics.median(each) for each in times]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--load", action="store_true", help="add 1000 idle processes")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    load: Any = None
    if args.load:
        from load import Load

        load = Load(procs=1000, conns=0).start()
    try:
        import importlib

        psutil: Any = importlib.import_module("psutil")
        processes = sum(1 for name in os.listdir("/proc") if name.isdigit())
        now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        print(
            f"{now}, {os.cpu_count()} CPUs, {processes} processes at the start, "
            f"psutil {psutil.__version__}, Python {sys.version.split()[0]}, "
            f"median of {args.runs} interleaved calls"
        )
        print()
        print("| row | implementation | median | vs psutil | vs floor |")
        print("| --- | --- | ---: | ---: | ---: |")
        for row, impls in rows():
            medians = measure(impls, args.runs)
            reference = next(
                (
                    m
                    for (name, _), m in zip(impls, medians, strict=True)
                    if name.startswith("psutil")
                ),
                None,
            )
            floor = medians[-1]
            for (name, _), median in zip(impls, medians, strict=True):
                ratio = f"{median / reference:.2f}" if reference else ""
                print(f"| {row} | {name} | {_ms(median)} | {ratio} | {median / floor:.1f} |")
        after = sum(1 for name in os.listdir("/proc") if name.isdigit())
        print()
        print(f"processes at the end: {after}")
    finally:
        if load is not None:
            load.stop()
    return 0


def _ms(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


if __name__ == "__main__":
    sys.exit(main())
