"""The columns of ``procfs ps``: procps's format specifiers, their values and its layout.

Each specifier (``pid``, ``user``, ``%cpu``, ``args``, ...) has procps's
header, width and alignment, and makes its text (and its JSON value) from
the fields a scan of ``/proc/[pid]/stat``, ``status``, ``cmdline`` and
``wchan`` gives. :func:`render` lays a row out as procps's
``show_one_proc`` does: a value wider than its column pushes the next ones
right, and the next columns take the slack back where they can; the last
column (and a command column anywhere) is cut at the screen's width.
"""

from __future__ import annotations

import time as _clock

from procfs.cli import printable
from procfs.cli.ps import format_time
from procfs.core.stat import lifetime_cpu_percent
from procfs.errors import ProcError
from procfs.users import group_name_or_none, user_name_or_none

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from procfs.cli.ps import PsFiles


__all__ = [
    "MACROS",
    "SPECS",
    "Column",
    "Context",
    "Spec",
    "parse_format",
    "render",
]

#: Alignments (procps's CF_* codes): right, left, a user name, a command (cut at the width).
RIGHT, LEFT, USER, CMD = "R", "L", "U", "C"

#: procps's output buffer: "unlimited" widths are this.
OUTBUF_SIZE = 2 * 64 * 1024


def format_elapsed(seconds: int) -> str:
    """Elapsed time as ps's ``etime``: ``[[DD-]HH:]MM:SS``."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}-{hours:02d}:{minutes:02d}:{secs:02d}"
    if hours:
        return f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


class Context:
    """What the columns need besides a process's fields, read once per run."""

    __slots__ = (
        "boot_time",
        "forest",
        "fs",
        "groups",
        "memory_kb",
        "now",
        "page_kb",
        "scales",
        "tps",
        "ttys",
        "uptime_ticks",
        "users",
    )

    def __init__(self, fs: PsFiles, forest: bool = False) -> None:
        self.fs = fs
        self.tps = fs.ticks_per_second()
        self.forest = forest
        self.now = int(_clock.time())
        #: A field read in other units than its name says, and the factor to bytes:
        #: ``status.vmrss`` read from ``statm`` in pages (see ps_run._process_rows).
        self.scales: dict[str, int] = {}
        self._reset()

    def _reset(self) -> None:
        self.boot_time = -1
        self.memory_kb = -1
        self.page_kb = -1
        self.uptime_ticks = -1
        self.ttys: Any = None

    def need(self, what: str) -> None:
        """Read the system value ``what`` (``boot``, ``memory``, ``page``, ``uptime``)."""
        fs = self.fs
        if what == "boot" and self.boot_time < 0:
            self.boot_time = fs.boot_time_secs()
        elif what == "memory" and self.memory_kb < 0:
            self.memory_kb = max(1, fs.meminfo().mem_total // 1024)
        elif what == "page" and self.page_kb < 0:
            self.page_kb = fs.page_size() // 1024
        elif what == "uptime" and self.uptime_ticks < 0:
            self.uptime_ticks = int(fs.uptime().uptime * self.tps)
        elif what == "tty" and self.ttys is None:
            from procfs.tty import TtyNames

            self.ttys = TtyNames(fs)

    def tty(self, tty_nr: int) -> str | None:
        """The terminal's name (``pts/0``), or None for none."""
        if not tty_nr:
            return None
        name: str | None = self.ttys.name(tty_nr)
        return name

    def user(self, uid: int) -> str | None:
        """The name of user ``uid``, or None if it has none."""
        return user_name_or_none(uid)

    def group(self, gid: int) -> str | None:
        """The name of group ``gid``, or None if it has none."""
        return group_name_or_none(gid)


class Spec:
    """A format specifier: its header, width, alignment, fields and value maker."""

    __slots__ = ("align", "fields", "header", "make", "name", "needs", "pidmax", "width")

    def __init__(
        self,
        name: str,
        header: str,
        width: int,
        align: str,
        fields: tuple[str, ...],
        make: Any,
        needs: tuple[str, ...] = (),
        pidmax: bool = False,
    ) -> None:
        self.name = name
        self.header = header
        self.width = width
        self.align = align
        self.fields = fields
        self.make = make
        self.needs = needs
        self.pidmax = pidmax


class Column:
    """A column of the output: a specifier with its header and width as asked."""

    __slots__ = ("header", "spec", "text", "value", "width")

    def __init__(self, spec: Spec, header: str, width: int) -> None:
        self.spec = spec
        self.header = header
        self.width = width
        self.text: Callable[[Any], str] = str
        self.value: Callable[[Any], object] = str

    def bind(self, index: dict[str, int], context: Context) -> None:
        """Make the value functions for rows whose fields are at ``index``."""
        for what in self.spec.needs:
            context.need(what)
        self.text, self.value = self.spec.make(index, context)


# -- value makers ------------------------------------------------------------------


def _number(field: str) -> Any:
    def make(index: dict[str, int], context: Context) -> Any:
        at = index[field]

        def text(row: Any) -> str:
            value = row[at]
            return "-" if value is None else str(value)

        return text, lambda row: row[at]

    return make


def _kb(field: str) -> Any:
    """A size in kB from a field in bytes (0 when absent: a kernel thread)."""

    def make(index: dict[str, int], context: Context) -> Any:
        at, scale = index[field], context.scales.get(field, 1)

        def value(row: Any) -> int:
            return (row[at] or 0) * scale // 1024

        return lambda row: str(value(row)), value

    return make


def _code_size(data: bool) -> Any:
    """procps's ``trs``/``drs``: the text (code) part of the address space, in KiB, or
    the rest of it (``vsize`` less the text); 0 without an address space. The code
    addresses read as 0 unless the reader may ptrace the process, as procps shows."""

    def make(index: dict[str, int], context: Context) -> Any:
        vsize, start, end = index["stat.vsize"], index["stat.startcode"], index["stat.endcode"]

        def value(row: Any) -> int:
            size = row[vsize] or 0
            if not size:
                return 0
            text = (row[end] or 0) - (row[start] or 0)
            return (size - text if data else text) >> 10

        return lambda row: str(value(row)), value

    return make


def _signals(field: str) -> Any:
    """A signal mask of ``status``, as procps shows it: 16 hexadecimal digits."""

    def make(index: dict[str, int], context: Context) -> Any:
        at = index[field]

        def text(row: Any) -> str:
            value = row[at]
            return "-" if value is None else f"{value:016x}"

        return text, lambda row: row[at]

    return make


def _sz(index: dict[str, int], context: Context) -> Any:
    context.need("page")
    at, scale = index["status.vmsize"], context.scales.get("status.vmsize", 1)
    page = context.page_kb * 1024

    def value(row: Any) -> int:
        return (row[at] or 0) * scale // page

    return lambda row: str(value(row)), value


def _ticks(row: Any, utime: int, stime: int) -> int:
    return int(row[utime] or 0) + int(row[stime] or 0)


def _time(style: str) -> Any:
    def make(index: dict[str, int], context: Context) -> Any:
        utime, stime, tps = index["stat.utime"], index["stat.stime"], context.tps
        show = format_time if style == "sysv" else _bsd_time
        cache: dict[int, str] = {}  # most processes used 0 s: format each value once

        def text(row: Any) -> str:
            seconds = (row[utime] + row[stime]) // tps
            found = cache.get(seconds)
            if found is None:
                found = cache[seconds] = show(seconds)
            return found

        return text, lambda row: _ticks(row, utime, stime) / tps

    return make


def _bsd_time(seconds: int) -> str:
    """CPU time as BSD's ``ps`` prints it: ``MMM:SS``."""
    return f"{seconds // 60:3d}:{seconds % 60:02d}"


def _elapsed_seconds(index: dict[str, int], context: Context) -> Callable[[Any], int]:
    start, uptime, tps = index["stat.starttime"], context.uptime_ticks, context.tps
    return lambda row: max(0, uptime - (row[start] or 0)) // tps


def _etime(seconds_only: bool) -> Any:
    def make(index: dict[str, int], context: Context) -> Any:
        seconds = _elapsed_seconds(index, context)
        if seconds_only:
            return lambda row: str(seconds(row)), seconds
        return lambda row: format_elapsed(seconds(row)), seconds

    return make


def _percent_cpu(style: str) -> Any:
    def make(index: dict[str, int], context: Context) -> Any:
        utime, stime, start = index["stat.utime"], index["stat.stime"], index["stat.starttime"]
        uptime = context.uptime_ticks

        def value(row: Any) -> float:
            return lifetime_cpu_percent(row[utime] + row[stime], row[start], uptime)

        if style == "c":

            def c(row: Any) -> int:
                return min(99, int(value(row)))

            return lambda row: f"{c(row):2d}", c

        def text(row: Any) -> str:
            tenths = round(value(row) * 10)
            if tenths > 999:
                return str(tenths // 10)
            return f"{tenths // 10}.{tenths % 10}"

        return text, value

    return make


def _pmem(index: dict[str, int], context: Context) -> Any:
    at, total = index["status.vmrss"], context.memory_kb
    scale = context.scales.get("status.vmrss", 1)

    def value(row: Any) -> float:
        return min(999, (row[at] or 0) * scale // 1024 * 1000 // total) / 10

    def text(row: Any) -> str:
        tenths = min(999, (row[at] or 0) * scale // 1024 * 1000 // total)
        return f"{tenths // 10:2d}.{tenths % 10}"

    return text, value


def _start_of(index: dict[str, int], context: Context) -> Callable[[Any], int]:
    at, boot, tps = index["stat.starttime"], context.boot_time, context.tps
    return lambda row: boot + (row[at] or 0) // tps


def _start(style: str) -> Any:
    def make(index: dict[str, int], context: Context) -> Any:
        start, now = _start_of(index, context), context.now
        cache: dict[int, str] = {}
        here = _clock.localtime(now)

        def render(when: int) -> str:
            if style == "lstart":
                return _clock.ctime(when)
            if style == "start":
                text = _clock.ctime(when)
                if when + 86400 > now:
                    return text[11:19].replace(" ", "0")
                return "  " + text[4:10].replace(" ", "0", 1 if text[8] == " " else 0)
            if style == "bsdstart":
                text = _clock.ctime(when)
                return text[4:10] if now - when > 86400 else text[10:16]
            then = _clock.localtime(when)
            if then.tm_year != here.tm_year:
                return _clock.strftime("%Y", then)
            if then.tm_yday != here.tm_yday:
                return _clock.strftime("%b%d", then)
            return _clock.strftime("%H:%M", then)

        def text(row: Any) -> str:
            when = start(row)
            found = cache.get(when)
            if found is None:
                found = cache[when] = render(when)
            return found

        return text, start

    return make


def _user(field: str, group: bool = False) -> Any:
    def make(index: dict[str, int], context: Context) -> Any:
        at = index[field]
        lookup = context.group if group else context.user

        def text(row: Any) -> str:
            ident = row[at]
            if ident is None:
                return "?"
            return lookup(ident) or str(ident)

        def value(row: Any) -> object:
            ident = row[at]
            return None if ident is None else lookup(ident) or str(ident)

        return text, value

    return make


def _tty(index: dict[str, int], context: Context) -> Any:
    at = index["stat.tty_nr"]
    tty = context.tty

    def value(row: Any) -> str | None:
        return tty(row[at] or 0)

    return lambda row: value(row) or "?", value


def _state(long: bool) -> Any:
    def make(index: dict[str, int], context: Context) -> Any:
        state = index["stat.state"]
        if not long:
            return (lambda row: row[state] or "?"), (lambda row: row[state])
        nice, lck, pid = index["stat.nice"], index["status.vmlck"], index["pid"]
        session, threads = index["stat.session"], index["stat.num_threads"]
        pgrp, tpgid = index["stat.pgrp"], index["stat.tpgid"]

        def text(row: Any) -> str:
            out = row[state] or "?"
            niceness = row[nice] or 0
            if niceness < 0:
                out += "<"
            elif niceness > 0:
                out += "N"
            if row[lck]:
                out += "L"
            if row[session] == row[pid]:
                out += "s"
            if (row[threads] or 0) > 1:
                out += "l"
            if row[pgrp] == row[tpgid]:
                out += "+"
            return out

        return text, text

    return make


def _nice(index: dict[str, int], context: Context) -> Any:
    nice, policy = index["stat.nice"], index["stat.policy"]

    def value(row: Any) -> int | None:
        if row[policy] not in (0, 3, None):  # a real-time class has no nice value
            return None
        value: int | None = row[nice]
        return value

    def text(row: Any) -> str:
        found = value(row)
        return "-" if found is None else str(found)

    return text, value


def _priority(offset: int, sign: int) -> Any:
    def make(index: dict[str, int], context: Context) -> Any:
        at = index["stat.priority"]

        def value(row: Any) -> int:
            return offset + sign * (row[at] or 0)

        return lambda row: str(value(row)), value

    return make


def _rtprio(index: dict[str, int], context: Context) -> Any:
    priority, policy = index["stat.rt_priority"], index["stat.policy"]

    def value(row: Any) -> int | None:
        if row[policy] in (0, None):  # SCHED_OTHER: no real-time priority
            return None
        found: int | None = row[priority]
        return found

    def text(row: Any) -> str:
        found = value(row)
        return "-" if found is None else str(found)

    return text, value


def _flag(index: dict[str, int], context: Context) -> Any:
    at = index["stat.flags"]

    def value(row: Any) -> int:
        return ((row[at] or 0) >> 6) & 7

    return lambda row: f"{value(row):o}", value


def _class(index: dict[str, int], context: Context) -> Any:
    at = index["stat.policy"]
    names = ("TS", "FF", "RR", "B", "ISO", "IDL", "DLN", "#7", "#8", "#9")

    def text(row: Any) -> str:
        policy = row[at]
        if policy is None:
            return "-"
        return names[policy] if 0 <= policy < len(names) else "?"

    return text, text


def _wchan(index: dict[str, int], context: Context) -> Any:
    at = index["wchan"]

    def text(row: Any) -> str:
        name: str | None = row[at]
        if name is None:
            return "?"
        if not name or name == "0":
            return "-"
        return name.lstrip(".").lstrip("_")

    return text, text


def _nop(index: dict[str, int], context: Context) -> Any:
    return (lambda row: "-"), (lambda row: None)


def _prefix(context: Context, index: dict[str, int]) -> Callable[[Any], str]:
    if not context.forest:
        return lambda row: ""
    at = index["forest"]
    return lambda row: row[at]


def _comm(index: dict[str, int], context: Context) -> Any:
    at = index["stat.comm"]
    prefix = _prefix(context, index)
    return (lambda row: prefix(row) + printable(row[at] or "")), (lambda row: row[at])


def command_line(args: list[str] | None, comm: str, state: str | None) -> str:
    """The command line as ps shows it: the arguments joined by spaces, or ``[comm]``
    for a process without any (a kernel thread; a zombie adds `` <defunct>``)."""
    if args:
        while len(args) > 1 and not args[-1]:  # (padding NULs: procps drops them)
            args = args[:-1]
        line = " ".join(args)
        if line:
            return printable(line.replace("\n", " "))
    line = f"[{printable(comm)}]"
    return line + " <defunct>" if state == "Z" else line


def _args(index: dict[str, int], context: Context) -> Any:
    args, comm, state = index["cmdline"], index["stat.comm"], index["stat.state"]
    prefix = _prefix(context, index)

    def value(row: Any) -> str:
        return command_line(row[args], row[comm] or "", row[state])

    return (lambda row: prefix(row) + value(row)), value


def _spec(
    names: str,
    header: str,
    width: int,
    align: str,
    fields: tuple[str, ...],
    make: Any,
    needs: tuple[str, ...] = (),
    pidmax: bool = False,
) -> dict[str, Spec]:
    return {
        name: Spec(name, header, width, align, fields, make, needs, pidmax)
        for name in names.split()
    }


_STATE = (
    "stat.state",
    "stat.nice",
    "status.vmlck",
    "stat.session",
    "stat.num_threads",
    "stat.pgrp",
    "stat.tpgid",
)
_TIMES = ("stat.utime", "stat.stime")
_CPU = ("stat.utime", "stat.stime", "stat.starttime")
_COMMAND = ("cmdline", "stat.comm", "stat.state")
_CODE = ("stat.vsize", "stat.startcode", "stat.endcode")

#: The format specifiers: name -> Spec (procps's names, headers, widths and alignment).
SPECS: dict[str, Spec] = {
    **_spec("pid tgid", "PID", 5, RIGHT, (), _number("pid"), pidmax=True),
    **_spec("ppid", "PPID", 5, RIGHT, ("stat.ppid",), _number("stat.ppid"), pidmax=True),
    **_spec("pgid pgrp", "PGID", 5, RIGHT, ("stat.pgrp",), _number("stat.pgrp"), pidmax=True),
    **_spec(
        "sid sess session", "SID", 5, RIGHT, ("stat.session",), _number("stat.session"), pidmax=True
    ),
    **_spec("tpgid", "TPGID", 5, RIGHT, ("stat.tpgid",), _number("stat.tpgid"), pidmax=True),
    **_spec("lwp spid tid", "LWP", 5, RIGHT, (), _number("tid"), pidmax=True),
    **_spec("user euser uname", "USER", 8, USER, ("owner.euid",), _user("owner.euid")),
    **_spec("ruser", "RUSER", 8, USER, ("status.ruid",), _user("status.ruid")),
    **_spec("uid euid", "UID", 5, RIGHT, ("owner.euid",), _number("owner.euid")),
    **_spec("ruid", "RUID", 5, RIGHT, ("status.ruid",), _number("status.ruid")),
    **_spec("group egroup", "GROUP", 8, USER, ("owner.egid",), _user("owner.egid", True)),
    **_spec("rgroup", "RGROUP", 8, USER, ("status.rgid",), _user("status.rgid", True)),
    **_spec("gid egid", "GID", 5, RIGHT, ("owner.egid",), _number("owner.egid")),
    **_spec("rgid", "RGID", 5, RIGHT, ("status.rgid",), _number("status.rgid")),
    **_spec("tty tt", "TT", 8, LEFT, ("stat.tty_nr",), _tty, ("tty",)),
    **_spec("tname", "TTY", 8, LEFT, ("stat.tty_nr",), _tty, ("tty",)),
    **_spec("stat", "STAT", 4, LEFT, _STATE, _state(True)),
    **_spec("s state", "S", 1, LEFT, ("stat.state",), _state(False)),
    **_spec("ni nice", "NI", 3, RIGHT, ("stat.nice", "stat.policy"), _nice),
    **_spec("pri", "PRI", 3, RIGHT, ("stat.priority",), _priority(39, -1)),
    **_spec("opri", "PRI", 3, RIGHT, ("stat.priority",), _priority(60, 1)),
    **_spec("priority", "PRI", 3, RIGHT, ("stat.priority",), _priority(0, 1)),
    **_spec("cls class policy", "CLS", 3, LEFT, ("stat.policy",), _class),
    **_spec("rtprio", "RTPRIO", 6, RIGHT, ("stat.rt_priority", "stat.policy"), _rtprio),
    **_spec("psr cpuid", "PSR", 3, RIGHT, ("stat.processor",), _number("stat.processor")),
    **_spec("pcpu %cpu", "%CPU", 4, RIGHT, _CPU, _percent_cpu("pcpu"), ("uptime",)),
    **_spec("c", "C", 2, RIGHT, _CPU, _percent_cpu("c"), ("uptime",)),
    # (sizes from status, as procps: stat's rss is the kernel's cheaper, inexact count)
    **_spec("pmem %mem", "%MEM", 4, RIGHT, ("status.vmrss",), _pmem, ("memory",)),
    **_spec("vsz vsize", "VSZ", 6, RIGHT, ("status.vmsize",), _kb("status.vmsize")),
    **_spec("rss rssize rsz", "RSS", 5, RIGHT, ("status.vmrss",), _kb("status.vmrss")),
    **_spec("sz", "SZ", 5, RIGHT, ("status.vmsize",), _sz),
    **_spec("nlwp thcount", "NLWP", 4, RIGHT, ("stat.num_threads",), _number("stat.num_threads")),
    **_spec("f flag flags", "F", 1, RIGHT, ("stat.flags",), _flag),
    **_spec("addr_1", "ADDR", 1, LEFT, (), _nop),
    **_spec("lstart", "STARTED", 24, RIGHT, ("stat.starttime",), _start("lstart"), ("boot",)),
    **_spec("start", "STARTED", 8, RIGHT, ("stat.starttime",), _start("start"), ("boot",)),
    **_spec("stime start_time", "STIME", 5, RIGHT, ("stat.starttime",), _start("stime"), ("boot",)),
    **_spec("bsdstart", "START", 6, RIGHT, ("stat.starttime",), _start("bsdstart"), ("boot",)),
    **_spec("etime", "ELAPSED", 11, RIGHT, ("stat.starttime",), _etime(False), ("uptime",)),
    **_spec("etimes", "ELAPSED", 7, RIGHT, ("stat.starttime",), _etime(True), ("uptime",)),
    **_spec("time cputime", "TIME", 8, RIGHT, _TIMES, _time("sysv")),
    **_spec("bsdtime", "TIME", 6, RIGHT, _TIMES, _time("bsd")),
    **_spec("maj_flt", "MAJFL", 6, RIGHT, ("stat.majflt",), _number("stat.majflt")),
    **_spec("majflt", "MAJFLT", 6, RIGHT, ("stat.majflt",), _number("stat.majflt")),
    **_spec("pagein", "PAGEIN", 6, RIGHT, ("stat.majflt",), _number("stat.majflt")),
    **_spec("min_flt", "MINFL", 6, RIGHT, ("stat.minflt",), _number("stat.minflt")),
    **_spec("minflt", "MINFLT", 6, RIGHT, ("stat.minflt",), _number("stat.minflt")),
    **_spec("trs", "TRS", 4, RIGHT, _CODE, _code_size(False)),
    **_spec("m_trs", "TRS", 5, RIGHT, _CODE, _code_size(False)),
    **_spec("drs m_drs", "DRS", 5, RIGHT, _CODE, _code_size(True)),
    **_spec("pending sig", "PENDING", 16, RIGHT, ("status.shdpnd",), _signals("status.shdpnd")),
    **_spec("sig_pend", "SIGNAL", 16, RIGHT, ("status.shdpnd",), _signals("status.shdpnd")),
    **_spec("tsig", "PENDING", 16, RIGHT, ("status.sigpnd",), _signals("status.sigpnd")),
    **_spec(
        "sigmask blocked sig_block",
        "BLOCKED",
        16,
        RIGHT,
        ("status.sigblk",),
        _signals("status.sigblk"),
    ),
    **_spec(
        "sigignore ignored sig_ignore",
        "IGNORED",
        16,
        RIGHT,
        ("status.sigign",),
        _signals("status.sigign"),
    ),
    **_spec("sigcatch caught", "CAUGHT", 16, RIGHT, ("status.sigcgt",), _signals("status.sigcgt")),
    **_spec("sig_catch", "CATCHED", 16, RIGHT, ("status.sigcgt",), _signals("status.sigcgt")),
    **_spec("wchan", "WCHAN", 6, CMD, ("wchan",), _wchan),
    **_spec("comm ucomm", "COMMAND", 15, CMD, ("stat.comm",), _comm),
    **_spec("ucmd", "CMD", 15, CMD, ("stat.comm",), _comm),
    **_spec("fname", "COMMAND", 8, LEFT, ("stat.comm",), _comm),
    **_spec("args command", "COMMAND", 27, CMD, _COMMAND, _args),
    **_spec("cmd", "CMD", 27, CMD, _COMMAND, _args),
}
# Aliases with their own header, width or alignment in procps's table.
for _name, _header, _width, _align in (
    ("start_time", "START", 5, RIGHT),
    ("tgid", "TGID", 5, RIGHT),
    ("pgrp", "PGRP", 5, RIGHT),
    ("sess", "SESS", 5, RIGHT),
    ("session", "SESS", 5, RIGHT),
    ("spid", "SPID", 5, RIGHT),
    ("tid", "TID", 5, RIGHT),
    ("euser", "EUSER", 8, USER),
    ("euid", "EUID", 5, RIGHT),
    ("egroup", "EGROUP", 8, USER),
    ("egid", "EGID", 5, RIGHT),
    ("cls", "CLS", 3, RIGHT),
    ("policy", "POL", 3, LEFT),
    ("cpuid", "CPUID", 5, RIGHT),
    ("rsz", "RSZ", 5, RIGHT),
    ("thcount", "THCNT", 5, RIGHT),
):
    _spec_of = SPECS[_name]
    SPECS[_name] = Spec(
        _name,
        _header,
        _width,
        _align,
        _spec_of.fields,
        _spec_of.make,
        _spec_of.needs,
        _spec_of.pidmax,
    )
# procps's -f shows the user name under "UID"
SPECS["uid_hack"] = Spec("uid_hack", "UID", 8, USER, ("owner.euid",), _user("owner.euid"))

#: Format names that stand for several columns (procps's macros).
MACROS = {
    "DefBSD": "pid,tname,stat,bsdtime,args",
    "DefSysV": "pid,tname,time,cmd",
    "OL_j": "ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args",
    "OL_l": "flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,bsdtime,args",
    "OL_s": "uid,pid,pending,sig_block,sig_ignore,caught,stat,tname,bsdtime,args",
    "OL_u": "user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args",
    "OL_v": "pid,tname,stat,bsdtime,maj_flt,m_trs,m_drs,rss,pmem,args",
}


def parse_format(text: str) -> list[tuple[str, str | None, int | None]]:
    """The columns of one ``-o`` argument: (specifier, header or None, width or None).

    As procps: items separated by commas or blanks; ``name=HEADER`` renames
    the column (``name=`` hides its header), ``name:WIDTH`` sets its width.
    Raises ValueError with procps's words.
    """
    items = text.replace("\t", " ").replace("\n", " ")
    pieces: list[str] = []
    current = ""
    for char in items:
        if char in ", ":
            if not current:
                raise ValueError("improper format list")
            pieces.append(current)
            current = ""
        else:
            current += char
    if current:
        pieces.append(current)
    if not pieces:
        raise ValueError("empty format list")
    out: list[tuple[str, str | None, int | None]] = []
    for piece in pieces:
        name, eq, header = piece.partition("=")
        name, colon, width_text = name.partition(":")
        width = None
        if colon:
            if not width_text.isdigit() or width_text.startswith("0"):
                raise ValueError("column widths must be unsigned decimal numbers")
            width = int(width_text)
        if name in MACROS:
            if colon:
                raise ValueError("can not set width for a macro (multi-column) format specifier")
            out.extend((sub, header if eq else None, None) for sub in MACROS[name].split(","))
            continue
        if name not in SPECS:
            raise ValueError(f'unknown user-defined format specifier "{name}"')
        out.append((name, header if eq else None, width))
    return out


#: What ``ps m`` shows of a column (procps's table): ``"P"`` on the process's line only
#: (``-`` on its threads'), ``"T"`` on the threads' only (``-`` on the process's); the
#: others on both.
SHOWN_ON = {
    **dict.fromkeys(
        [
            "%mem",
            "args",
            "cmd",
            "comm",
            "command",
            "drs",
            "fname",
            "m_drs",
            "m_trs",
            "nlwp",
            "pgid",
            "pgrp",
            "pid",
            "pmem",
            "ppid",
            "rss",
            "rssize",
            "rsz",
            "sess",
            "session",
            "sid",
            "sz",
            "tgid",
            "thcount",
            "tname",
            "tpgid",
            "trs",
            "tt",
            "tty",
            "ucmd",
            "ucomm",
            "vsize",
            "vsz",
        ],
        "P",
    ),
    **dict.fromkeys(
        [
            "blocked",
            "caught",
            "class",
            "cls",
            "cpuid",
            "ignored",
            "lwp",
            "ni",
            "nice",
            "opri",
            "policy",
            "pri",
            "priority",
            "psr",
            "rtprio",
            "s",
            "sig_block",
            "sig_catch",
            "sig_ignore",
            "sigcatch",
            "sigignore",
            "sigmask",
            "spid",
            "stat",
            "state",
            "tid",
            "wchan",
        ],
        "T",
    ),
}


def threads_after(column: Column, tid_at: int) -> None:
    """Make ``column`` show ``-`` where ``ps m`` does (see :data:`SHOWN_ON`): a process's
    line is a row whose ``tid_at`` is None, its threads' lines follow it."""
    shown = SHOWN_ON.get(column.spec.name)
    if shown is None:
        return
    text, value = column.text, column.value
    on_processes = shown == "P"

    def masked_text(row: Any) -> str:
        return text(row) if (row[tid_at] is None) is on_processes else "-"

    def masked_value(row: Any) -> object:
        return value(row) if (row[tid_at] is None) is on_processes else None

    column.text, column.value = masked_text, masked_value


def make_column(name: str, header: str | None, width: int | None, pid_width: int) -> Column:
    """The column of specifier ``name`` with an optional header and width override."""
    spec = SPECS[name]
    base = max(pid_width, len(spec.header)) if spec.pidmax else spec.width
    if header is None:
        column = Column(spec, spec.header, base)
    else:
        column = Column(spec, header, max(base, len(header)))
    if width is not None:
        column.width = width
    return column


def pid_width(fs: Any) -> int:
    """The width of pid columns: the digits of the largest pid (``pid_max``), at least 5."""
    try:
        return max(5, len(fs.read("sys/kernel/pid_max").strip()))
    except ProcError:
        return 5


def _cut(column: Column, text: str, room: int) -> str:
    """What of ``text`` fits in ``room`` cells, as procps cuts a column of its kind."""
    align = column.spec.align
    if align == CMD:
        return text[: max(room, 0)]
    if align == USER and len(text) > room >= 1:
        return text[: room - 1] + "+"
    return text


def render(columns: Sequence[Column], cells: Sequence[str], screen: int, cut: bool = True) -> str:
    """One line as procps's ``show_one_proc`` lays it out (without the newline).

    ``cells`` are the full texts; a user name, wchan or command longer than
    the room it has is cut here (unless not ``cut``: the header's texts).
    """
    correct = actual = dospace = 0
    out: list[str] = []
    last = len(columns) - 1
    for position, (column, text) in enumerate(zip(columns, cells, strict=True)):
        width = column.width
        if position < last:
            room = width
            tmpspace = 0
        else:
            tmpspace = correct - actual
            if tmpspace < 1:
                tmpspace = dospace
                room = screen - actual - tmpspace
            else:
                room = screen - max(correct, actual)
        if cut:
            text = _cut(column, text, min(max(room, 0), OUTBUF_SIZE - 1))
        align = column.spec.align
        if align == RIGHT:
            leftpad = max(width - len(text), 0)
        else:
            leftpad = 0
            if align == CMD and screen - actual - tmpspace < 1:
                text = text[:1]
        space = correct - actual + leftpad
        if space < 1:
            space = dospace
        out.append(" " * space + text)
        actual += space + len(text)
        correct += width + 1
        dospace = 1
    return "".join(out)


def render_header(columns: Sequence[Column], screen: int) -> str:
    """The header line (headers are never cut, except a command's at the screen's edge)."""
    return render(columns, [column.header for column in columns], screen, cut=False)


def lines_maker(columns: Sequence[Column], screen: int) -> Callable[[Sequence[Any]], list[str]]:
    """A function making the lines of rows: fast when every value fits its column.

    Each column's texts are made for all rows at once, then each line from
    one ``%``-template; when a value is wider than its column (the line is
    longer than the template's fixed part), that line is laid out again by
    :func:`render`.
    """
    texts = [column.text for column in columns]
    *head, tail = columns
    template = ""
    for column in head:
        template += "%" + ("" if column.spec.align == RIGHT else "-") + f"{column.width}s "
    template += f"%{tail.width}s" if tail.spec.align == RIGHT else "%s"
    fixed = sum(column.width + 1 for column in head)
    tail_width = tail.width if tail.spec.align == RIGHT else 0
    room = min(max(screen - fixed, 0), OUTBUF_SIZE - 1)
    cuts = [
        (position, column, column.width)
        for position, column in enumerate(head)
        if column.spec.align in (USER, CMD)
    ]
    if tail.spec.align in (USER, CMD):
        cuts.append((len(head), tail, room))

    def lines(rows: Sequence[Any]) -> list[str]:
        cells = [list(map(text, rows)) for text in texts]
        for position, column, width in cuts:
            cells[position] = [
                text if len(text) <= width else _cut(column, text, width)
                for text in cells[position]
            ]
        if room < 1 and tail.spec.align == CMD:
            cells[-1] = [text[:1] for text in cells[-1]]
        out = []
        for row in zip(*cells, strict=True):
            line = template % row
            if len(line) - max(len(row[-1]), tail_width) != fixed:
                line = render(columns, row, screen)
            out.append(line)
        return out

    return lines
