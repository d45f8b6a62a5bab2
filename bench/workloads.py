"""The workloads, in-process: the same job done with procfs, with psutil and by a floor.

Each workload function does the whole job once and returns what it found
(rows, sockets, records), so a caller can check that the competitors saw
the same machine. Nothing here prints; :func:`main` does, for the
whole-process runs::

    python bench/workloads.py procfs|psutil ps|netstat|top|system

(``procfs ps`` and ``procfs netstat`` are timed whole-process through the
real command line instead; they are here for completeness.)

What each library is asked to do:

* ps: pid, terminal, user + system CPU time and command name of every
  process (procfs: ``procfs.cli.ps.rows``, what ``procfs ps -e`` prints;
  psutil: ``process_iter(["pid", "terminal", "cpu_times", "name"])``).
* netstat: every TCP socket (IPv4 and IPv6) with its owning pid and program
  (procfs: ``procfs.tcp_with_owners``; psutil: ``net_connections("tcp")``
  and ``Process(pid).name()`` once per pid).
* top: ``stat``, ``status``, ``statm`` and ``io`` of every process (procfs:
  ``stat()``, ``status()``, ``statm()``, ``io()``; psutil: ``oneshot()`` with
  ``cpu_times``, ``memory_info``, ``status``, ``num_threads``,
  ``io_counters``, ``uids``). A process that exits or refuses a read is
  skipped by both.
* system: one accessor per file, see :func:`system_parts`.
* iter: psutil's usual ``process_iter`` attributes (pid, name, username,
  cpu_times, memory_info) of every process (procfs: ``process_iter_info``;
  psutil: ``process_iter`` with those attrs).
* cpu_percent: the CPU percent of every process over one interval: two passes
  (procfs: ``process_iter_info(["cpu_percent"])`` twice; psutil: ``for p in
  process_iter(): p.cpu_percent(None)`` twice). The interval itself is not timed.

psutil is imported only when a psutil workload runs, and procfs only when a
procfs one does, so a whole-process run pays for one library only.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = [
    "SYSTEM_FILES",
    "WORKLOADS",
    "have_psutil",
    "main",
    "system_parts",
]

#: The files of the ``system`` workload, in the order they are reported.
SYSTEM_FILES = ("meminfo", "loadavg", "stat", "cpuinfo", "diskstats", "net/dev")


def _psutil() -> Any:
    import importlib

    return importlib.import_module("psutil")


def have_psutil() -> bool:
    """Whether psutil can be imported (it is the ``bench`` extra, not a dependency)."""
    try:
        _psutil()
    except ImportError:
        return False
    return True


# -- ps --------------------------------------------------------------------------


def procfs_ps() -> list[Any]:
    """procfs: the rows of ``procfs ps -e``."""
    from procfs import ProcFS
    from procfs.cli.ps import rows

    return rows(ProcFS(), every=True)


def psutil_ps() -> list[tuple[int, str, float, str]]:
    """psutil: (pid, terminal, user + system seconds, name) of every process."""
    psutil = _psutil()
    out = []
    for process in psutil.process_iter(["pid", "terminal", "cpu_times", "name"]):
        info = process.info
        times = info["cpu_times"]
        seconds = times.user + times.system if times is not None else 0.0
        terminal = info["terminal"]
        if terminal and terminal.startswith("/dev/"):
            terminal = terminal[5:]
        out.append((info["pid"], terminal or "?", seconds, info["name"] or ""))
    return out


# -- netstat ---------------------------------------------------------------------


def procfs_netstat() -> list[Any]:
    """procfs: every TCP socket with its owners (``procfs netstat``)."""
    from procfs import ProcFS

    return ProcFS().tcp_with_owners()


#: The fields ``procfs netstat`` shows of a socket.
NETSTAT_FIELDS = ("local_address", "remote_address", "state", "tx_queue", "rx_queue", "inode")


def procfs_netstat_fields() -> list[tuple[Any, ...]]:
    """procfs: what ``procfs netstat`` shows of every TCP socket, through the public API:
    ``table_fields`` of ``tcp`` and ``tcp6``, ``socket_owners``, the first owner's comm."""
    from procfs import ProcFS
    from procfs.errors import ProcError
    from procfs.process import Process

    fs = ProcFS()
    rows = fs.table_fields("tcp", NETSTAT_FIELDS) + fs.table_fields("tcp6", NETSTAT_FIELDS)
    owners = fs.socket_owners({row[5] for row in rows if row[5]})

    def comm(pid: int) -> str | None:
        try:
            return Process(pid, fs).comm()
        except ProcError:
            return None

    pids = [min(owners[row[5]])[0] if row[5] in owners else None for row in rows]
    return list(zip(rows, pids, _names(pids, comm), strict=True))


def psutil_netstat() -> list[tuple[Any, str | None]]:
    """psutil: every TCP socket (IPv4 and IPv6) with its owner's name."""
    psutil = _psutil()

    def name(pid: int) -> str | None:
        try:
            return str(psutil.Process(pid).name())
        except psutil.Error:
            return None

    connections = psutil.net_connections("tcp")
    return list(zip(connections, _names([c.pid for c in connections], name), strict=True))


def _names(pids: list[int | None], name_of: Callable[[int], str | None]) -> list[str | None]:
    """``name_of(pid)`` for each pid (None for None), each pid looked up once."""
    names: dict[int, str | None] = {}
    out: list[str | None] = []
    for pid in pids:
        if pid is None:
            out.append(None)
            continue
        if pid not in names:
            names[pid] = name_of(pid)
        out.append(names[pid])
    return out


# -- top -------------------------------------------------------------------------


def _top_row(stat: Any, status: Any, statm: Any, io: Any) -> tuple[Any, ...]:
    """The values :func:`psutil_top` takes out, from procfs records (converting on access)."""
    return (
        (stat.utime, stat.stime, stat.cutime, stat.cstime),
        (statm.resident, statm.size),
        stat.state,
        stat.num_threads,
        (io.syscr, io.syscw, io.read_bytes, io.write_bytes),
        (status.ruid, status.euid, status.suid),
    )


#: The values :func:`psutil_top` takes out (CPU times, memory, state, threads, I/O
#: counters, uids), as :func:`procfs.scan_fields` names them.
TOP_FIELDS = (
    "pid",
    *("stat.utime", "stat.stime", "stat.cutime", "stat.cstime", "stat.state"),
    *("stat.num_threads", "statm.resident", "statm.size", "io.syscr", "io.syscw"),
    *("io.read_bytes", "io.write_bytes", "status.ruid", "status.euid", "status.suid"),
)


def procfs_top() -> list[tuple[Any, ...]]:
    """procfs: the values psutil gives, from stat, status, statm and io of every process.

    One :func:`procfs.scan_fields` pass, the library's path for reading a few
    fields of every process (what a top or a metrics agent does). A process
    whose io the caller may not read (pid 1 in some containers, even for
    root) gets None there, as psutil's ``ad_value``.
    """
    from procfs import ProcFS

    return list(ProcFS().scan_fields(TOP_FIELDS, default=None))


def procfs_top_scanned() -> list[tuple[Any, ...]]:
    """procfs: the same from :func:`procfs.scan_processes` records (converting on access)."""
    from procfs import ProcFS
    from procfs.errors import ProcError

    out = []
    for process in ProcFS().scan_processes(("stat", "status", "statm", "io")):
        try:
            out.append(_top_row(process.stat, process.status, process.statm, process.io))
        except ProcError:
            continue
    return out


def procfs_top_handles() -> list[tuple[Any, ...]]:
    """procfs: the same through a :class:`~procfs.process.Process` handle per process."""
    from procfs import ProcFS
    from procfs.errors import ProcError

    out = []
    for process in ProcFS().all_processes():
        try:
            out.append(_top_row(process.stat(), process.status(), process.statm(), process.io()))
        except ProcError:
            continue
    return out


def psutil_top() -> list[tuple[Any, ...]]:
    """psutil: ``oneshot()`` with the six accessors over every process."""
    psutil = _psutil()
    out = []
    for process in psutil.process_iter():
        try:
            with process.oneshot():
                out.append(
                    (
                        process.cpu_times(),
                        process.memory_info(),
                        process.status(),
                        process.num_threads(),
                        process.io_counters(),
                        process.uids(),
                    )
                )
        except psutil.Error:
            continue
    return out


# -- system ----------------------------------------------------------------------


def system_parts(library: str) -> dict[str, Callable[[], object] | None]:
    """One callable per file of :data:`SYSTEM_FILES` (``None``: the library has none).

    procfs: ``meminfo()``, ``loadavg()``, ``kernel_stats()``, ``cpuinfo()``,
    ``diskstats()``, ``net_dev()``.
    psutil: ``virtual_memory()``, ``getloadavg()``, ``cpu_times(percpu=True)``
    with ``cpu_stats()``, ``cpu_count(logical=False)`` with
    ``cpu_freq(percpu=True)``, ``disk_io_counters(perdisk=True)``,
    ``net_io_counters(pernic=True)``.
    """
    if library == "psutil":
        psutil = _psutil()
        return {
            "meminfo": psutil.virtual_memory,
            "loadavg": psutil.getloadavg,
            "stat": lambda: (psutil.cpu_times(percpu=True), psutil.cpu_stats()),
            "cpuinfo": lambda: (psutil.cpu_count(logical=False), psutil.cpu_freq(percpu=True)),
            "diskstats": lambda: psutil.disk_io_counters(perdisk=True),
            "net/dev": lambda: psutil.net_io_counters(pernic=True),
        }
    if library == "floor":
        from floors import read_whole

        return {name: _reader(read_whole, "/proc/" + name) for name in SYSTEM_FILES}
    from procfs import ProcFS

    fs = ProcFS()
    return {
        "meminfo": fs.meminfo,
        "loadavg": fs.loadavg,
        "stat": fs.kernel_stats,
        "cpuinfo": fs.cpuinfo,
        "diskstats": fs.diskstats,
        "net/dev": fs.net_dev,
    }


def _reader(read: Callable[[str], bytes], path: str) -> Callable[[], object]:
    return lambda: read(path)


def _system(library: str) -> dict[str, object]:
    return {name: part() for name, part in system_parts(library).items() if part is not None}


def procfs_system() -> dict[str, object]:
    """procfs: every file of :data:`SYSTEM_FILES` it has an accessor for."""
    return _system("procfs")


def psutil_system() -> dict[str, object]:
    """psutil: the equivalents of every file of :data:`SYSTEM_FILES`."""
    return _system("psutil")


# -- iter and cpu_percent -----------------------------------------------------------

#: psutil's usual process_iter attributes.
ITER_ATTRS = ["pid", "name", "username", "cpu_times", "memory_info"]


def procfs_iter() -> list[Any]:
    """procfs: ``process_iter_info`` with psutil's usual attributes."""
    from procfs import ProcFS

    return [info for _, info in ProcFS().process_iter_info(ITER_ATTRS)]


def psutil_iter() -> list[Any]:
    """psutil: ``process_iter`` with the same attributes."""
    psutil = _psutil()
    return [process.info for process in psutil.process_iter(ITER_ATTRS)]


def procfs_cpu_percent() -> list[Any]:
    """procfs: two passes of ``process_iter_info(["cpu_percent"])``; the second's values."""
    from procfs import ProcFS

    fs = ProcFS()
    for _ in fs.process_iter_info(["cpu_percent"]):
        pass
    return [info["cpu_percent"] for _, info in fs.process_iter_info(["cpu_percent"])]


def psutil_cpu_percent() -> list[Any]:
    """psutil: ``p.cpu_percent(None)`` of every process, twice; the second's values."""
    psutil = _psutil()
    out: list[Any] = []
    for second in range(2):
        for process in psutil.process_iter():
            try:
                percent = process.cpu_percent(None)
            except psutil.Error:
                continue
            if second:
                out.append(percent)
    return out


#: (library, workload) -> the function doing it once
WORKLOADS: dict[tuple[str, str], Callable[[], Any]] = {
    ("procfs", "ps"): procfs_ps,
    ("psutil", "ps"): psutil_ps,
    ("procfs", "netstat"): procfs_netstat,
    ("psutil", "netstat"): psutil_netstat,
    ("procfs", "top"): procfs_top,
    ("procfs", "top-scanned"): procfs_top_scanned,
    ("procfs", "top-handles"): procfs_top_handles,
    ("psutil", "top"): psutil_top,
    ("procfs", "system"): procfs_system,
    ("psutil", "system"): psutil_system,
    ("procfs", "iter"): procfs_iter,
    ("psutil", "iter"): psutil_iter,
    ("procfs", "cpu_percent"): procfs_cpu_percent,
    ("psutil", "cpu_percent"): psutil_cpu_percent,
}


# -- whole-process runs ----------------------------------------------------------


def _clock(seconds: float) -> str:
    whole = int(seconds)
    days, rest = divmod(whole, 86400)
    text = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"{days}-{text}" if days else text


def _print_psutil_ps(found: list[tuple[int, str, float, str]]) -> None:
    lines = ["  PID TTY          TIME CMD\n"]
    lines.extend(f"{pid:>5} {tty[:8]:<8} {_clock(t):>8} {name}\n" for pid, tty, t, name in found)
    sys.stdout.write("".join(lines))


def _print_psutil_netstat(found: list[tuple[Any, str | None]]) -> None:
    lines = ["Proto Local Address Foreign Address State PID/Program name\n"]
    for conn, name in found:
        local = f"{conn.laddr.ip}:{conn.laddr.port}" if conn.laddr else "*"
        remote = f"{conn.raddr.ip}:{conn.raddr.port}" if conn.raddr else "*"
        owner = f"{conn.pid}/{name}" if conn.pid is not None else "-"
        proto = "tcp6" if conn.family == 10 else "tcp"
        lines.append(f"{proto:<5} {local} {remote} {conn.status} {owner}\n")
    sys.stdout.write("".join(lines))


def main(argv: Sequence[str]) -> int:
    """``python bench/workloads.py LIBRARY WORKLOAD``: do one workload once, print it."""
    if len(argv) != 2 or (argv[0], argv[1]) not in WORKLOADS:
        sys.stderr.write("usage: python bench/workloads.py procfs|psutil ps|netstat|top|system\n")
        return 2
    library, workload = argv
    found = WORKLOADS[library, workload]()
    if library == "psutil" and workload == "ps":
        _print_psutil_ps(found)
    elif library == "psutil" and workload == "netstat":
        _print_psutil_netstat(found)
    else:
        sys.stdout.write(f"{workload}: {len(found)} items\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
