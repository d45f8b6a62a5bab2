"""``procfs top``: a live view of the system and its busiest processes, like procps ``top``.

The header is procps top's (uptime, users and load; tasks by state; the CPU
split ``us sy ni id wa hi si st``; memory and swap in MiB, ``used`` being
``total - available`` as procps 4 computes it), and so is the table: PID USER
PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND, sorted by %CPU.

Each frame reads what it shows as procps top does: ``stat`` and ``statm`` of
every process and the owner of its directory (the effective user), then
``stat``, ``meminfo``, ``loadavg``, ``uptime`` and utmp. A process's %CPU is
the clock ticks it gained since its previous reading, over the time between
the two; the CPU lines are :func:`procfs.usage.cpu_mode_percents` of two
readings of ``stat``. The first frame is measured against a priming reading
(:class:`Priming`) taken ``PRIMING_SECONDS`` before, as top primes its first
frame, which reads only ``stat`` (every process's, and the system's): the
parsing, the imports and the rest wait for that interval.

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
from _operator import attrgetter as _attrgetter

from procfs._fs import DEFAULT_ROOT, GONE, Root
from procfs.cli import HELP, ROOT, Option, UsageError, fail, help_lines, parse_declared, printable
from procfs.errors import ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from procfs.core.kernel_stats import CpuTime
    from procfs.proc_sys import SysctlFiles
    from procfs.system import SystemFiles

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

#: How long before the priming wait ends the work that fills it stops (seconds).
_MARGIN = 0.005
#: Processes read between two looks at the clock: the time of a process's reading (its
#: %CPU is measured between its two) is that of its batch.
_BATCH = 32
#: The fields of ``stat`` and ``statm`` a frame shows; the effective user is the owner of
#: the process's directory, as procps top reads it (the kernel keeps it the effective
#: user, for procps's sake, even when the process's files are root's), or for a root
#: that is not a procfs (a captured tree) ``status``'s.
_STAT = ("pid", "starttime", "utime", "stime", "comm", "state", "priority", "nice")
_STATM = ("size", "resident", "shared")
_SORTS = {"%CPU": "cpu", "%MEM": "rss", "TIME+": "ticks", "PID": "pid"}


class Task:
    """One process in the table."""

    __slots__ = (
        "comm",
        "cpu",
        "euid",
        "nice",
        "pid",
        "priority",
        "row",
        "row_for",
        "rss",
        "shared",
        "size",
        "state",
        "ticks",
        "user",
    )

    def __init__(
        self,
        pid: int,
        comm: str,
        state: str,
        priority: int,
        nice: int,
        ticks: int,
        size: int,
        rss: int,
        shared: int,
        euid: int,
        user: str,
        cpu: float,
    ) -> None:
        self.pid = pid
        self.comm = comm
        self.state = state
        self.priority = priority
        self.nice = nice
        self.ticks = ticks  # utime + stime, clock ticks
        self.size = size  # KiB, as top shows the sizes
        self.rss = rss
        self.shared = shared
        self.euid = euid
        self.user = user
        self.cpu = cpu
        self.row = ""  # its row of the table, once made (see line_maker)
        self.row_for: tuple[int, int, int] | None = None


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


def _user_name(uid: int) -> str:
    """The user's name as top's USER column shows it: at most 8 characters, ``+`` if cut
    (``?`` for an owner not known)."""
    if uid < 0:
        return "?"
    from procfs.users import user_name

    found = user_name(uid)
    return found[:7] + "+" if len(found) > 8 else found


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


#: One pass over the processes, read but not yet parsed: batches of (the time they were
#: read, the names of the process directories with their ``stat`` or its error).
_Stats = list[tuple[float, list[tuple[str, "bytes | OSError"]]]]


class Priming:
    """The first reading, with nothing in it but what a %CPU needs: ``stat`` (the CPU
    lines) and the ``stat`` of every process, read and not yet parsed (the parsing,
    and the imports that needs, wait for the priming interval)."""

    __slots__ = ("cpu", "processes", "time")

    def __init__(self, fs: Root) -> None:
        self.processes = _read_stats(fs, fs.pid_names())
        self.cpu = fs.read("stat")
        #: when it ended: top waits PRIMING_SECONDS from there
        self.time = time.monotonic()


def _read_stats(fs: Root, names: list[str]) -> _Stats:
    """The ``stat`` of each process ``names``, by batch (a process gone is left out)."""
    clock = time.monotonic
    root_fd = fs.open_dir()
    try:
        return [
            (clock(), fs.read_one_each(root_fd, names[first : first + _BATCH], "/stat", True))
            for first in range(0, len(names), _BATCH)
        ]
    finally:
        fs.close_fd(root_fd)


class Viewer:
    """Takes readings of one root and makes frames, keeping what the next frame needs."""

    def __init__(
        self,
        fs: SystemFiles,
        priming: Priming,
        pids: set[int] | None,
        euid: int | None,
        per_cpu: bool,
    ) -> None:
        # (and what the frames import, while the priming interval runs)
        import procfs.cli.uptime
        import procfs.users  # noqa: F401
        from procfs.core.kernel_stats import parse_kernel_stats
        from procfs.core.owner import fields_reader as owner_reader
        from procfs.core.stat import fields_reader
        from procfs.core.statm import fields_reader as statm_reader
        from procfs.proc_sys import SysctlFiles
        from procfs.usage import cpu_mode_percents

        self.fs = fs
        self.pids = pids
        self.euid = euid
        self.per_cpu = per_cpu
        self.users: dict[int, str] = {}
        self.page_kib = fs.page_size() // 1024
        self.ticks_per_second = fs.ticks_per_second()
        self.primed = priming.time
        kernel = parse_kernel_stats(priming.cpu, fs.path("stat"))
        #: the CPU times of the previous reading: all CPUs', and each one's by number
        self.cpu: tuple[CpuTime, dict[int, CpuTime]] = (kernel.total, kernel.cpus)
        self.pid_width = pid_width(SysctlFiles(fs.root))
        self._read_stat = fields_reader(_STAT)
        self._read_statm = statm_reader(_STATM)
        self._read_euid = owner_reader(("euid",))
        # The memory of the first frame is read now, before the priming wait ends, as procps
        # top reads it; the rest of the header is read now too, to be read again at the
        # frame: the first use of a record's class compiles it, done here meanwhile.
        self._memory: tuple[list[str], int] | None = self._read_memory()
        self._uptime_line()
        cpu_mode_percents(kernel.total, kernel.total)
        #: the last reading of each process by the name of its directory: its stat's
        #: bytes, their fields (:data:`_STAT`) and when they were read
        self.stats: dict[str, tuple[bytes, tuple[Any, ...], float]] = {}
        read = self._read_stat
        prefix = fs.path("")
        for clock, batch in priming.processes:
            for name, data in batch:
                if data.__class__ is bytes:
                    try:
                        self.stats[name] = (data, read(data, prefix + name + "/stat"), clock)
                    except _PARSE_ERRORS:
                        continue  # (shown with 0 %CPU)
        #: the last statm read of each process (or its error), by the name of its directory
        self.statm: dict[str, bytes | OSError] = {}
        #: the last task made of each process, by the name of its directory
        self.tasks: dict[str, Task] = {}
        self._sizes: dict[bytes, tuple[int, int, int]] = {}
        self._read_ahead(self.primed + PRIMING_SECONDS - _MARGIN, self._memory[1])

    def _read_ahead(self, stop: float, mem_total_kib: int) -> None:
        """What the first frame reads but ``stat`` (read again then, see :meth:`_tasks`),
        read during the priming wait until the time ``stop``: every process's ``statm``
        and owner (read again then), its task and its row (for the first frame's memory,
        ``mem_total_kib``). On a busy machine, the frame does what is left."""
        fs = self.fs
        make_row = line_maker(self.pid_width, mem_total_kib, self.ticks_per_second)
        names = list(self.stats)
        root_fd = fs.open_dir()
        try:
            for first in range(0, len(names), _BATCH):
                if time.monotonic() > stop:
                    break
                chunk = names[first : first + _BATCH]
                self.statm.update(fs.read_one_each(root_fd, chunk, "/statm", True))
                for name in chunk:
                    statm = self.statm.get(name)
                    euid = self._owner(root_fd, name)
                    fields = self.stats[name][1]
                    if statm is None or euid is None:
                        continue  # gone
                    if self.pids is not None and fields[0] not in self.pids:
                        continue
                    if self.euid is not None and euid != self.euid:
                        continue
                    task = self.tasks[name] = self._task(fields, statm, euid, 0.0)
                    make_row(task)
        finally:
            fs.close_fd(root_fd)

    def _owner(self, root_fd: int, name: str) -> int | None:
        """The effective user of the process ``name`` (see :data:`_STAT`): -1 if unknown,
        None if the process is gone."""
        fs = self.fs
        try:
            data = fs.owner_at(root_fd, name, fs.path(name) + "/")
        except OSError as exc:
            return None if exc.errno in GONE else -1
        try:
            found: int = self._read_euid(data, "")[0]
        except _PARSE_ERRORS:
            return -1
        return found

    def _task(self, fields: tuple[Any, ...], statm: bytes | OSError, euid: int, cpu: float) -> Task:
        """The task of a process: its :data:`_STAT` fields, its statm, its effective user."""
        pid, _, utime, stime, comm, state, priority, nice = fields
        size = rss = shared = 0
        if statm.__class__ is bytes:
            found = self._sizes.get(statm)
            if found is None:
                try:
                    found = self._sizes[statm] = self._read_statm(statm, "")
                except _PARSE_ERRORS:
                    found = (0, 0, 0)
            size, rss, shared = found
        user = self.users.get(euid)
        if user is None:
            user = self.users[euid] = _user_name(euid)
        page_kib = self.page_kib
        return Task(
            pid,
            comm if comm.isprintable() else printable(comm),
            state,
            priority,
            nice,
            utime + stime,
            size * page_kib,
            rss * page_kib,
            shared * page_kib,
            euid,
            user,
            cpu,
        )

    def _tasks(self) -> tuple[list[Task], list[str]]:
        """The processes now, with the %CPU each used since its previous reading (top's:
        the clock ticks gained over the time between the two, in percent of one CPU),
        and the state of every process (the tasks are those :attr:`pids` and
        :attr:`euid` select).

        A ``stat`` the same as at the previous reading, byte for byte (a process that
        slept meanwhile, as most do), is not parsed again, and the process's ``statm``
        is not read again either: its sizes cannot have changed. ``stat`` holds the
        size (``vsize``) and the resident set (``rss``) too, and the shared part of the
        resident set (file and shared-memory pages) changes only with a page fault,
        which ``stat`` counts (``minflt``, ``majflt``), or by pages leaving, which
        changes ``rss``. Such a process with the same owner keeps its task, and its
        row. The first frame's ``statm`` and owners are read during the priming wait
        (as procps top reads them before that wait; the owners are read again at the
        frame). A ``statm`` the same as another process's (forks of one program that
        have not run since) is not parsed again.
        """
        fs = self.fs
        read_stat = self._read_stat
        pids = self.pids
        wanted_euid = self.euid
        before = self.stats
        known_statm = self.statm
        known_tasks = self.tasks
        stats: dict[str, tuple[bytes, tuple[Any, ...], float]] = {}
        statms: dict[str, bytes | OSError] = {}
        made: dict[str, Task] = {}
        self._sizes = {}
        percent_per_tick = 100.0 / self.ticks_per_second
        prefix = fs.path("")
        tasks: list[Task] = []
        states: list[str] = []
        clock = time.monotonic
        read_one_each = fs.read_one_each
        owner_of = self._owner
        make = self._task
        names = fs.pid_names()
        root_fd = fs.open_dir()
        try:
            for first in range(0, len(names), _BATCH):
                chunk = names[first : first + _BATCH]
                now = clock()
                read = read_one_each(root_fd, chunk, "/stat", True)
                again = [
                    name
                    for name, data in read
                    if _changed(before.get(name), data) or name not in known_statm
                ]
                memory = dict(read_one_each(root_fd, again, "/statm", True)) if again else {}
                for name, data in read:
                    if data.__class__ is not bytes:
                        continue  # (its stat unreadable)
                    old = before.get(name)
                    statm = memory.get(name)
                    cpu = 0.0
                    same = False
                    if old is not None and old[0] == data:
                        same = True
                        fields = old[1]  # (no CPU time gained either)
                        if statm is None:
                            statm = known_statm.get(name)
                    else:
                        # (the paths given are for errors, which leave a process out here)
                        try:
                            fields = read_stat(data, prefix)
                        except _PARSE_ERRORS:
                            continue
                        if old is not None and old[1][1] == fields[1] and now > old[2]:
                            then = old[1]
                            busy = fields[2] + fields[3] - then[2] - then[3]
                            cpu = max(0, busy) * percent_per_tick / (now - old[2])
                    euid = owner_of(root_fd, name)
                    if statm is None or euid is None:
                        continue  # gone
                    stats[name] = (data, fields, now)
                    statms[name] = statm
                    states.append(fields[5])
                    if pids is not None and fields[0] not in pids:
                        continue
                    if wanted_euid is not None and euid != wanted_euid:
                        continue
                    task = known_tasks.get(name) if same else None
                    if (
                        task is None
                        or task.euid != euid
                        or task.cpu
                        or statm is not known_statm.get(name)
                    ):
                        task = make(fields, statm, euid, cpu)
                    made[name] = task
                    tasks.append(task)
        finally:
            fs.close_fd(root_fd)
        self.stats = stats
        self.statm = statms
        self.tasks = made
        return tasks, states

    def frame(self) -> Frame:
        """A frame measured since the previous one (or since the priming reading)."""
        from procfs.usage import cpu_mode_percents

        tasks, states = self._tasks()
        kernel = self.fs.kernel_stats()
        total, each = self.cpu
        self.cpu = (kernel.total, kernel.cpus)
        memory, total_kib = self._memory or self._read_memory()
        self._memory = None
        cpus = [_cpu_line("%Cpu(s)", cpu_mode_percents(total, kernel.total))]
        for number, now in sorted(kernel.cpus.items()):
            if number in each:  # (a CPU that came online since has no percents yet)
                cpus.append(_cpu_line(f"%Cpu{number:<3d}", cpu_mode_percents(each[number], now)))
        # (the CPU lines go in the empty line)
        header = ["top -" + self._uptime_line(), _states(states), "", *memory]
        return Frame(header, cpus, tasks, total_kib, self.ticks_per_second)

    def _uptime_line(self) -> str:
        """The first line of the header: the time, the uptime, the users and the load."""
        from procfs.cli.uptime import count_users, uptime_line

        fs = self.fs
        load = fs.loadavg()
        return uptime_line(
            time.time(), fs.uptime().uptime, count_users(), (load.one, load.five, load.fifteen)
        )

    def _read_memory(self) -> tuple[list[str], int]:
        """The memory and swap lines of the header, and the memory's total in KiB."""
        from procfs.memory import memory_of, swap_of

        info = self.fs.meminfo()
        memory = memory_of(info)
        swap = swap_of(info)
        mib = 1024 * 1024
        buff_cache = memory.buffers + memory.cached
        lines = [
            f"MiB Mem :{memory.total / mib:9.1f} total,{memory.free / mib:9.1f} free,"
            f"{memory.used / mib:9.1f} used,{buff_cache / mib:9.1f} buff/cache     ",
            f"MiB Swap:{swap.total / mib:9.1f} total,{swap.free / mib:9.1f} free,"
            f"{swap.used / mib:9.1f} used.{memory.available / mib:9.1f} avail Mem ",
        ]
        return lines, memory.total // 1024


def _changed(old: tuple[bytes, tuple[Any, ...], float] | None, data: bytes | OSError) -> bool:
    """Whether a process's ``stat`` is not the ``stat`` of its previous reading ``old``."""
    return old is None or old[0] != data


#: What a reader of a file's fields raises for bytes it cannot read (a ParseError, or
#: whatever the parser did not expect).
_PARSE_ERRORS = (ProcError, ValueError, IndexError, KeyError, UnicodeError, OverflowError)


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
    by_pid = sorted(tasks, key=_PID)
    if key == "pid":
        return by_pid
    return sorted(by_pid, key=_attrgetter(key), reverse=True)  # (stable: equals by pid)


_PID = _attrgetter("pid")


def task_line(task: Task, frame: Frame, pid_width: int) -> str:
    """One row of the table, as top prints it."""
    return line_maker(pid_width, frame.mem_total_kib, frame.ticks_per_second)(task)


def line_maker(pid_width: int, mem_total_kib: int, ticks_per_second: int) -> Callable[[Task], str]:
    """A function giving the row of a task as top prints it (:func:`task_line`), for a PID
    column ``pid_width`` wide, ``mem_total_kib`` of memory and ``ticks_per_second``; a
    task keeps its row, for the next frame that has it with the same three."""
    template = f"%{pid_width}d %-8s %3s %3d %7s %6s %6s %s %5.1f %5.1f %9s %s"
    total = mem_total_kib or 1 << 64  # (no total: 0.0 %MEM)
    hertz = ticks_per_second
    key = (pid_width, mem_total_kib, ticks_per_second)

    def line(task: Task) -> str:
        if task.row_for == key:
            return task.row
        priority = task.priority
        size = task.size
        rss = task.rss
        shared = task.shared
        minutes, centis = divmod(task.ticks * 100 // hertz, 6000)
        seconds, centis = divmod(centis, 100)
        task.row_for = key
        task.row = template % (
            task.pid,
            task.user,
            "rt" if priority <= -100 else priority,
            task.nice,
            size if size < 10_000_000 else scale_kib(size, 7),
            rss if rss < 1_000_000 else scale_kib(rss, 6),
            shared if shared < 1_000_000 else scale_kib(shared, 6),
            task.state,
            task.cpu,
            rss * 100 / total,
            f"{minutes}:{seconds:02d}.{centis:02d}"
            if minutes < 1000
            else scale_time(task.ticks, hertz),
            task.comm,
        )
        return task.row

    return line


def pid_width(fs: SysctlFiles) -> int:
    """The width of the PID column: the digits of ``pid_max``, at least 5."""
    try:
        return max(5, len(str(fs.pid_max())))
    except ProcError:
        return 5


def batch_frame(frame: Frame, sort: str, per_cpu: bool, pid_width: int, width: int) -> str:
    """One frame in top's batch layout, its lines cut to ``width``."""
    lines = header_lines(frame, per_cpu)
    lines.append("")
    lines.append(table_header(pid_width))
    row = line_maker(pid_width, frame.mem_total_kib, frame.ticks_per_second)
    lines += map(row, sorted_tasks(frame.tasks, sort))
    if max(map(len, lines)) > width:
        lines = [line[:width] for line in lines]
    lines.append("")
    return "\n".join(lines)


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
            from procfs.users import user_id

            euid = int(user) if user.isdigit() else user_id(user)
            if euid is None:
                raise UsageError(f"invalid user: {user}")
        sort_name = (options.value("-o") or "%CPU").upper()
        if sort_name not in _SORTS:
            raise UsageError(f"unknown sort field {options.value('-o')!r}")
        width = int(_positive(options.value("-w") or "512", "-w"))
    except UsageError as exc:
        return fail("top", str(exc), USAGE)
    path = options.value("--root") or DEFAULT_ROOT
    try:
        priming = Priming(Root(path))
        # The rest waits for the priming interval (see Priming).
        from procfs.system import SystemFiles

        viewer = Viewer(SystemFiles(path), priming, pids, euid, options.has("-1"))
    except ProcError as exc:
        sys.stderr.write(f"procfs top: {exc}\n")
        return 1
    sort = _SORTS[sort_name]
    if options.has("-b") or not sys.stdout.isatty():
        return _batch(viewer, sort, count, delay, width)
    from procfs.cli.top_screen import run_screen

    return run_screen(viewer, sort, count, delay)


def _batch(viewer: Viewer, sort: str, count: int | None, delay: float, width: int) -> int:
    width_of_pid = viewer.pid_width
    time.sleep(max(0.0, viewer.primed + PRIMING_SECONDS - time.monotonic()))
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
