"""``procfs top``: a live view of the system and its busiest processes, like procps ``top``.

The header is procps top's (uptime, users and load; tasks by state; the CPU
split ``us sy ni id wa hi si st``; memory and swap in MiB, ``used`` being
``total - available`` as procps 4 computes it), and so is the table: PID USER
PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND, sorted by %CPU. Rates come from
two :func:`procfs.sample` readings and :func:`procfs.delta` (the first frame
measures over ``PRIMING_SECONDS``, as top primes its first frame too).

Batch mode (``-b``) prints frames in top's batch layout; otherwise a curses
screen with top's keys: ``q`` quit, ``P``/``M``/``T``/``N`` sort by CPU,
memory, time or pid, ``1`` one line (with a bar) per CPU, ``k`` signal a
process (through :meth:`procfs.process.Process.send_signal`, so never a pid's
newcomer), ``o`` or ``/`` filter by command, arrows and PgUp/PgDn to scroll,
``space`` to refresh now.
"""

from __future__ import annotations

import sys
import time

from procfs._fs import DEFAULT_ROOT
from procfs.cli import HELP, ROOT, Option, UsageError, fail, help_lines, parse_declared, printable
from procfs.errors import ProcError
from procfs.users import user_id, user_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    from procfs.rates import Rates, Sample
    from procfs.root import ProcFS

OPTIONS = (
    Option("-b", help="batch mode: print frames as text, no screen, no keys"),
    Option("-n", value="COUNT", help="stop after COUNT frames"),
    Option("-d", value="SECONDS", help="the delay between frames (default 3.0)"),
    Option("-p", value="PID,...", help="only these processes"),
    Option("-u", value="USER", help="only processes of this effective user (name or number)"),
    Option(
        "-o",
        value="FIELD",
        help="sort by %CPU, %MEM, TIME+ or PID, in any case (default %CPU)",
    ),
    Option("-1", help="one CPU line per CPU"),
    Option("-w", value="COLUMNS", help="the width of a batch frame (default 512 in batch mode)"),
    ROOT,
    HELP,
)

USAGE = (
    "usage: procfs top [-b] [-n COUNT] [-d SECONDS] [-p PID,...] [-u USER] [-o FIELD] [-1]\n\n"
    + help_lines(OPTIONS)
    + "\nkeys: q quit, P/M/T/N sort by CPU/memory/time/pid, 1 per-CPU lines, k signal a\n"
    "process, o or / filter by command, arrows/PgUp/PgDn scroll, space refresh\n"
)

__all__ = ["OPTIONS", "USAGE", "Frame", "Task", "main"]

#: How long the first frame measures the CPU over: procps top's LIB_USLEEP, "the duration
#: of a 'priming' wait during library startup" (150000 us in procps-ng 4.0.2, src/top/top.h;
#: 4.0.4 made it 100 ms and 4.0.6 200 ms). Top reads every process (and ``stat``), sleeps
#: this long, reads them again, and shows the second reading with the CPU used in between.
PRIMING_SECONDS = 0.15

#: The fields of the priming pass (what a %CPU needs: the pid and start time that name
#: the process, and its CPU times), the first ones of every pass.
_PRIMING = ("pid", "stat.starttime", "stat.utime", "stat.stime")
_TIMES_AT = 2
#: What a frame shows. The effective user is the owner of the process's directory,
#: as procps top reads it (the directory of a process that is not dumpable, a setuid
#: program's, belongs to root); a root that is not a procfs (a captured tree) has
#: ``status`` read for it instead.
_SHOWN = (
    *_PRIMING,
    "stat.comm",
    "stat.state",
    "stat.priority",
    "stat.nice",
    "statm.size",
    "statm.resident",
    "statm.shared",
)
_SHOWN_WITH_EUID = (*_SHOWN, "status.euid")
_SORTS = {"%CPU": "cpu", "%MEM": "rss", "TIME+": "ticks", "PID": "pid"}
_KEY_SORTS = {"P": "cpu", "M": "rss", "T": "ticks", "N": "pid"}


class Task:
    """One process in the table."""

    __slots__ = (
        "comm",
        "cpu",
        "euid",
        "nice",
        "pid",
        "priority",
        "rss",
        "shared",
        "size",
        "state",
        "ticks",
        "user",
    )

    def __init__(self, row: tuple[Any, ...], cpu: float, page_kib: int, user: str) -> None:
        pid, _, utime, stime, comm, state, priority, nice, size, rss, shared, euid = row
        self.pid: int = pid
        self.comm: str = printable(comm)
        self.state: str = state
        self.priority: int = priority
        self.nice: int = nice
        self.ticks: int = utime + stime
        self.size: int = size * page_kib  # KiB, as top shows them
        self.rss: int = rss * page_kib
        self.shared: int = shared * page_kib
        self.euid: int = euid
        self.user: str = user
        self.cpu: float = cpu


class Frame:
    """What one screen shows: the header lines and the tasks."""

    __slots__ = ("cpus", "header", "mem_total_kib", "tasks", "ticks_per_second")

    def __init__(
        self,
        header: list[str],
        cpus: list[str],
        tasks: list[Task],
        mem_total_kib: int,
        ticks_per_second: int,
    ) -> None:
        self.header = header
        self.cpus = cpus
        self.tasks = tasks
        self.mem_total_kib = mem_total_kib
        self.ticks_per_second = ticks_per_second


# -- formatting as top does -------------------------------------------------------


def scale_kib(kib: float, width: int) -> str:
    """A size in KiB in at most ``width`` characters: KiB, else ``1234.5m``, ``12.3g``...
    (top's ``scale_mem``)."""
    text = f"{kib:.0f}"
    if len(text) <= width:
        return text
    for suffix in "mgtpe":
        kib /= 1024
        text = f"{kib:.1f}{suffix}"
        if len(text) <= width:
            return text
    return "?"


def scale_time(ticks: int, hertz: int, width: int = 9) -> str:
    """CPU time as top's TIME+ column: ``M:SS.hh``, else ``M:SS``, ``H,MM``, ``Nh``, ``Nd``."""
    centis = ticks * 100 // hertz
    minutes, rest = divmod(centis, 6000)
    seconds, centi = divmod(rest, 100)
    for text in (
        f"{minutes}:{seconds:02d}.{centi:02d}",
        f"{minutes}:{seconds:02d}",
        f"{minutes // 60},{minutes % 60:02d}",
        f"{minutes // 60}h",
        f"{minutes // 1440}d",
        f"{minutes // 10080}w",
    ):
        if len(text) <= width:
            return text
    return "?"


def _user_name(uid: int, cache: dict[int, str]) -> str:
    """The user's name as top's USER column shows it: at most 8 characters, ``+`` if cut."""
    found = cache.get(uid)
    if found is None:
        found = user_name(uid)
        if len(found) > 8:
            found = found[:7] + "+"
        cache[uid] = found
    return found


def _states(states: list[str]) -> str:
    running = sum(1 for s in states if s == "R")
    stopped = sum(1 for s in states if s in "Tt")
    zombie = sum(1 for s in states if s == "Z")
    sleeping = len(states) - running - stopped - zombie
    return (
        f"Tasks: {len(states):3d} total, {running:3d} running, {sleeping:3d} sleeping, "
        f"{stopped:3d} stopped, {zombie:3d} zombie"
    )


def _cpu_line(label: str, percents: Any) -> str:
    p = percents
    return (
        f"{label}:{p.user:5.1f} us,{p.system:5.1f} sy,{p.nice:5.1f} ni,{p.idle:5.1f} id,"
        f"{p.iowait or 0:5.1f} wa,{p.irq or 0:5.1f} hi,{p.softirq or 0:5.1f} si,"
        f"{p.steal or 0:5.1f} st "
    )


class Viewer:
    """Takes samples of one root and makes frames, keeping what the next frame needs."""

    def __init__(self, fs: ProcFS, pids: set[int] | None, euid: int | None, per_cpu: bool) -> None:
        self.fs = fs
        self.pids = pids
        self.euid = euid
        self.per_cpu = per_cpu
        self.users: dict[int, str] = {}
        self.page_kib = fs.page_size() // 1024
        #: whether the effective user is the owner of the process's directory
        self.owners = fs.trusted
        self.rows: list[tuple[Any, ...]] = []  # the processes of the last sample
        self.previous: Sample = self._sample(fs.scan_fields(_PRIMING, default=None), False)

    def _sample(self, rows: Iterable[tuple[Any, ...]], owners: bool) -> Sample:
        """A sample of the CPUs and of the processes of ``rows``, which start with
        :data:`_PRIMING`'s fields; the rows kept are in :attr:`rows` (one scan makes both
        the table and the rates: the rates are :func:`procfs.delta`'s). With ``owners``
        each row kept gets the owner of the process's directory at its end."""
        from procfs.rates import ProcessCounters, Sample

        system = self.fs.sample(("cpu", "cpus"))
        clock = time.monotonic
        counters: dict[tuple[int, int], ProcessCounters] = {}
        kept = []
        if owners:
            fs = self.fs
            stat_at = fs.stat_at
            prefix = fs.path("")
            root_fd = fs.open_dir()
        try:
            for row in rows:
                utime = row[_TIMES_AT]
                if utime is None:
                    continue  # (stat unreadable: gone meanwhile)
                if owners:
                    name = str(row[0])
                    try:
                        found = stat_at(root_fd, name, prefix + name)
                    except ProcError:
                        row += (None,)
                    else:
                        if found is None:
                            continue  # gone
                        row += (found.st_uid,)
                stime = row[_TIMES_AT + 1]
                counters[row[0], row[1]] = ProcessCounters(
                    row[0], row[1], utime, stime, None, None, clock()
                )
                kept.append(row)
        finally:
            if owners:
                fs.close_fd(root_fd)
        self.rows = kept
        return Sample(system.time, system.ticks_per_second, system.cpu, system.cpus, counters)

    def frame(self) -> Frame:
        """A frame measured since the previous one (or since the priming sample)."""
        from procfs.cli.uptime import count_users, uptime_line
        from procfs.rates import delta

        fs = self.fs
        shown = _SHOWN if self.owners else _SHOWN_WITH_EUID
        current = self._sample(fs.scan_fields(shown, default=None), self.owners)
        rates: Rates = delta(self.previous, current)
        self.previous = current
        by_process = rates.processes or {}
        memory = fs.virtual_memory()
        swap = fs.swap_memory()
        tasks: list[Task] = []
        states: list[str] = []
        for row in self.rows:
            states.append(row[5])
            if self.pids is not None and row[0] not in self.pids:
                continue
            euid = row[11] if row[11] is not None else -1
            if self.euid is not None and euid != self.euid:
                continue
            rate = by_process.get((row[0], row[1]))
            user = _user_name(euid, self.users) if euid >= 0 else "?"
            filled = tuple(0 if value is None else value for value in row)
            tasks.append(Task(filled, rate.cpu_percent if rate else 0.0, self.page_kib, user))
        load = fs.loadavg()
        header = [
            "top -"
            + uptime_line(
                time.time(), fs.uptime().uptime, count_users(), (load.one, load.five, load.fifteen)
            ),
            _states(states),
        ]
        cpus: list[str] = []
        if rates.cpu_times_percent is not None:
            cpus.append(_cpu_line("%Cpu(s)", rates.cpu_times_percent))
        for number, percents in sorted((rates.cpus_times_percent or {}).items()):
            cpus.append(_cpu_line(f"%Cpu{number:<3d}", percents))
        mib = 1024 * 1024
        buff_cache = memory.buffers + memory.cached
        header.append("")  # the CPU lines go here
        header.append(
            f"MiB Mem :{memory.total / mib:9.1f} total,{memory.free / mib:9.1f} free,"
            f"{memory.used / mib:9.1f} used,{buff_cache / mib:9.1f} buff/cache     "
        )
        header.append(
            f"MiB Swap:{swap.total / mib:9.1f} total,{swap.free / mib:9.1f} free,"
            f"{swap.used / mib:9.1f} used.{memory.available / mib:9.1f} avail Mem "
        )
        return Frame(header, cpus, tasks, memory.total // 1024, fs.ticks_per_second())


def header_lines(frame: Frame, per_cpu: bool) -> list[str]:
    """The header of ``frame``: the CPU lines in their place (one per CPU with ``per_cpu``)."""
    cpus = frame.cpus[1:] if per_cpu and len(frame.cpus) > 1 else frame.cpus[:1]
    return frame.header[:2] + cpus + frame.header[3:]


def table_header(pid_width: int) -> str:
    """The title line of the table."""
    return (
        f"{'PID':>{pid_width}} {'USER':<8} {'PR':>3} {'NI':>3} {'VIRT':>7} {'RES':>6} "
        f"{'SHR':>6} S {'%CPU':>5} {'%MEM':>5} {'TIME+':>9} COMMAND"
    )


def sorted_tasks(tasks: list[Task], key: str) -> list[Task]:
    """The tasks in top's order for ``key`` (descending; by pid ascending)."""
    if key == "pid":
        return sorted(tasks, key=lambda t: t.pid)
    return sorted(tasks, key=lambda t: (-getattr(t, key), t.pid))


def task_line(task: Task, frame: Frame, pid_width: int) -> str:
    """One row of the table, as top prints it."""
    priority = "rt" if task.priority <= -100 else str(task.priority)
    memory = task.rss * 100 / frame.mem_total_kib if frame.mem_total_kib else 0.0
    return (
        f"{task.pid:>{pid_width}} {task.user:<8} {priority:>3} {task.nice:>3} "
        f"{scale_kib(task.size, 7):>7} {scale_kib(task.rss, 6):>6} "
        f"{scale_kib(task.shared, 6):>6} {task.state} {task.cpu:5.1f} {memory:5.1f} "
        f"{scale_time(task.ticks, frame.ticks_per_second):>9} {task.comm}"
    )


def pid_width(fs: ProcFS) -> int:
    """The width of the PID column: the digits of ``pid_max``, at least 5."""
    try:
        return max(5, len(str(fs.pid_max())))
    except ProcError:
        return 5


def batch_frame(frame: Frame, sort: str, per_cpu: bool, pid_width: int, width: int) -> str:
    """One frame in top's batch layout."""
    lines = header_lines(frame, per_cpu)
    lines.append("")
    lines.append(table_header(pid_width))
    lines.extend(task_line(task, frame, pid_width) for task in sorted_tasks(frame.tasks, sort))
    return "".join(line[:width] + "\n" for line in lines)


def _positive(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{name} must be a number, not {text!r}") from None
    if not value >= 0 or value > 1e9:
        raise UsageError(f"{name} out of range: {text}")
    return value


def main(argv: Sequence[str]) -> int:
    """Run ``procfs top``; returns the exit status."""
    try:
        options = parse_declared(argv, OPTIONS)
        if options.has("--help"):
            sys.stdout.write(USAGE)
            return 0
        count = int(_positive(options.value("-n") or "0", "-n")) or None
        delay = _positive(options.value("-d") or "3", "-d")
        pids = None
        if options.value("-p") is not None:
            pids = {int(_positive(item, "-p")) for item in (options.value("-p") or "").split(",")}
        euid = None
        user = options.value("-u")
        if user is not None:
            euid = int(user) if user.isdigit() else user_id(user)
            if euid is None:
                raise UsageError(f"invalid user: {user}")
        sort_name = (options.value("-o") or "%CPU").upper()
        if sort_name not in _SORTS:
            raise UsageError(f"unknown sort field {options.value('-o')!r}")
        width = int(_positive(options.value("-w") or "512", "-w"))
    except UsageError as exc:
        return fail("top", str(exc), USAGE)
    from procfs.root import ProcFS

    fs = ProcFS(options.value("--root") or DEFAULT_ROOT)
    try:
        viewer = Viewer(fs, pids, euid, options.has("-1"))
    except ProcError as exc:
        sys.stderr.write(f"procfs top: {exc}\n")
        return 1
    sort = _SORTS[sort_name]
    if options.has("-b") or not sys.stdout.isatty():
        return _batch(viewer, sort, count, delay, width)
    from procfs.cli.top_screen import run_screen

    return run_screen(viewer, sort, count, delay)


def _batch(viewer: Viewer, sort: str, count: int | None, delay: float, width: int) -> int:
    width_of_pid = pid_width(viewer.fs)
    time.sleep(PRIMING_SECONDS)
    shown = 0
    while True:
        try:
            frame = viewer.frame()
        except ProcError as exc:
            sys.stderr.write(f"procfs top: {exc}\n")
            return 1
        if shown:
            sys.stdout.write("\n")
        sys.stdout.write(batch_frame(frame, sort, viewer.per_cpu, width_of_pid, width))
        sys.stdout.flush()
        shown += 1
        if count is not None and shown >= count:
            return 0
        time.sleep(delay)
