"""``procfs ps``: list processes, like procps ``ps`` in its default mode.

Without options it shows the processes that share the caller's effective
user id and controlling terminal (as procps does); ``-e`` shows every
process. Columns: PID, TTY, TIME (user + system CPU time), CMD (the command
name; procps 4 adds no ``<defunct>`` mark to it for a zombie, nor do we).
"""

from __future__ import annotations

import os
import sys

from procfs import core
from procfs._fs import DEFAULT_ROOT
from procfs.cli import UsageError, fail, parse, printable
from procfs.core._record import Record
from procfs.errors import ProcError, ResourceLimitError
from procfs.scan import ScanFiles
from procfs.system import SystemFiles

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from procfs.root import ProcFS
    from procfs.tty import TtyNames

USAGE = """\
usage: procfs ps [-e] [--json] [--root DIR]

  -e, -A        every process (default: the caller's user and terminal)
  --json        print a JSON list instead of a table
  --root DIR    read another procfs mount or a captured tree
"""

__all__ = ["Row", "format_time", "main", "printable", "rows"]


class Row(Record):
    """One line of ``ps`` output.

    Attributes:
        pid: The process ID.
        tty: The controlling terminal's name (``pts/0``), or ``?``.
        tty_nr: The terminal's device number as ``stat`` gives it (0: none).
        cpu_ticks: User plus system CPU time, clock ticks.
        time: That time as ps prints it (``[DD-]HH:MM:SS``).
        cmd: The command name, with what a terminal cannot show as ``?``.
    """

    pid: int
    tty: str
    tty_nr: int
    cpu_ticks: int
    time: str
    cmd: str

    def as_json(self, ticks_per_second: int) -> dict[str, object]:
        """The row as JSON-ready data (``cpu_seconds`` is user + system time)."""
        return {
            "pid": self.pid,
            "tty": self.tty,
            "tty_nr": self.tty_nr,
            "time": self.time,
            "cpu_seconds": self.cpu_ticks / ticks_per_second,
            "cmd": self.cmd,
        }


#: What a row needs of each process.
_FIELDS = ("stat.pid", "stat.tty_nr", "stat.utime", "stat.stime", "stat.comm")


def format_time(seconds: int) -> str:
    """CPU time the way ps prints it: ``[DD-]HH:MM:SS``."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}-{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


class PsFiles(ScanFiles, SystemFiles):
    """The readers ``procfs ps`` uses: a scan of every process and the clock tick.

    (Rather than the whole :class:`procfs.ProcFS`: the command then imports no
    net, sysctl or handle module, 2 ms of its run.)
    """

    __slots__ = ()


def _euid_of(fs: PsFiles | ProcFS, pid: int) -> int | None:
    """The effective uid of ``pid`` (from its status), or None if it cannot be read."""
    from procfs.core.status import parse_status

    path = f"{pid}/status"
    try:
        return parse_status(fs.read(path, True), fs.path(path)).euid
    except ResourceLimitError:
        raise  # (not a reason to leave the process out)
    except ProcError:
        return None


def rows(fs: PsFiles | ProcFS, every: bool = True) -> list[Row]:
    """The rows ``ps`` shows for root ``fs``: every process, or the caller's selection."""
    return list(map(Row._make, _rows(fs, every)))


def _rows(fs: PsFiles | ProcFS, every: bool) -> list[tuple[int, str, int, int, str, str]]:
    """The fields of :func:`rows`, as plain tuples."""
    tps = fs.ticks_per_second()
    names: TtyNames | None = None  # (imported at the first process with a terminal)
    own_tty = own_euid = 0
    if not every:
        own = fs.self_pid()
        own_tty = core.stat.parse_stat(fs.read(f"{own}/stat", True)).tty_nr
        own_euid = os.geteuid()
    out: list[tuple[int, str, int, int, str, str]] = []
    times: dict[int, str] = {}  # most processes used 0 s: format each value once
    for pid, tty_nr, utime, stime, comm in fs.scan_fields(_FIELDS):
        if not every and (tty_nr != own_tty or _euid_of(fs, pid) != own_euid):
            continue
        ticks = utime + stime
        seconds = ticks // tps
        time = times.get(seconds)
        if time is None:
            time = times[seconds] = format_time(seconds)
        tty = "?"
        if tty_nr:
            if names is None:
                from procfs.tty import TtyNames

                names = TtyNames(fs)
            tty = names.name(tty_nr) or "?"
        out.append((pid, tty, tty_nr, ticks, time, printable(comm)))
    return out


def _pid_width(fs: PsFiles | ProcFS) -> int:
    try:
        return max(5, len(fs.read("sys/kernel/pid_max").strip()))
    except ProcError:
        return 5


def main(argv: Sequence[str]) -> int:
    """Run ``procfs ps``; returns the exit status."""
    try:
        options = parse(argv, flags=("-e", "-A", "--json", "-h", "--help"), options=("--root",))
    except UsageError as exc:
        return fail("ps", str(exc), USAGE)
    if options.has("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    fs = PsFiles(options.value("--root") or DEFAULT_ROOT)
    try:
        found = _rows(fs, every=options.has("-e", "-A"))
    except ProcError as exc:
        sys.stderr.write(f"procfs ps: {exc}\n")
        return 1
    if options.has("--json"):
        import json

        tps = fs.ticks_per_second()
        json.dump([Row._make(row).as_json(tps) for row in found], sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    width = _pid_width(fs)
    line = f"%{width}d %-8.8s %8s %s\n"  # (%-formatting: twice as fast as f-strings here)
    lines = [f"{'PID':>{width}} TTY          TIME CMD\n"]
    lines.extend([line % (pid, tty, time, cmd) for pid, tty, _, _, time, cmd in found])
    sys.stdout.write("".join(lines))
    return 0
