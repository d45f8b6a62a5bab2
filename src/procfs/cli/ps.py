"""``procfs ps``: list processes, like procps ``ps``, with its options.

Without options it shows the processes that share the caller's effective
user id and controlling terminal (as procps does); ``-e`` shows every
process. Columns: PID, TTY, TIME (user + system CPU time), CMD (the command
name; procps 4 adds no ``<defunct>`` mark to it for a zombie, nor do we).
Those two, the commands run most, take a path of their own here that reads
only ``stat``; any other option goes to :mod:`procfs.cli.ps_run`, which
follows procps's options (:mod:`procfs.cli.ps_options`) and columns
(:mod:`procfs.cli.ps_format`).
"""

from __future__ import annotations

import os
import sys

from procfs import core
from procfs._fs import DEFAULT_ROOT
from procfs.cli import HELP, ROOT, Option, printable
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
usage: procfs ps [OPTIONS]   (procps ps's options, UNIX, BSD and GNU styles)

selection (default: the processes of your user on your terminal):
  -e, -A            every process              -a   those with a terminal, but
  -d                all but session leaders         session leaders
  a                 those with a terminal      x, -x   those without one too
  r                 only running ones          -N, --deselect   the others
  -p, p, --pid LIST       by process ID        -q, --quick-pid LIST   (as given)
  -u, U, --user LIST      by effective user    -U, --User LIST  by real user
  -g, --group LIST        by session or group  -G, --Group LIST by real group
  -s, --sid LIST          by session           -t, t, --tty LIST  by terminal
  -C LIST                 by command name      --ppid LIST  by parent
output:
  -o, o, --format FMT     columns (pid,user,%cpu,args,...; name=HEADER,
                          name:WIDTH)
  -O, O FMT               pid, FMT and the default columns
  -f, -F, -l, -y, -j      full, extra full, long, RSS for ADDR, jobs
  -c, -P                  scheduling class (with -l, -f), processor column
  u, j, l, s, v           BSD user, jobs, long, signal and memory formats
  -H, f, --forest         process tree          -L, -T, H   one line per thread
  m, -m                   each process's line, then its threads'
  --sort, k [+|-]KEY,...  order by columns      --no-headers, h   no header line
  -w, -ww                 wider lines (-ww: unlimited)
  --cols, --columns, --width N   lines of N columns
  --json                  a JSON list of objects, one a row, the columns'
                          specifier names as keys (-f's UID: "user"); numbers
                          as numbers, CPU and elapsed times in seconds, start
                          times as Unix times, sizes in KiB as shown, null for
                          none (no tty)
  --root DIR              read another procfs mount or a captured tree
  -h, --help              print this help and exit
environment:
  PS_FORMAT               the columns when no option chooses them (as -o)
"""

#: The dash options of ``USAGE``, for ``procfs completion`` (the command line is
#: read by :func:`procfs.cli.ps_options.parse_ps`, which also takes the BSD
#: letters without a dash: ``aux``).
OPTIONS = (
    Option("-e", "-A", help="every process"),
    Option("-a", help="those with a terminal, but session leaders"),
    Option("-d", help="all but session leaders"),
    Option("-x", help="those without a terminal too"),
    Option("-N", "--deselect", help="the processes not selected"),
    Option("-p", "--pid", value="LIST", help="by process ID"),
    Option("-q", "--quick-pid", value="LIST", help="by process ID, in the order given"),
    Option("-u", "--user", value="LIST", help="by effective user"),
    Option("-U", "--User", value="LIST", help="by real user"),
    Option("-g", "--group", value="LIST", help="by session or group"),
    Option("-G", "--Group", value="LIST", help="by real group"),
    Option("-s", "--sid", value="LIST", help="by session"),
    Option("-t", "--tty", value="LIST", help="by terminal"),
    Option("-C", value="LIST", help="by command name"),
    Option("--ppid", value="LIST", help="by parent"),
    Option("-o", "--format", value="FMT", help="the columns"),
    Option("-O", value="FMT", help="pid, FMT and the default columns"),
    Option("-f", help="full format"),
    Option("-F", help="extra full format"),
    Option("-l", help="long format"),
    Option("-y", help="RSS for ADDR (with -l)"),
    Option("-j", help="jobs format"),
    Option("-c", help="the scheduling class (with -l, -f)"),
    Option("-P", help="the processor column"),
    Option("-H", "--forest", help="the process tree"),
    Option("-L", help="one line per thread, with LWP"),
    Option("-T", help="one line per thread, with SPID"),
    Option("-m", help="each process's line, then its threads'"),
    Option("--sort", value="KEY", help="order by columns ([+|-]KEY,...)"),
    Option("--no-headers", help="no header line"),
    Option("-w", help="wider lines (twice: unlimited)"),
    Option("--cols", "--columns", "--width", value="N", help="lines of N columns"),
    Option("--json", help="a JSON list of objects, one a row"),
    ROOT,
    HELP,
)

__all__ = ["OPTIONS", "Row", "format_time", "main", "printable", "rows"]


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
    # (a process whose stat cannot be read is left out, as procps leaves it: one
    # that exits meanwhile, or a captured tree's directory without its stat)
    for pid, tty_nr, utime, stime, comm in fs.scan_fields(_FIELDS, default=None):
        if tty_nr is None:
            continue
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
    args = list(argv)
    root = DEFAULT_ROOT
    if len(args) >= 2 and args[-2] == "--root":
        root = args[-1]
        del args[-2:]
    if args not in ([], ["-e"], ["-A"]) or not _wide_enough() or os.environ.get("PS_FORMAT"):
        from procfs.cli.ps_run import run

        return run(argv, USAGE)
    # The default columns of every process (or the caller's): the fast path.
    fs = PsFiles(root)
    try:
        found = _rows(fs, every=bool(args))
    except ProcError as exc:
        sys.stderr.write(f"procfs ps: {exc}\n")
        return 1
    width = _pid_width(fs)
    line = f"%{width}d %-8.8s %8s %s\n"  # (%-formatting: twice as fast as f-strings here)
    lines = [f"{'PID':>{width}} TTY          TIME CMD\n"]
    lines.extend([line % (pid, tty, time, cmd) for pid, tty, _, _, time, cmd in found])
    sys.stdout.write("".join(lines))
    return 0 if found else 1


def _wide_enough() -> bool:
    """Whether a line of the default columns cannot be cut: output into a pipe or a
    file, or a terminal of 80 columns or more (a command name has at most 15)."""
    columns = os.environ.get("COLUMNS")
    if columns is not None:
        return columns.isdigit() and int(columns) >= 80
    if sys.stdout is None or not sys.stdout.isatty():
        return True
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns >= 80
    except OSError:
        return False
