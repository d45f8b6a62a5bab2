"""The command line of ``procfs ps``, read as procps ``ps`` reads it.

Three kinds of options mix: UNIX ones after a dash (``-ef``, ``-o pid``),
BSD ones without (``aux``) and GNU long ones (``--sort=-rss``). What they
select and which columns they show follow procps's rules (``ps/parser.c``,
``ps/select.c``, ``ps/sortformat.c``).
"""

from __future__ import annotations

import os
import sys

from procfs.users import group_id, user_id

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["PsOptions", "parse_ps"]

OUTBUF_SIZE = 2 * 64 * 1024


class PsUsageError(Exception):
    """The command line is wrong; the message says how."""


class PsOptions:
    """What a ``ps`` command line asks for."""

    def __init__(self) -> None:
        self.all = False  # -e, -A, ax
        self.simple: set[str] = set()  # "U_a", "U_d", "B_a", "B_x"
        self.lists: list[tuple[str, set[object]]] = []  # (kind, values)
        self.quick: list[int] | None = None  # -q LIST
        self.running = False  # r
        self.negate = False  # -N, --deselect
        self.bsd = False  # a BSD option was given: BSD defaults
        self.flags: set[str] = set()  # format flags: Uf, Ul, Bu, Bj, Bl
        self.modifiers: set[str] = set()  # F, y, j, c, P
        self.format: list[tuple[str, str | None, int | None]] = []  # -o, o
        self.o_format: list[tuple[str, str | None, int | None]] = []  # -O, O
        self.o_bsd = False  # the O was BSD's
        self.forest = ""  # "u" (-H), "b" (f, --forest)
        self.threads = ""  # "L", "T", "H", "m" (threads after their process)
        self.sort: list[tuple[str, bool]] = []  # (key, descending)
        self.headers = True
        self.wide = 0
        self.cols: int | None = None
        self.json = False
        self.root: str | None = None
        self.help = False


def _list(text: str, what: str) -> list[str]:
    items = [item for item in text.replace(",", " ").split(" ") if item]
    if not items:
        raise PsUsageError(f"list of {what} must follow the option")
    return items


def _pids(text: str, what: str = "process IDs") -> set[object]:
    out: set[object] = set()
    for item in _list(text, what):
        if not item.isdigit():
            raise PsUsageError(f"{what} list syntax error")
        if int(item) == 0:  # (as procps, for a process, session or parent ID)
            raise PsUsageError("process ID out of range")
        out.add(int(item))
    return out


def _users(text: str) -> set[object]:
    return _ids(text, "user", user_id)


def _groups(text: str) -> set[object]:
    return _ids(text, "group", group_id)


def _ids(text: str, what: str, lookup: Callable[[str], int | None]) -> set[object]:
    """User or group IDs of a list of numbers and names (``what``: ``"user"``, ``"group"``)."""
    out: set[object] = set()
    for item in _list(text, what + "s"):
        if item.isdigit():
            out.add(int(item))
            continue
        found = lookup(item)
        if found is None:
            raise PsUsageError(f"{what} name does not exist: {item}")
        out.add(found)
    return out


def _ttys(text: str) -> set[object]:
    """Terminal device numbers (as ``stat``'s ``tty_nr``) of names: ``pts/0``, ``tty1``, ``-``."""
    out: set[object] = set()
    for item in _list(text, "terminals"):
        if item in ("-", "?"):
            out.add(0)
            continue
        found = None
        for path in (item, "/dev/" + item, "/dev/tty" + item, "/dev/pts/" + item):
            if not path.startswith("/"):
                continue
            try:
                rdev = os.stat(path).st_rdev
            except OSError:
                continue
            if rdev:
                found = (
                    (os.major(rdev) << 8)
                    | (os.minor(rdev) & 0xFF)
                    | ((os.minor(rdev) & ~0xFF) << 12)
                )
                break
        if found is None:
            raise PsUsageError("TTY could not be found")
        out.add(found)
    return out


def _format(text: str) -> list[tuple[str, str | None, int | None]]:
    from procfs.cli.ps_format import parse_format

    try:
        return parse_format(text)
    except ValueError as exc:
        raise PsUsageError(str(exc)) from None


def _sort(text: str, options: PsOptions) -> None:
    from procfs.cli.ps_format import SPECS

    for item in _list(text, "sort keys"):
        descending = item.startswith("-")
        key = item[1:] if item[0] in "+-" else item
        if key not in SPECS:
            raise PsUsageError(f'unknown sort specifier "{key}"')
        options.sort.append((key, descending))


#: UNIX options that take a value: option -> what the value is.
_SYSV_VALUES = "CGgOopqsUut"
#: GNU long options that take a value.
_GNU_VALUES = (
    "--sort",
    "--format",
    "--pid",
    "--ppid",
    "--user",
    "--User",
    "--group",
    "--Group",
    "--tty",
    "--sid",
    "--cols",
    "--columns",
    "--width",
    "--quick-pid",
    "--root",
)


def _apply(options: PsOptions, letter: str, value: str, bsd: bool) -> None:
    """An option that takes a value."""
    if letter == "o":
        options.format.extend(_format(value))
    elif letter == "O":
        options.o_format.extend(_format(value))
        options.o_bsd = bsd
    elif letter == "p":
        options.lists.append(("pid", _pids(value)))
    elif letter == "q":
        _pids(value)  # (checks the list)
        options.quick = [int(pid) for pid in _list(value, "process IDs")]
        options.lists.append(("pid", set(options.quick)))
    elif letter in "uU":
        options.lists.append(("euid" if letter == "u" or bsd else "ruid", _users(value)))
    elif letter == "G":
        options.lists.append(("rgid", _groups(value)))
    elif letter == "g":
        try:
            options.lists.append(("session", _pids(value, "session IDs")))
        except PsUsageError:
            options.lists.append(("egid", _groups(value)))
    elif letter == "s":
        options.lists.append(("session", _pids(value, "session IDs")))
    elif letter == "C":
        options.lists.append(("comm", set(_list(value, "commands"))))
    elif letter == "t":
        options.lists.append(("tty", _ttys(value)))
    elif letter == "ppid":
        options.lists.append(("ppid", _pids(value, "parent process IDs")))
    elif letter == "k":
        _sort(value, options)


def _sysv(options: PsOptions, arg: str, rest: list[str]) -> None:
    letters = arg[1:]
    for position, letter in enumerate(letters):
        if letter in _SYSV_VALUES:
            value = letters[position + 1 :]
            if not value:
                if not rest:
                    raise PsUsageError(f"option -{letter} needs a value")
                value = rest.pop(0)
            _apply(options, letter, value, False)
            return
        if letter in "Ae":
            options.all = True
        elif letter == "a":
            options.simple.add("U_a")
        elif letter == "d":
            options.simple.add("U_d")
        elif letter == "N":
            options.negate = True
        elif letter == "f":
            options.flags.add("Uf")
        elif letter == "F":
            options.flags.add("Uf")
            options.modifiers.add("F")
        elif letter == "l":
            options.flags.add("Ul")
        elif letter == "y":
            options.modifiers.add("y")
        elif letter == "j":
            options.modifiers.add("j")
        elif letter == "c":
            options.modifiers.add("c")
        elif letter == "P":
            options.modifiers.add("P")
        elif letter == "H":
            options.forest = "u"
        elif letter in "LT":
            options.threads = _threads(options, letter)
        elif letter == "m":
            options.threads = _threads(options, "m")
        elif letter == "w":
            options.wide += 1
        elif letter == "x":
            options.bsd = True
            options.simple.add("B_x")
        elif letter == "h":
            options.help = True
        else:
            raise PsUsageError(f"unsupported SysV option -{letter}")


def _threads(options: PsOptions, kind: str) -> str:
    if options.threads and options.threads != kind:
        raise PsUsageError("thread flags conflict; can't use H with -m or m, or -L with -T")
    return kind


def _bsd(options: PsOptions, arg: str, rest: list[str]) -> None:
    options.bsd = True
    for position, letter in enumerate(arg):
        if letter in "otpUkO":
            value = arg[position + 1 :]
            if not value:
                if not rest:
                    raise PsUsageError(f"option {letter} needs a value")
                value = rest.pop(0)
            _apply(options, letter, value, True)
            return
        if letter == "a":
            options.simple.add("B_a")
        elif letter == "x":
            options.simple.add("B_x")
        elif letter == "g":
            pass  # (every BSD but SunOS: always on)
        elif letter == "u":
            options.flags.add("Bu")
        elif letter == "j":
            options.flags.add("Bj")
        elif letter == "l":
            options.flags.add("Bl")
        elif letter == "s":
            options.flags.add("Bs")
        elif letter == "v":
            options.flags.add("Bv")
        elif letter == "f":
            options.forest = "b"
        elif letter == "r":
            options.running = True
        elif letter == "h":
            options.headers = False
        elif letter == "w":
            options.wide += 1
        elif letter == "H":
            options.threads = _threads(options, "H")
        elif letter == "m":
            options.threads = _threads(options, "m")
        elif letter == "T":
            options.lists.append(("tty", {_own_tty()}))
        else:
            raise PsUsageError(f"unsupported option (BSD syntax) {letter}")


def _own_tty() -> int:
    from procfs import core
    from procfs._fs import DEFAULT_ROOT, Root

    fs = Root(DEFAULT_ROOT)
    return core.stat.parse_stat(fs.read(f"{fs.self_pid()}/stat", True)).tty_nr


def _gnu(options: PsOptions, arg: str, rest: list[str]) -> None:
    name, eq, value = arg.partition("=")
    if name in _GNU_VALUES:
        if not eq:
            if not rest:
                raise PsUsageError(f"option {name} needs a value")
            value = rest.pop(0)
        if name == "--sort":
            _sort(value, options)
        elif name == "--format":
            options.format.extend(_format(value))
        elif name in ("--cols", "--columns", "--width"):
            if not value.isdigit() or not 0 < int(value) < OUTBUF_SIZE:
                raise PsUsageError("number of columns must be a positive integer")
            options.cols = int(value)
        elif name == "--root":
            options.root = value
        else:
            letter = {
                "--pid": "p",
                "--ppid": "ppid",
                "--user": "u",
                "--User": "U",
                "--group": "g",
                "--Group": "G",
                "--tty": "t",
                "--sid": "s",
                "--quick-pid": "q",
            }[name]
            if letter == "g":
                options.lists.append(("egid", _groups(value)))
            else:
                _apply(options, letter, value, False)
        return
    if eq:
        raise PsUsageError(f"unknown option {arg}")
    if name in ("--no-headers", "--no-heading", "--noheaders", "--noheading"):
        options.headers = False
    elif name in ("--headers", "--heading"):
        options.headers = True
    elif name == "--forest":
        options.forest = "b"
    elif name == "--deselect":
        options.negate = True
    elif name == "--json":
        options.json = True
    elif name == "--help":
        options.help = True
    else:
        raise PsUsageError(f"unknown option {arg}")


def parse_ps(argv: Sequence[str]) -> PsOptions:
    """Read a ``ps`` command line; raises :class:`PsUsageError`."""
    options = PsOptions()
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg.startswith("--"):
            if arg == "--":
                raise PsUsageError("garbage option")
            _gnu(options, arg, rest)
        elif arg.startswith("-") and len(arg) > 1:
            if arg[1].isdigit():
                raise PsUsageError(f"unsupported option {arg}")
            _sysv(options, arg, rest)
        elif arg[:1].isdigit():
            options.bsd = True
            options.lists.append(("pid", _pids(arg)))
        elif arg[:1].isalpha():
            _bsd(options, arg, rest)
        else:
            raise PsUsageError(f"garbage option {arg!r}")
    _check(options)
    if not (options.format or options.o_format or options.flags or options.modifiers):
        _env_format(options)
    return options


def _env_format(options: PsOptions) -> None:
    """``PS_FORMAT``: the columns when no option chooses them (as ``-o``). One that does
    not parse is ignored with procps's warning."""
    import os

    text = os.environ.get("PS_FORMAT")
    if not text:
        return
    try:
        options.format = _format(text)
    except PsUsageError as exc:
        sys.stderr.write(f"warning: $PS_FORMAT ignored. ({exc})\n")


def _check(options: PsOptions) -> None:
    if "y" in options.modifiers and "Ul" not in options.flags and not options.format:
        raise PsUsageError("modifier -y without format -l makes no sense")
    if options.format or options.o_format:
        if options.flags or (options.format and options.o_format):
            raise PsUsageError("conflicting format options")
        if options.modifiers - {"P"}:
            raise PsUsageError("can not use output modifiers with user-defined output")
    if len(options.flags & {"Bu", "Bj", "Bl"}) > 1 or (
        options.flags & {"Bu", "Bj", "Bl"} and options.flags & {"Uf", "Ul"}
    ):
        raise PsUsageError("conflicting format options")
    if options.threads and options.forest:
        raise PsUsageError("thread display conflicts with forest display")
    simple = options.simple
    if simple & {"U_a", "U_d"} and simple & {"B_a", "B_x"}:
        raise PsUsageError("process selection options conflict")
    if {"B_a", "B_x"} <= simple:
        options.all = True
        simple.clear()


def columns_asked(options: PsOptions) -> list[tuple[str, str | None, int | None]]:
    """The columns the options ask for, as procps chooses its default formats."""
    if options.format:
        return list(options.format)
    if options.o_format:
        tail = "state,tname,cputime,comm" if options.o_bsd else "state,tname,time,command"
        return [("pid", None, None), *options.o_format] + [
            (name, None, None) for name in tail.split(",")
        ]
    from procfs.cli.ps_format import MACROS

    flags = options.flags
    macro = None
    if "Bu" in flags:
        macro = MACROS["OL_u"]
    elif "Bj" in flags:
        macro = MACROS["OL_j"]
    elif "Bl" in flags:
        macro = MACROS["OL_l"]
    elif "Bs" in flags:
        macro = MACROS["OL_s"]
    elif "Bv" in flags:
        macro = MACROS["OL_v"]
    if macro is None:
        names = _sysv_list(options)
    else:
        names = macro.split(",")
        if options.threads == "L":
            names = _after(names, ("sid", "pgid", "ppid", "pid"), "lwp")
            names = _after(names, ("pcpu",), "nlwp")
        elif options.threads == "T":
            names = _after(names, ("pid",), "spid")
    return [(name, None, None) for name in names]


def _after(names: list[str], anchors: Sequence[str], name: str) -> list[str]:
    for anchor in anchors:
        if anchor in names:
            at = names.index(anchor) + 1
            return [*names[:at], name, *names[at:]]
    return names


def _sysv_list(options: PsOptions) -> list[str]:
    """procps's ``generate_sysv_list``, in display order."""
    flags, mods = options.flags, options.modifiers
    full, long, threads = "Uf" in flags, "Ul" in flags, options.threads
    out: list[str] = []
    if long:
        out.append("f" if "y" not in mods else "")
        out.append("s")
    if full:
        out.append("uid_hack")
    elif long:
        out.append("uid")
    out.append("pid")
    if threads == "T":
        out.append("spid")
    if full or long:
        out.append("ppid")
    if "j" in mods:
        out += ["pgid", "sid"]
    if threads == "L":
        out.append("lwp")
    if "P" in mods:
        out.append("psr")
    if (full or long) and "c" not in mods:
        out.append("c")
    if threads == "L" and full:
        out.append("nlwp")
    if "c" in mods:
        out += ["class", "pri"]
    elif long:
        out += ["opri", "ni"]
    if long:
        out.append("rss" if "y" in mods else "addr_1")
    if "F" in mods or long:
        out.append("sz")
    if long:
        out.append("wchan")
    if "F" in mods:
        if not (long and "y" in mods):
            out.append("rss")
        if "P" not in mods:
            out.append("psr")
    if full:
        out.append("stime")
    out.append("tname")
    if options.bsd:
        if not long:
            out.append("stat")
        out += ["bsdtime", "cmd" if flags else "args"]
    else:
        out += ["time", "cmd" if full else "ucmd"]
    return [name for name in out if name]
