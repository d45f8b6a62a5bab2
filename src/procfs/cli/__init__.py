"""The ``procfs`` command: ``procfs COMMAND [OPTIONS]``.

Each command lives in its own module (``procfs.cli.ps``, ...) with a
``main(argv) -> int``; only the chosen one is imported. The small option
parser the commands share is here too (``argparse`` costs more to import
than a ``ps`` run).
"""

from __future__ import annotations

import errno
import gc
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn


class UsageError(Exception):
    """The command line is wrong; the message says how."""


class Options:
    """The parsed command line: ``flags`` present, ``values`` of options, ``positional`` rest."""

    __slots__ = ("flags", "order", "positional", "values")

    def __init__(self) -> None:
        self.flags: set[str] = set()
        self.values: dict[str, list[str]] = {}
        self.positional: list[str] = []
        #: The options with a value, ``(name, value)`` in the order given.
        self.order: list[tuple[str, str]] = []

    def has(self, *names: str) -> bool:
        """Whether any of the flags ``names`` was given."""
        return any(name in self.flags for name in names)

    def value(self, name: str) -> str | None:
        """The last value given for option ``name``."""
        found = self.values.get(name)
        return found[-1] if found else None


def _value_after(argv: Sequence[str], index: int, name: str) -> str:
    """The value of option ``name`` given as the next argument, ``argv[index]``."""
    if index >= len(argv):
        raise UsageError(f"option {name} needs a value")
    return argv[index]


class Option:
    """One option a command declares: its spellings, its value, what it does.

    A command module lists its options in ``OPTIONS``; :func:`parse_declared`
    reads the command line with them, :func:`help_lines` writes their part of
    the usage text and ``procfs completion`` offers them, so the three cannot
    disagree. ``value`` names the option's value (``N``, ``DIR``) or is None
    for a flag; ``choices`` are the values it accepts, when they are few.
    """

    __slots__ = ("choices", "help", "names", "value")

    def __init__(
        self, *names: str, value: str | None = None, help: str = "", choices: Sequence[str] = ()
    ) -> None:
        self.names = names
        self.value = value
        self.help = help
        self.choices = tuple(choices)

    def __repr__(self) -> str:
        return f"Option{self.names!r}"


#: The options every command has.
HELP = Option("-h", "--help", help="print this help and exit")
ROOT = Option("--root", value="DIR", help="read another procfs mount or a captured tree")
JSON = Option("--json", help="print JSON instead of text")


def help_lines(options: Sequence[Option]) -> str:
    """The options part of a usage text: ``  -b, --bytes   what it does`` lines (a
    help with newlines goes on over several lines, aligned)."""
    rows = []
    for option in options:
        spelled = ", ".join(option.names)
        if option.value:
            spelled += " " + option.value
        rows.append((spelled, option.help))
    width = max(min(max(len(spelled) for spelled, _ in rows) + 2, 24), 14) if rows else 0
    out = []
    for spelled, text in rows:
        text = text.replace("\n", "\n  " + " " * width)  # (continued lines line up)
        if len(spelled) + 2 > width:
            out.append(f"  {spelled}\n  {'':<{width}}{text}\n")
        else:
            out.append(f"  {spelled:<{width}}{text}\n")
    return "".join(out)


def parse_declared(
    argv: Sequence[str], options: Sequence[Option], positional: int | None = 0
) -> Options:
    """Parse ``argv`` against a command's declared ``options``.

    Every spelling of an option given is recorded (``has("-b")`` and
    ``has("--bytes")`` both see ``--bytes``). Raises :class:`UsageError`.
    """
    spellings: dict[str, Option] = {name: option for option in options for name in option.names}
    parsed = parse(
        argv,
        flags=[name for name, option in spellings.items() if option.value is None],
        options=[name for name, option in spellings.items() if option.value is not None],
        positional=positional,
    )
    for name in list(parsed.flags):
        parsed.flags.update(spellings[name].names)
    merged: dict[str, list[str]] = {}
    for argument in parsed.order:
        option = spellings[argument[0]]
        if option.choices and argument[1] not in option.choices:
            shown = ", ".join(option.choices)
            raise UsageError(f"option {argument[0]} takes one of {shown}, not {argument[1]!r}")
        for name in option.names:
            merged.setdefault(name, []).append(argument[1])
    parsed.values = merged
    return parsed


def parse(
    argv: Sequence[str],
    flags: Sequence[str] = (),
    options: Sequence[str] = (),
    positional: int | None = 0,
) -> Options:
    """Parse ``argv`` against known ``flags`` (no value) and ``options`` (one value).

    Short flags combine (``-tan``); ``--opt=value``, ``--opt value`` and
    ``-o value`` are accepted. ``positional`` is how many plain arguments are
    allowed (``None``: any number). Raises :class:`UsageError`.
    """
    parsed = Options()
    known_flags = set(flags)
    known_options = set(options)
    index = 0
    while index < len(argv):
        arg = argv[index]
        index += 1
        if arg == "--":
            parsed.positional.extend(argv[index:])
            break
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if name in known_flags and not eq:
                parsed.flags.add(name)
            elif name in known_options:
                if not eq:
                    value = _value_after(argv, index, name)
                    index += 1
                parsed.values.setdefault(name, []).append(value)
                parsed.order.append((name, value))
            else:
                raise UsageError(f"unknown option {arg}")
        elif arg.startswith("-") and len(arg) > 1:
            letters = arg[1:]
            for position, letter in enumerate(letters):
                name = "-" + letter
                if name in known_flags:
                    parsed.flags.add(name)
                elif name in known_options:
                    value = letters[position + 1 :]
                    if not value:
                        value = _value_after(argv, index, name)
                        index += 1
                    parsed.values.setdefault(name, []).append(value)
                    parsed.order.append((name, value))
                    break
                else:
                    raise UsageError(f"unknown option {name}")
        else:
            parsed.positional.append(arg)
    if positional is not None and len(parsed.positional) > positional:
        raise UsageError(f"unexpected argument {parsed.positional[positional]!r}")
    return parsed


def fail(command: str, message: str, usage: str) -> int:
    """Print a usage error for ``command`` and return the exit status 2."""
    sys.stderr.write(f"procfs {command}: {message}\n{usage}")
    return 2


def start(
    command: str,
    argv: Sequence[str],
    options: Sequence[Option],
    usage: str,
    positional: int | None = 0,
) -> Options | int:
    """The first step of a command: its parsed options, or the exit status to return.

    ``-h``/``--help`` (when declared) prints ``usage`` to the standard output:
    status 0; a usage error prints the message and ``usage`` to the standard
    error: status 2.
    """
    try:
        parsed = parse_declared(argv, options, positional)
    except UsageError as exc:
        return fail(command, str(exc), usage)
    if "--help" in parsed.flags or ("-h" in parsed.flags and HELP in options):
        sys.stdout.write(usage)
        return 0
    return parsed


def printable(text: str) -> str:
    """``text`` with control characters and undecodable bytes shown as ``?`` (as procps ps does)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() and not 0xDC80 <= ord(c) <= 0xDCFF else "?" for c in text)


#: command name -> (module, one-line description)
COMMANDS = {
    "ps": ("procfs.cli.ps", "list processes, like procps ps"),
    "netstat": ("procfs.cli.netstat", "list TCP sockets with their owning processes"),
    "snapshot": ("procfs.cli.snapshot", "capture /proc files into an archive for a bug report"),
    "show": ("procfs.cli.show", "parse any supported /proc file and print it (or --json)"),
    "free": ("procfs.cli.free", "memory and swap in use, like procps free"),
    "uptime": ("procfs.cli.uptime", "time since boot, users and load, like procps uptime"),
    "vmstat": ("procfs.cli.vmstat", "memory, swap, I/O and CPU activity, like procps vmstat"),
    "pstree": ("procfs.cli.pstree", "the process tree, like psmisc pstree"),
    "pgrep": ("procfs.cli.pgrep", "find processes by name and other attributes, like procps pgrep"),
    "lsof": ("procfs.cli.lsof", "list open files and the processes that hold them, like lsof"),
    "pkill": ("procfs.cli.pkill", "signal processes found as pgrep finds them, race-free"),
    "top": ("procfs.cli.top", "a live view of the busiest processes, like procps top"),
    "exporter": ("procfs.cli.exporter", "serve node_exporter's metrics over HTTP, for Prometheus"),
    "completion": ("procfs.cli.completion", "print a bash or zsh completion script"),
}

USAGE = (
    "usage: procfs COMMAND [OPTIONS]\n       procfs --version\n\ncommands:\n"
    + "".join(f"  {name:<11} {description}\n" for name, (_, description) in COMMANDS.items())
    + "\n'procfs COMMAND --help' describes a command's options.\n"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``procfs`` command line; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout is None:  # started with its standard output closed (``procfs ps >&-``)
        # a command that writes fails when it writes (as cat does), one that does
        # not need it runs (``procfs exporter >&-``, ``procfs snapshot FILE >&-``)
        sys.stdout = ClosedOutput()
    # SIGTERM keeps its default action: the process ends quietly, killed by the
    # signal (status 143 in a shell), and a parent sees how it ended; ``procfs
    # snapshot`` removes its partial archive first (see procfs.snapshot).
    try:
        return _dispatch(args)
    except BrokenPipeError:
        # the reader went away (``procfs ps | head``): not an error
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        # Reading /proc never fails so; writing the output does (a full disk).
        if exc.errno not in _WRITE_ERRORS:
            raise
        _cannot_write(exc)
        return 1


#: Errors only writing can give (reading /proc never does): ENOSPC, EDQUOT, EFBIG,
#: and EBADF from a closed standard output (:class:`ClosedOutput`).
_WRITE_ERRORS = frozenset((errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EBADF))


class ClosedOutput:
    """``sys.stdout`` for a process started with its standard output closed: writing
    raises ``OSError(EBADF)``, as writing to a closed descriptor does; flushing
    has nothing to write; it is no terminal."""

    def write(self, text: object) -> int:
        """Fail as a closed descriptor does."""
        raise OSError(errno.EBADF, "the standard output is closed")

    def flush(self) -> None:
        """Nothing was written: nothing to flush."""

    def isatty(self) -> bool:
        """Not a terminal."""
        return False

    def fileno(self) -> int:
        """Fail as a closed descriptor does."""
        raise OSError(errno.EBADF, "the standard output is closed")

    @property
    def buffer(self) -> ClosedOutput:
        """The binary stream: closed too."""
        return self


def _cannot_write(exc: OSError) -> None:
    sys.stderr.write(f"procfs: cannot write the output: {exc}\n")


def _dispatch(args: list[str]) -> int:
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0
    if args[0] in ("--version", "-V"):
        from procfs import __version__

        sys.stdout.write(f"pyprocfs {__version__}\n")
        return 0
    entry = COMMANDS.get(args[0])
    if entry is None:
        sys.stderr.write(f"procfs: unknown command {args[0]!r}\n{USAGE}")
        return 2
    # A command builds thousands of records and texts and no reference cycles:
    # the cyclic collector would only walk them again and again (a few ms of a
    # run), so it is off meanwhile (as Mercurial does around its big parses).
    # The ``procfs`` script turns it off before its imports already.
    collecting = gc.isenabled()
    gc.disable()
    try:
        __import__(entry[0])
        status: int = sys.modules[entry[0]].main(args[1:])
    finally:
        if collecting:
            gc.enable()
    return status


def leave(status: int) -> NoReturn:
    """End the ``procfs`` process with exit status ``status``, its output written.

    What the ``procfs`` script and ``python -m procfs`` do after :func:`main`.
    Python's own exit frees every module and object one at a time (1 to 2 ms
    of a command's run) for a process that is about to end anyway, so when
    nothing is registered to run at exit (``atexit``: coverage, profilers) and
    the ``threading`` module, which waits for other threads at exit, was not
    imported, the standard streams are flushed and the process ends at once
    (``os._exit``). A reader that went away meanwhile (``procfs ps | head``)
    is no error, as during the command; another error writing the output is
    reported, with status 1. Otherwise the usual exit, the modules frozen so
    that the last garbage collection does not walk them.
    """
    import atexit
    import os

    pending = getattr(atexit, "_ncallbacks", None)
    if pending is None or pending() or "threading" in sys.modules:
        gc.freeze()
        sys.exit(status)
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        pass
    except OSError as exc:
        _cannot_write(exc)
        status = status or 1
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except OSError:
        pass
    os._exit(status)
