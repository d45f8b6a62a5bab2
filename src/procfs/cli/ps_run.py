"""``procfs ps`` with procps's options: selection, columns, sorting, forest, threads, JSON.

:func:`run` reads the command line (:mod:`procfs.cli.ps_options`), scans
only the files its columns and selection need (``stat`` always; ``status``
for users, groups and ``STAT``; ``cmdline`` for commands; ``wchan``), picks
the processes procps would pick, orders them and prints them with procps's
layout (:mod:`procfs.cli.ps_format`).
"""

from __future__ import annotations

import os
import sys

from procfs.cli.ps_format import (
    CMD,
    OUTBUF_SIZE,
    Column,
    Context,
    lines_maker,
    make_column,
    pid_width,
    render_header,
    threads_after,
)
from procfs.cli.ps_options import PsOptions, PsUsageError, columns_asked, parse_ps
from procfs.errors import ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from procfs.cli.ps import PsFiles

__all__ = ["run", "select_rows"]

#: The field a selection list compares: list kind -> scan field.
_LIST_FIELDS = {
    "pid": "pid",
    "ppid": "stat.ppid",
    "session": "stat.session",
    "tty": "stat.tty_nr",
    "comm": "stat.comm",
    "euid": "owner.euid",
    "ruid": "status.ruid",
    "egid": "owner.egid",
    "rgid": "status.rgid",
}
#: The fields procps's simple selections (-a, -d, a, x and the default) look at.
_TABLE_FIELDS = ("owner.euid", "stat.session", "stat.tty_nr")


def screen_width(options: PsOptions) -> int:
    """The width procps lays its lines out in: the terminal's (unlimited into a pipe or
    file), then ``COLUMNS``, ``--cols N`` and ``-w`` (at least 132) or ``-ww`` (unlimited)."""
    width = OUTBUF_SIZE
    if sys.stdout is not None and sys.stdout.isatty():
        try:
            width = os.get_terminal_size(sys.stdout.fileno()).columns or 80
        except OSError:
            width = 80
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and 0 < int(columns) < OUTBUF_SIZE:
        width = int(columns)
    if options.cols is not None:
        width = options.cols
    if options.wide and width < 132:
        width = 132
    if options.wide > 1:
        width = OUTBUF_SIZE
    return width


def active_width(columns: Sequence[Column], screen: int) -> int:
    """procps's ``active_cols``: the screen's width, or a multiple of it the columns fill."""
    total = 0
    for position, column in enumerate(columns):
        if position:
            total += 1
        if column.spec.align == CMD and position == len(columns) - 1:
            total += 3
        else:
            total += column.width
    active = screen
    times = 1
    while active < total and screen * times < OUTBUF_SIZE // 2:
        times += 1
        active = screen * times
    return active


def _fields(
    options: PsOptions, columns: Sequence[Column], sort_columns: Sequence[Column]
) -> list[str]:
    wanted = ["pid"]
    for column in (*columns, *sort_columns):
        wanted.extend(column.spec.fields)
    if _uses_table(options):
        wanted.extend(_TABLE_FIELDS)
    wanted.extend(_LIST_FIELDS[kind] for kind, _ in options.lists)
    if options.running:
        wanted.append("stat.state")
    if options.forest:
        wanted += ["stat.ppid", "stat.starttime"]
    return list(dict.fromkeys(field for field in wanted if field != "tid"))


def _uses_table(options: PsOptions) -> bool:
    return not options.all and (bool(options.simple) or not options.lists)


def _table_bits(options: PsOptions) -> int:
    """procps's ``select_bits``: which mixes of (our euid, session leader, no terminal,
    our terminal) the simple selection options take."""
    simple = options.simple
    if not simple and not options.bsd:
        return 0xAA00  # ours on our terminal: the default
    if simple & {"U_a", "U_d"}:
        if simple >= {"U_a", "U_d"}:
            return 0x3F3F
        return 0x0303 if "U_a" in simple else 0x3333
    if "B_a" in simple:
        return 0x0F0F
    if "B_x" in simple:
        return 0xAAAA
    return 0x0A0A


def select_rows(
    fs: PsFiles, options: PsOptions, rows: list[Any], index: dict[str, int]
) -> list[Any]:
    """The rows ``options`` select, as procps's ``want_this_proc``."""
    checks: list[Callable[[Any], bool]] = []
    if not options.all:
        if _uses_table(options):
            checks.append(_table_check(fs, options, index))
        for kind, values in options.lists:
            checks.append(_list_check(kind, values, index[_LIST_FIELDS[kind]]))
    state = index.get("stat.state", -1)
    running = options.running
    negate = options.negate
    if not checks and not running and not negate:
        return rows
    out = []
    for row in rows:
        accepted = not checks or any(check(row) for check in checks)
        if running and row[state] not in ("R", "D"):
            accepted = False
        if accepted != negate:
            out.append(row)
    return out


def _table_check(fs: PsFiles, options: PsOptions, index: dict[str, int]) -> Callable[[Any], bool]:
    from procfs import core

    bits = _table_bits(options)
    own_euid = os.geteuid()
    try:
        own_tty = core.stat.parse_stat(fs.read(f"{fs.self_pid()}/stat", True)).tty_nr
    except ProcError:
        own_tty = 0
    euid, session, tty, pid = (
        index["owner.euid"],
        index["stat.session"],
        index["stat.tty_nr"],
        index["pid"],
    )

    def check(row: Any) -> bool:
        which = (
            (row[euid] == own_euid)
            | (row[session] == row[pid]) << 1
            | (not row[tty]) << 2
            | (row[tty] == own_tty) << 3
        )
        return bool(bits >> which & 1)

    return check


def _list_check(kind: str, values: set[object], at: int) -> Callable[[Any], bool]:
    if kind != "comm":
        return lambda row: row[at] in values
    names = [str(value) for value in values]

    def check(row: Any) -> bool:
        comm = row[at] or ""
        for name in names:
            if len(comm) == 15 and len(name) >= 15 and name[:15] == comm:
                return True
            if name[:63] == comm:
                return True
        return False

    return check


#: The sizes ``statm`` holds of ``status``'s (in pages where ``status`` has bytes).
#: When nothing else of ``status`` is needed they come from ``statm``, which the
#: kernel makes far more cheaply (the scan of ``ps -eo pid,user,pcpu,pmem,rss,args``,
#: 2093 processes: 70 -> 53 ms of CPU with ``status`` replaced).
_IN_STATM = {"status.vmsize": "statm.size", "status.vmrss": "statm.resident"}


def _only_pids(options: PsOptions) -> list[int] | None:
    """The processes to read when process IDs alone select (``-p``, ``-q``): no other
    one can be shown, so no other one is read (procps reads them all). None otherwise."""
    if options.all or options.negate or options.simple or not options.lists:
        return None
    if any(kind != "pid" for kind, _ in options.lists):
        return None
    return sorted({int(pid) for _, values in options.lists for pid in values})  # type: ignore[call-overload]


def _process_rows(
    fs: PsFiles, fields: list[str], scales: dict[str, int], only: list[int] | None = None
) -> tuple[list[Any], list[str]]:
    """One tuple per process of ``fields`` (None where a file could not be read), and
    the fields in the order the tuples hold them (``stat.state`` first: a process
    whose ``stat`` cannot be read is left out, as procps leaves it). A field read
    in pages instead of bytes (:data:`_IN_STATM`) gets its factor in ``scales``.

    (One pass through a descriptor of each process's directory: the kernel
    looks each process up once, cheaper than by path for each file.)
    """
    from_statm = all(field in _IN_STATM for field in fields if field[:7] == "status.")
    # grouped by file, stat first: the scan then makes each tuple in this order
    files: dict[str, list[str]] = {"stat": ["stat.state"]}
    for field in fields:
        if field != "pid":
            read = _IN_STATM[field] if from_statm and field in _IN_STATM else field
            files.setdefault(read.partition(".")[0], []).append(field)
            if read != field:
                scales[field] = fs.page_size()
    layout = ["pid"]
    for names in files.values():
        layout.extend(dict.fromkeys(names))
    asked = [_IN_STATM[field] if field in scales else field for field in layout]
    if only is not None:
        return _rows(fs, asked, only), layout
    return _scanned_rows(fs, asked), layout


#: From how many processes on ``ps`` reads the later half of them in a child process on
#: a second CPU (:mod:`procfs.cli.aside`); below, the fork and the transfer cost about
#: what they save.
SPLIT_FROM = 400


def _scanned_rows(fs: PsFiles, asked: list[str]) -> list[Any]:
    """The rows of ``asked`` of every process whose ``stat`` could be read, in pid order:
    the later half read in a child process where one may run on another CPU (a fifth
    less time for ``ps -ef`` over 2000 processes, for a few percent more CPU time)."""
    names = fs.pid_names()
    collect = None
    if len(names) >= SPLIT_FROM:
        from procfs.cli import aside

        if aside.may_fork():
            later = [int(name) for name in names[len(names) // 2 :]]
            collect = aside.start(lambda: _rows(fs, asked, later))
            if collect is not None:
                names = names[: len(names) // 2]
    try:
        rows = _rows(fs, asked, [int(name) for name in names])
        if collect is not None:
            found, collect = collect(False), None
            if found is not None and isinstance(found[0], list):
                rows.extend(found[0])
            else:  # the child failed: read them here
                rows.extend(_rows(fs, asked, later))
    finally:
        if collect is not None:
            collect(True)
    return rows


def _rows(fs: PsFiles, asked: list[str], pids: list[int]) -> list[Any]:
    return [row for row in fs.scan_fields(asked, default=None, pids=pids) if row[1] is not None]


#: The files a thread's row takes from its ``status``.
_STATUS_FILES = frozenset(("status", "owner"))


def _thread_rows(fs: PsFiles, fields: list[str]) -> list[Any]:
    """One row of ``fields`` (and the thread ID last) per thread of every process."""
    from procfs.core.cmdline import parse_cmdline
    from procfs.core.owner import parse_owner
    from procfs.core.stat import parse_stat
    from procfs.core.status import parse_status

    files = {field.partition(".")[0] for field in fields if field != "pid"}
    out: list[Any] = []
    for name in fs.pid_names():
        try:
            tids = sorted(fs.listdir(f"{name}/task"), key=int)
            args = parse_cmdline(fs.read(f"{name}/cmdline")) if "cmdline" in files else None
        except ProcError:
            continue
        for tid in tids:
            # (the leader's row is the process's, as procps reads it)
            base = f"{name}/" if tid == name else f"{name}/task/{tid}/"
            try:
                stat = parse_stat(fs.read(base + "stat", True))
                # (a thread's owner from its status: one stat of its directory would
                # need a descriptor of it; ps -L is not the common path)
                data = fs.read(base + "status", True) if files & _STATUS_FILES else b""
                status = parse_status(data, fs.path(base + "status")) if "status" in files else None
                owner = parse_owner(data) if "owner" in files else None
            except ProcError:
                continue
            wchan: str | None = None
            if "wchan" in files:
                try:
                    wchan = fs.read(base + "wchan").decode(errors="replace")
                except ProcError:
                    wchan = None
            row: list[object] = []
            for field in fields:
                file, _, attribute = field.partition(".")
                if field == "pid":
                    row.append(int(name))
                elif file == "stat":
                    row.append(getattr(stat, attribute))
                elif file == "status":
                    row.append(getattr(status, attribute))
                elif file == "owner":
                    row.append(getattr(owner, attribute))
                elif file == "cmdline":
                    row.append(args)
                elif file == "wchan":
                    row.append(wchan)
            row.append(int(tid))
            out.append(row)
    return out


def _processes_then_threads(rows: list[Any], pid_at: int, tid_at: int) -> list[Any]:
    """``ps m``'s rows: each process's line (its leader thread's values, which are the
    process's, with no thread ID), then a line for each of its threads."""
    out: list[Any] = []
    start = 0
    while start < len(rows):  # (the rows of a process come together)
        pid = rows[start][pid_at]
        end = start
        while end < len(rows) and rows[end][pid_at] == pid:
            end += 1
        group = rows[start:end]
        leader = next((row for row in group if row[tid_at] == pid), group[0])
        process = list(leader)
        process[tid_at] = None
        out.append(process)
        out.extend(group)
        start = end
    return out


def _sortable(value: object) -> tuple[int, Any]:
    return (0, 0) if value is None else (1, value)


def _order(rows: list[Any], sort_columns: Sequence[tuple[Column, bool]]) -> None:
    """Sort ``rows`` in place by the keys, the first one foremost (stable: ties keep
    the kernel's order, as procps's sorts do)."""
    for column, descending in reversed(sort_columns):
        value = column.value
        rows.sort(key=lambda row: _sortable(value(row)), reverse=descending)


def _forest(rows: list[Any], index: dict[str, int], kind: str) -> list[Any]:
    """The rows in procps's tree order, each with its tree prefix appended."""
    pid_at, ppid_at = index["pid"], index["stat.ppid"]
    pids = {row[pid_at] for row in rows}
    first: dict[int, int] = {}
    for position, row in enumerate(rows):
        first.setdefault(row[ppid_at], position)
    art = (
        {" ": "    ", "L": " \\_ ", "+": " \\_ ", "|": " |  "}
        if kind == "b"
        else dict.fromkeys(" L+|", "  ")
    )
    marks: list[str] = [""] * 512
    out: list[Any] = []
    count = len(rows)

    def show(self: int, level: int, sibling: bool) -> None:
        if level:
            marks[level - 1] = "+" if sibling else "L"
        row = rows[self]
        out.append([*row, "".join(art[mark] for mark in marks[:level])])
        child = first.get(row[pid_at])
        if child is None:
            return
        if level:
            marks[level - 1] = "|" if sibling else " "
        me = row[pid_at]
        while child < count:
            more = child + 1 < count and rows[child + 1][ppid_at] == me
            deeper = level if me == 1 and kind != "u" else min(level + 1, len(marks) - 1)
            show(child, deeper, more)
            child += 1
            if not more:
                break

    for position in range(count - 1, -1, -1):
        if rows[position][ppid_at] not in pids:
            show(position, 0, False)
    return out


def run(argv: Sequence[str], usage: str) -> int:
    """``procfs ps`` with any procps options; returns the exit status."""
    from procfs._fs import DEFAULT_ROOT
    from procfs.cli import fail
    from procfs.cli.ps import PsFiles

    try:
        options = parse_ps(argv)
    except PsUsageError as exc:
        return fail("ps", str(exc), usage)
    if options.help:
        sys.stdout.write(usage)
        return 0
    fs = PsFiles(options.root or DEFAULT_ROOT)
    try:
        return _show(fs, options)
    except ProcError as exc:
        sys.stderr.write(f"procfs ps: {exc}\n")
        return 1


def _show(fs: PsFiles, options: PsOptions) -> int:
    widest = pid_width(fs)
    columns = [
        make_column(name, header, width, widest) for name, header, width in columns_asked(options)
    ]
    sort_columns = [(make_column(key, None, None, widest), down) for key, down in options.sort]
    if options.forest and not options.sort:
        sort_columns = [(make_column("ppid", None, None, widest), False)]
    fields = _fields(options, columns, [column for column, _ in sort_columns])
    scales: dict[str, int] = {}
    if options.threads:
        rows = _thread_rows(fs, fields)
        index = {field: position for position, field in enumerate(fields)}
        index["tid"] = len(fields)
        if options.threads == "m":
            rows = _processes_then_threads(rows, index["pid"], len(fields))
    else:
        rows, fields = _process_rows(fs, fields, scales, _only_pids(options))
        index = {field: position for position, field in enumerate(fields)}
        index["tid"] = index["pid"]
    context = Context(fs, forest=bool(options.forest))
    context.scales = scales
    if options.forest:
        index["forest"] = len(fields) + (1 if options.threads else 0)
    for column in columns:
        column.bind(index, context)
        if options.threads == "m":
            threads_after(column, index["tid"])
    for column, _ in sort_columns:
        column.bind(index, context)
    rows = select_rows(fs, options, rows, index)
    if options.quick is not None:
        wanted = {pid: position for position, pid in enumerate(options.quick)}
        rows.sort(key=lambda row: wanted.get(row[0], 0))
    if options.forest:
        start = index["stat.starttime"]
        rows.sort(key=lambda row: row[start] or 0)
        _order(rows, sort_columns)
        rows = _forest(rows, index, options.forest)
    elif sort_columns and options.threads == "m":  # (procps then shows no thread's line)
        tid_at = index["tid"]
        rows = [row for row in rows if row[tid_at] is None]
        _order(rows, sort_columns)
    elif sort_columns:
        _order(rows, sort_columns)
    if options.json:
        _json(columns, rows)
    else:
        _table(columns, rows, options)
    return 0 if rows else 1


def _json(columns: Sequence[Column], rows: list[Any]) -> None:
    import json

    keys = ["user" if column.spec.name == "uid_hack" else column.spec.name for column in columns]
    values = [column.value for column in columns]
    data = [{key: value(row) for key, value in zip(keys, values, strict=True)} for row in rows]
    json.dump(data, sys.stdout, indent=1)
    sys.stdout.write("\n")


def _table(columns: Sequence[Column], rows: list[Any], options: PsOptions) -> None:
    screen = active_width(columns, screen_width(options))
    lines: list[str] = []
    if options.headers and any(column.header for column in columns):
        lines.append(render_header(columns, screen))
    lines.extend(lines_maker(columns, screen)(rows))
    if lines:
        lines.append("")
    sys.stdout.write("\n".join(lines))
