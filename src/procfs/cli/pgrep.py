"""``procfs pgrep`` and ``procfs pkill``: find processes by name and other attributes, like procps.

The selection is procps's (``pgrep(1)``): the pattern is an extended regular
expression searched in the process name (``comm``, at most 15 characters), or
in the whole command line with ``-f`` (``[comm]`` for a process without one,
as procps shows it); the other options narrow the selection, and the command
itself is never selected. Exit status: 0 if something was selected (for
``pkill``: signalled), 1 if nothing, 2 for a usage error, 3 for a fatal one.

``pkill`` signals each selected process through a handle bound to the process
the scan saw (pid and start time), so the signal never reaches a process that
got the pid after the one selected exited (see
:meth:`procfs.process.Process.send_signal`).
"""

from __future__ import annotations

import os
import sys

from procfs._fs import DEFAULT_ROOT
from procfs.cli import HELP, ROOT, Option, UsageError, fail, help_lines, parse_declared, printable
from procfs.errors import ProcError
from procfs.scan import ScanFiles
from procfs.users import group_id, user_id

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

#: The options that select processes (both commands have them).
SELECTION = (
    Option("-f", "--full", help="match against the full command line"),
    Option("-x", "--exact", help="the pattern must match the whole name (or command line)"),
    Option("-i", "--ignore-case", help="match case-insensitively"),
    Option("-v", "--inverse", help="select the processes that do not match"),
    Option("-u", "--euid", value="ID,...", help="only these effective users (names or numbers)"),
    Option("-U", "--uid", value="ID,...", help="only these real users"),
    Option("-G", "--group", value="GID,...", help="only these real groups"),
    Option("-P", "--parent", value="PID,...", help="only children of these processes"),
    Option("-g", "--pgroup", value="PGID,...", help="only these process groups (0: our own)"),
    Option("-s", "--session", value="SID,...", help="only these sessions (0: our own)"),
    Option("-t", "--terminal", value="TTY,...", help="only processes on these terminals (pts/0)"),
    Option("-n", "--newest", help="only the most recently started of those selected"),
    Option("-o", "--oldest", help="only the least recently started"),
    Option("--ns", value="PID", help="only processes in the namespaces of PID"),
    Option(
        "--nslist",
        value="NS,...",
        help="which namespaces --ns compares (ipc, mnt, net, pid, user, uts)",
    ),
    ROOT,
    HELP,
)

#: The options of ``procfs pgrep`` (this module's command).
OPTIONS = (
    Option("-l", "--list-name", help="show the process name beside the pid"),
    Option("-a", "--list-full", help="show the full command line beside the pid"),
    Option("-c", "--count", help="print how many processes were selected"),
    Option("-d", "--delimiter", value="STR", help="separate the pids with STR (default: newline)"),
    Option("--json", help="print the selected processes as a JSON list"),
    *SELECTION,
)

#: The options of ``procfs pkill``.
PKILL_OPTIONS = (
    Option(
        "--signal", value="SIGNAL", help="the signal to send, by name or number (default: TERM)"
    ),
    Option("-e", "--echo", help="say what was killed"),
    Option("-c", "--count", help="print how many processes were selected"),
    *SELECTION,
)

_PATTERN = (
    "  PATTERN  an extended regular expression matched against the process name\n"
    "           (or the command line with -f)\n\n"
)

PGREP_USAGE = "usage: procfs pgrep [OPTIONS] [PATTERN]\n\n" + _PATTERN + help_lines(OPTIONS)

PKILL_USAGE = (
    "usage: procfs pkill [-SIGNAL] [OPTIONS] [PATTERN]\n\n"
    + _PATTERN
    + "  -SIGNAL  the signal to send, as the first argument (-9, -KILL, -SIGKILL)\n"
    + help_lines(PKILL_OPTIONS)
)

#: The help of ``procfs pgrep`` (this module's command).
USAGE = PGREP_USAGE

__all__ = ["OPTIONS", "PKILL_OPTIONS", "SELECTION", "USAGE", "main", "pkill_main", "select"]

_NAMESPACES = ("ipc", "mnt", "net", "pid", "user", "uts")


class Selected:
    """One selected process: pid, name, command line (as pgrep -a shows it), start time."""

    __slots__ = ("command", "name", "pid", "start_time")

    def __init__(self, pid: int, name: str, command: str, start_time: int) -> None:
        self.pid = pid
        self.name = name
        self.command = command
        self.start_time = start_time


def _ids(text: str, kind: str, lookup: Callable[[str], int | None] | None = None) -> set[int]:
    """A comma-separated list of numbers (or names, with ``lookup``) as a set."""
    out: set[int] = set()
    for item in text.split(","):
        if not item:
            raise UsageError(f"empty item in the {kind} list")
        if item.isdigit():
            out.add(int(item))
        elif lookup is not None:
            found = lookup(item)
            if found is None:
                raise UsageError(f"invalid user name: {item}")
            out.add(found)
        else:
            raise UsageError(f"invalid {kind}: {item}")
    return out


def _namespaces(fs: ScanFiles, pid: int, kinds: Sequence[str]) -> tuple[int, ...] | None:
    """The inodes of ``kinds`` namespaces of ``pid``, or None if they cannot be read."""
    out = []
    for kind in kinds:
        try:
            target = fs.readlink(f"{pid}/ns/{kind}")
        except ProcError:
            return None
        out.append(int(target.partition("[")[2].rstrip("]") or 0))
    return tuple(out)


#: Characters a pattern may hold to mean only itself (found as a plain substring).
_LITERAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-/=,:@%~'\"")


def _matcher(pattern: str, ignore_case: bool, exact: bool) -> Callable[[str], object]:
    """What tells whether a name (or command line) matches ``pattern``.

    A pattern of letters, digits and a few other characters that mean only
    themselves in a regular expression is looked for as text, without
    importing and compiling a regular expression (a few ms of a run).
    """
    if not ignore_case and _LITERAL.issuperset(pattern):
        if exact:
            return lambda text: text == pattern or None
        return lambda text: pattern in text or None
    import re

    try:
        regex = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise UsageError(f"regex error: {exc}") from None
    return regex.fullmatch if exact else regex.search


def select(
    argv_options: Any,
    fs: ScanFiles,
    pattern: str | None,
    full_text: bool,
    details: bool = True,
) -> list[Selected]:
    """The processes the options select, in pid order (newest/oldest: at most one).

    ``full_text``: whether the command lines are needed (to match with ``-f`` or
    to show with ``-a``). ``details``: whether each selected process's name
    and start time are needed (else they are filled in only where the
    selection read them anyway). Raises :class:`UsageError` for a bad option value.
    """
    options = argv_options
    matcher: Callable[[str], object] | None = None
    if pattern is not None:
        matcher = _matcher(pattern, options.has("-i"), options.has("-x"))
    filters: list[tuple[int, set[int]]] = []  # (index in the row, allowed values)
    fields = ["pid"]

    def want(field: str) -> int:
        if field not in fields:
            fields.append(field)
        return fields.index(field)

    own = os.getpid()
    for option, field, lookup in (
        ("-u", "owner.euid", user_id),
        ("-U", "status.ruid", user_id),
        ("-G", "status.rgid", group_id),
    ):
        value = options.value(option)
        if value is not None:
            filters.append(
                (want(field), _ids(value, "user" if option != "-G" else "group", lookup))
            )
    for option, field, kind in (
        ("-P", "stat.ppid", "parent pid"),
        ("-g", "stat.pgrp", "process group"),
        ("-s", "stat.session", "session"),
    ):
        value = options.value(option)
        if value is not None:
            ids = _ids(value, kind)
            if 0 in ids and option in ("-g", "-s"):
                ids.discard(0)
                ids.add(os.getpgrp() if option == "-g" else os.getsid(0))
            filters.append((want(field), ids))
    terminals: set[str] | None = None
    tty_index = -1
    if options.value("-t") is not None:
        terminals = {name.removeprefix("/dev/") for name in options.value("-t").split(",")}
        tty_index = want("stat.tty_nr")
    cmdline_index = want("cmdline") if full_text else -1
    # the name: to match without -f, to show; else read only for a process without
    # a command line (shown as [name])
    name_index = want("stat.comm") if details or not options.has("-f") else -1
    start_index = want("stat.starttime") if details or options.has("-n", "-o") else -1
    namespace_kinds: tuple[str, ...] = ()
    reference: tuple[int, ...] | None = None
    ns_pid = options.value("--ns")
    if ns_pid is not None:
        if not ns_pid.isdigit():
            raise UsageError(f"invalid pid for --ns: {ns_pid}")
        names = options.value("--nslist")
        namespace_kinds = tuple(names.split(",")) if names else _NAMESPACES
        unknown = [kind for kind in namespace_kinds if kind not in _NAMESPACES]
        if unknown:
            raise UsageError(f"unknown namespace: {unknown[0]}")
        reference = _namespaces(fs, int(ns_pid), namespace_kinds)
        if reference is None:
            raise ProcError(f"cannot read the namespaces of process {ns_pid}")
    names_of_ttys = None
    negate = options.has("-v")
    full = options.has("-f")
    found: list[Selected] = []
    for row in fs.scan_fields(fields, default=None):
        pid = row[0]
        if pid == own:
            continue
        match = all(row[index] in allowed for index, allowed in filters)
        if match and terminals is not None:
            tty_nr = row[tty_index]
            if not tty_nr:
                match = False
            else:
                if names_of_ttys is None:
                    from procfs.tty import TtyNames

                    names_of_ttys = TtyNames(fs)
                match = names_of_ttys.name(tty_nr) in terminals
        if match and reference is not None:
            match = _namespaces(fs, pid, namespace_kinds) == reference
        name = row[name_index] if name_index >= 0 else ""
        command = name
        if full_text:
            args = row[cmdline_index]
            if args:
                command = " ".join(args)
            else:
                if name_index < 0:
                    name = _comm(fs, pid)
                    if name is None:
                        continue  # gone meanwhile
                command = f"[{name}]"
        if match and matcher is not None:
            match = matcher(command if full else name) is not None
        if match != negate:
            found.append(Selected(pid, name, command, row[start_index] if start_index >= 0 else 0))
    if options.has("-n") and found:
        found = [max(found, key=lambda p: (p.start_time, p.pid))]
    elif options.has("-o") and found:
        found = [min(found, key=lambda p: (p.start_time, p.pid))]
    return found


def _comm(fs: ScanFiles, pid: int) -> str | None:
    """The name of process ``pid`` (None if it is gone)."""
    from procfs.core.pid_values import parse_comm

    try:
        return fs.load(parse_comm, f"{pid}/comm")
    except ProcError:
        return None


def _pattern(options: Any, command: str) -> str | None:
    pattern: str | None = options.positional[0] if options.positional else None
    criteria = ("-u", "-U", "-G", "-P", "-g", "-s", "-t", "--ns")
    if pattern is None and not any(options.value(name) is not None for name in criteria):
        raise UsageError("no matching criteria specified")
    if pattern is not None and not options.has("-f") and len(pattern) > 15:
        sys.stderr.write(
            f"procfs {command}: pattern that searches for process name longer than 15 "
            f"characters will result in zero matches\n"
            f"Try `procfs {command} -f' option to match against the complete command line.\n"
        )
    return pattern


def main(argv: Sequence[str]) -> int:
    """Run ``procfs pgrep``; returns the exit status."""
    try:
        options = parse_declared(argv, OPTIONS, positional=1)
        if options.has("--help"):
            sys.stdout.write(PGREP_USAGE)
            return 0
        pattern = _pattern(options, "pgrep")
        if options.has("-n") and options.has("-o"):
            raise UsageError("-n and -o cannot be combined")
        fs = ScanFiles(options.value("--root") or DEFAULT_ROOT)
        full_text = options.has("-f", "-a", "--json")
        found = select(options, fs, pattern, full_text, options.has("-l", "--json"))
    except UsageError as exc:
        return fail("pgrep", str(exc), PGREP_USAGE)
    except ProcError as exc:
        sys.stderr.write(f"procfs pgrep: {exc}\n")
        return 3
    if options.has("--json"):
        import json

        rows = [{"pid": p.pid, "name": p.name, "cmdline": p.command} for p in found]
        json.dump(rows, sys.stdout, indent=1)
        sys.stdout.write("\n")
    elif options.has("-c"):
        sys.stdout.write(f"{len(found)}\n")
    elif found:
        if options.has("-a"):
            items = [f"{p.pid} {printable(p.command)}" for p in found]
        elif options.has("-l"):
            items = [f"{p.pid} {printable(p.name)}" for p in found]
        else:
            items = [str(p.pid) for p in found]
        delimiter = options.value("-d")
        sys.stdout.write((delimiter if delimiter is not None else "\n").join(items) + "\n")
    return 0 if found else 1


def _signal_number(text: str) -> int:
    """A signal given by number (``9``) or name (``KILL``, ``SIGKILL``, ``kill``)."""
    import signal

    if text.isdigit():
        number = int(text)
        if not 0 <= number < signal.NSIG:
            raise UsageError(f"unknown signal: {text}")
        return number
    name = text.upper()
    name = name if name.startswith("SIG") else "SIG" + name
    found = getattr(signal.Signals, name, None) if name.isidentifier() else None
    if not isinstance(found, signal.Signals):
        raise UsageError(f"unknown signal: {text}")
    return int(found)


def pkill_main(argv: Sequence[str]) -> int:
    """Run ``procfs pkill``; returns the exit status."""
    import signal

    args = list(argv)
    number = int(signal.SIGTERM)
    try:
        # -SIGNAL: the first argument that is a dash and a signal, as procps takes it
        for index, arg in enumerate(args):
            if len(arg) > 1 and arg[0] == "-" and arg[1] != "-":
                try:
                    number = _signal_number(arg[1:])
                except UsageError:
                    continue
                del args[index]
                break
        options = parse_declared(args, PKILL_OPTIONS, positional=1)
        if options.has("--help"):
            sys.stdout.write(PKILL_USAGE)
            return 0
        named = options.value("--signal")
        if named is not None:
            number = _signal_number(named)
        pattern = _pattern(options, "pkill")
        fs = ScanFiles(options.value("--root") or DEFAULT_ROOT)
        found = select(options, fs, pattern, options.has("-f"))
    except UsageError as exc:
        return fail("pkill", str(exc), PKILL_USAGE)
    except ProcError as exc:
        sys.stderr.write(f"procfs pkill: {exc}\n")
        return 3
    from procfs.errors import NotFoundError
    from procfs.process import Process
    from procfs.root import ProcFS

    root = ProcFS(fs.root)
    killed = 0
    for selected in found:
        handle = Process.bound(selected.pid, selected.start_time, root)
        try:
            handle.send_signal(number)
        except NotFoundError:
            continue  # gone meanwhile: as procps, not an error
        except ProcError as exc:
            sys.stderr.write(f"procfs pkill: killing pid {selected.pid} failed: {exc}\n")
            continue
        killed += 1
        if options.has("-e"):
            sys.stdout.write(f"{printable(selected.name)} killed (pid {selected.pid})\n")
    if options.has("-c"):
        sys.stdout.write(f"{len(found)}\n")
    return 0 if killed else 1
