"""Benchmark ``procfs exporter`` against node_exporter: scrape time, CPU and memory.

Usage::

    python bench/exporter.py [--scrapes N] [--no-load] [--markdown]

Both exporters run side by side with the same collectors (the ones both have
and enable by default, :data:`tests.exporters.SHARED_DEFAULTS`), the same
filters, and without their own ``go_*``/``process_*`` metrics; scrapes are
interleaved (ours, theirs, theirs, ours, ...), under the bench load
(:mod:`load`: 1000 idle processes, 4000 TCP sockets) unless ``--no-load``.

Per scrape: the wall time of the HTTP request (median), and the CPU the
exporter process spent (``utime + stime`` of ``/proc/PID/stat`` over all its
scrapes, divided by their number: the clock-tick resolution averages out).
Memory: the exporter's resident set (``VmRSS``) after the scrapes, and its
peak (``VmHWM``). In-process, the split of our scrape between collecting the
families and writing the text format (``prometheus_client.generate_latest``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
for path in (HERE, ROOT):
    if path not in sys.path:
        sys.path.insert(0, path)

from load import Load  # noqa: E402
from tests.exporters import (  # noqa: E402
    SHARED_DEFAULTS,
    fetch,
    node_exporter,
    procfs_exporter,
    tool,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

# The same filters for both (node_exporter's defaults differ between versions).
FILTERS = (
    r"--collector.diskstats.device-exclude=^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$",
    "--collector.netdev.device-exclude=^$",
    "--web.disable-exporter-metrics",
)


def cpu_seconds(pid: int) -> float:
    """The CPU time ``pid`` has used (all its threads, living and gone), in seconds."""
    with open(f"/proc/{pid}/stat", "rb") as file:
        fields = file.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_kb(pid: int) -> tuple[int, int]:
    """``(VmRSS, VmHWM)`` of ``pid`` in kB."""
    values = {}
    with open(f"/proc/{pid}/status", "rb") as file:
        for line in file:
            key, _, rest = line.partition(b":")
            if key in (b"VmRSS", b"VmHWM"):
                values[key] = int(rest.split()[0])
    return values[b"VmRSS"], values[b"VmHWM"]


def series(text: bytes) -> int:
    return sum(1 for line in text.splitlines() if line and not line.startswith(b"#"))


def in_process(runs: int) -> tuple[float, float, float]:
    """Median CPU ms (this thread's) of our collect(), and of writing its families in
    the text format by :func:`procfs.prometheus.exposition.text` and by
    ``prometheus_client.generate_latest``, interleaved."""
    from prometheus_client import generate_latest

    from procfs.prometheus.exposition import text
    from procfs.prometheus.node import NodeCollector

    collector = NodeCollector(SHARED_DEFAULTS)
    families = list(collector.collect())

    class Fixed:
        def collect(self) -> list[Any]:
            return families

    steps: dict[str, Callable[[], object]] = {
        "collect": lambda: list(collector.collect()),
        "text": lambda: text(families),
        "generate_latest": lambda: generate_latest(Fixed()),
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(runs):
        for name, step in steps.items():
            started = time.thread_time()
            step()
            times[name].append(time.thread_time() - started)
    collect, ours, theirs = (statistics.median(times[name]) * 1e3 for name in steps)
    return collect, ours, theirs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--scrapes", type=int, default=100, help="scrapes of each (default 100)")
    parser.add_argument("--no-load", action="store_true", help="do not set up the load")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    if tool("prometheus-node-exporter") is None:
        parser.error("prometheus-node-exporter is not installed")
    load = None if args.no_load else Load(1000, 2000, 900)
    try:
        if load is not None:
            load.start()
            time.sleep(3)
        with (
            node_exporter(SHARED_DEFAULTS, FILTERS) as (theirs_url, theirs_proc),
            procfs_exporter(SHARED_DEFAULTS, ["--web.disable-exporter-metrics"]) as (
                ours_url,
                ours_proc,
            ),
        ):
            urls = {"procfs exporter": ours_url, "node_exporter": theirs_url}
            pids = {"procfs exporter": ours_proc.pid, "node_exporter": theirs_proc.pid}
            walls: dict[str, list[float]] = {name: [] for name in urls}
            cpu = dict.fromkeys(urls, 0.0)
            sizes = {name: series(fetch(url)) for name, url in urls.items()}  # warm up
            order = list(urls)
            for index in range(args.scrapes):
                for name in order if index % 2 == 0 else order[::-1]:
                    before = cpu_seconds(pids[name])
                    started = time.perf_counter()
                    fetch(urls[name])
                    walls[name].append(time.perf_counter() - started)
                    cpu[name] += cpu_seconds(pids[name]) - before
            memory = {name: memory_kb(pid) for name, pid in pids.items()}
            loadavg = os.getloadavg()
    finally:
        if load is not None:
            load.stop()
    collect_ms, text_ms, generate_ms = in_process(max(50, args.scrapes))
    rows = []
    for name in urls:
        rss, hwm = memory[name]
        rows.append(
            (
                name,
                statistics.median(walls[name]) * 1e3,
                cpu[name] / args.scrapes * 1e3,
                rss / 1024,
                hwm / 1024,
                sizes[name],
            )
        )
    ours, theirs = rows
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    described = "none" if load is None else load.describe()
    print(f"{date}; {args.scrapes} interleaved scrapes each; load: {described}")
    print(f"loadavg at the end: {' '.join(f'{x:.2f}' for x in loadavg)}")
    print(f"collectors: {','.join(SHARED_DEFAULTS)}")
    if args.markdown:
        print("| exporter | wall ms (median) | CPU ms per scrape | RSS MB | peak RSS MB | series |")
        print("|---|---|---|---|---|---|")
        for n, wall, cpu_ms, rss_mb, hwm_mb, size in rows:
            print(f"| {n} | {wall:.1f} | {cpu_ms:.1f} | {rss_mb:.1f} | {hwm_mb:.1f} | {size} |")
    else:
        print("exporter           wall ms  CPU ms  RSS MB  peak MB  series")
        for n, wall, cpu_ms, rss_mb, hwm_mb, size in rows:
            print(f"{n:<16} {wall:9.1f} {cpu_ms:7.1f} {rss_mb:7.1f} {hwm_mb:8.1f} {size:7d}")
    wall_x, cpu_x, rss_x = ours[1] / theirs[1], ours[2] / theirs[2], ours[3] / theirs[3]
    print(f"ours / node_exporter: wall {wall_x:.2f}x, CPU {cpu_x:.2f}x, RSS {rss_x:.2f}x")
    met = {True: "MET", False: "MISSED"}
    print(
        f"targets: wall <= 1x {met[wall_x <= 1]}, CPU <= 1x {met[cpu_x <= 1]},"
        f" RSS <= 1.5x {met[rss_x <= 1.5]}"
    )
    print(
        f"in-process CPU (ours): collect {collect_ms:.2f} ms; text format: ours {text_ms:.2f} ms,"
        f" prometheus_client's generate_latest {generate_ms:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
