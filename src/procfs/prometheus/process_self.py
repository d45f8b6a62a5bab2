"""The standard ``process_*`` metrics of one process, as prometheus_client's own collector.

:class:`ProcessCollector` gives the six metrics of
``prometheus_client.ProcessCollector`` with the same names, help texts,
types and values: ``process_cpu_seconds_total``, ``process_open_fds``,
``process_max_fds``, ``process_virtual_memory_bytes``,
``process_resident_memory_bytes`` and ``process_start_time_seconds``, so a
service can swap the stock collector for this one::

    from prometheus_client import REGISTRY, PROCESS_COLLECTOR
    from procfs.prometheus.process_self import ProcessCollector

    REGISTRY.unregister(PROCESS_COLLECTOR)
    REGISTRY.register(ProcessCollector())

It reads ``stat`` and ``limits`` and counts ``fd`` through one descriptor
of the process's directory. As the stock collector does, a process it cannot
read gives no metrics (the stat ones and the descriptor ones separately)
rather than failing the scrape.
"""

from __future__ import annotations

import os

from procfs._fs import default_root, new_root
from procfs.errors import ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from prometheus_client.metrics_core import Metric
    from prometheus_client.registry import CollectorRegistry

    from procfs.root import ProcFS

__all__ = ["ProcessCollector"]


class ProcessCollector:
    """The ``process_*`` metrics of the process ``pid`` (a prometheus_client collector).

    ``pid`` is ``"self"`` (the default), a pid, or a callable giving either
    at each scrape (as the stock collector's ``pid``). ``namespace`` prefixes
    the names (``"app"`` gives ``app_process_cpu_seconds_total``). ``root`` is
    a :class:`procfs.ProcFS` or a path (the live ``/proc`` by default).
    With ``registry``, the collector registers itself there.
    """

    def __init__(
        self,
        pid: str | int | Callable[[], str | int] = "self",
        namespace: str = "",
        root: ProcFS | str | None = None,
        registry: CollectorRegistry | None = None,
    ) -> None:
        if not (callable(pid) or pid == "self" or (isinstance(pid, int) and pid > 0)):
            raise ValueError(f"pid must be 'self', a positive int or a callable, not {pid!r}")
        self._pid = pid
        self._prefix = namespace + "_process_" if namespace else "process_"
        self._fs = new_root(root) if isinstance(root, str) else default_root(root)
        self._ticks = float(os.sysconf("SC_CLK_TCK"))
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._boot: float | None = None
        if registry is not None:
            registry.register(self)

    def describe(self) -> list[Metric]:
        """The families, for a registry's name check (collected once: they are fixed)."""
        return self.collect()

    def collect(self) -> list[Metric]:
        """The metrics now; none of a kind that could not be read."""
        from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily

        pid = self._pid() if callable(self._pid) else self._pid
        name = str(pid).strip()
        fs = self._fs
        p = self._prefix
        result: list[Metric] = []
        try:
            if self._boot is None:
                self._boot = float(fs.boot_time_secs())
            dir_fd = fs.open_dir(name)
        except (OSError, ProcError):
            return result
        try:
            from procfs.core.limits import parse_limits
            from procfs.core.stat import parse_stat

            path = fs.path(name)
            try:
                stat = parse_stat(fs.read_at(dir_fd, "stat", path + "/stat", True))
            except (OSError, ProcError):
                pass
            else:
                result += [
                    GaugeMetricFamily(
                        p + "virtual_memory_bytes",
                        "Virtual memory size in bytes.",
                        value=float(stat.vsize),
                    ),
                    GaugeMetricFamily(
                        p + "resident_memory_bytes",
                        "Resident memory size in bytes.",
                        value=float(stat.rss * self._page),
                    ),
                    GaugeMetricFamily(
                        p + "start_time_seconds",
                        "Start time of the process since unix epoch in seconds.",
                        value=stat.starttime / self._ticks + self._boot,
                    ),
                    CounterMetricFamily(
                        p + "cpu_seconds_total",
                        "Total user and system CPU time spent in seconds.",
                        value=(stat.utime + stat.stime) / self._ticks,
                    ),
                ]
            try:
                limits = parse_limits(fs.read_at(dir_fd, "limits", path + "/limits"))
                open_fds = fs.fd_count_at(dir_fd, path)
            except (OSError, ProcError):
                pass
            else:
                soft = limits.max_open_files.soft if limits.max_open_files else None
                result += [
                    GaugeMetricFamily(
                        p + "open_fds", "Number of open file descriptors.", value=float(open_fds)
                    ),
                    GaugeMetricFamily(
                        p + "max_fds",
                        "Maximum number of open file descriptors.",
                        value=float("inf") if soft is None else float(soft),
                    ),
                ]
        finally:
            fs.close_fd(dir_fd)
        return result
