"""``procfs show PATH``: parse any supported /proc file and print it.

``PATH`` is relative to the procfs root (``meminfo``, ``1/status``,
``self/smaps_rollup``, ``net/tcp6``, ``sys/kernel/pid_max``; a leading
``/proc/`` is dropped). The parser is the one registered for the path
(:func:`procfs.core.parser_for`); the links of a process (``fd/N``,
``ns/net``, ``exe``...) are read with readlink and their target parsed. A
sysctl file under ``sys/`` without a parser is read as a generic value, the
entries of ``sys/fs/binfmt_misc`` with
:func:`procfs.core.sysctl.parse_binfmt_entry`.

The default output is indented ``key: value`` lines; ``--json`` prints the
record's JSON form. ``--list`` prints every registered path.

Exit status: 0 printed; 1 the file could not be read or parsed (the message
says why); 2 a usage error, or no parser for the path.
"""

from __future__ import annotations

import sys

from procfs._fs import DEFAULT_ROOT
from procfs.cli import HELP, ROOT, Option, fail, help_lines, start
from procfs.errors import ProcError
from procfs.root import ProcFS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

OPTIONS = (
    Option(
        "--json",
        help="print the record as a JSON object (--list: a list)",
    ),
    Option(
        "--list",
        help="print every path that has a parser ([pid], [tid], [fd]: numbers)",
    ),
    ROOT,
    HELP,
)

USAGE = (
    "usage: procfs show PATH [--json] [--root DIR]\n"
    "       procfs show --list [--json]\n\n"
    "  PATH          a file relative to the procfs root: meminfo, 1/status,\n"
    "                self/smaps_rollup, net/tcp6, sys/kernel/pid_max (a leading\n"
    "                /proc/ is dropped); any sysctl file under sys/ is accepted\n"
) + help_lines(OPTIONS)

__all__ = ["OPTIONS", "main", "readable", "render"]

# The symbolic links of a process directory: their parsers take the target text.
_LINK_DIRS = frozenset({"fd", "ns", "map_files"})
_LINK_NAMES = frozenset({"exe", "cwd", "root"})

#: The plain values printed as they are (lists of them go on one line).
_SCALARS = (str, int, float, bool, type(None))


def _relative(path: str, fs: ProcFS) -> str:
    """``path`` relative to the root: without ``/proc/`` (or the root itself) and slashes."""
    for prefix in (fs.root.rstrip("/") + "/", DEFAULT_ROOT + "/"):
        if prefix != "/" and path.startswith(prefix):
            path = path[len(prefix) :]
            break
    return path.strip("/")


def _find_parser(relative: str) -> Callable[[bytes, str], object] | None:
    from procfs.core import parser_for

    parse = parser_for(relative)
    if parse is not None:
        return parse
    if relative.startswith("sys/") and ".." not in relative.split("/"):
        from procfs.core import sysctl

        name = relative[len("sys/fs/binfmt_misc/") :]
        if (
            relative.startswith("sys/fs/binfmt_misc/")
            and "/" not in name
            and name not in ("status", "register")
        ):
            return lambda data, path: sysctl.parse_binfmt_entry(data, name, path)
        return lambda data, path: sysctl.parse_sysctl_value(data, path)
    return None


def _is_link(key: str) -> bool:
    """Whether the registry key names a symbolic link of a process (read with readlink)."""
    parts = key.split("/")
    if parts[0] != "[pid]" or len(parts) < 2:
        return False
    if len(parts) >= 3 and parts[-2] in _LINK_DIRS:
        return True
    return parts[-1] in _LINK_NAMES and (len(parts) == 2 or parts[-3:-1] == ["task", "[tid]"])


# -- the readable rendering ------------------------------------------------------


def _scalar(value: object, in_list: bool = False) -> str:
    """One scalar as text: JSON spelling for null and booleans; odd strings quoted."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        plain = value and value.isprintable() and value == value.strip()
        if plain and not (in_list and (" " in value or "," in value)):
            return value
        import json

        return json.dumps(value)
    return str(value)


def _is_scalar_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, _SCALARS) for item in value)


def _inline(value: list[object]) -> str:
    return " ".join(_scalar(item, True) for item in value) if value else "[]"


def _lines(value: object, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            out.append(pad + "{}")
        for key, item in value.items():
            if isinstance(item, _SCALARS):
                out.append(f"{pad}{key}: {_scalar(item)}")
            elif _is_scalar_list(item):
                out.append(f"{pad}{key}: {_inline(item)}")
            elif isinstance(item, dict) and not item:
                out.append(f"{pad}{key}: {{}}")
            else:
                out.append(f"{pad}{key}:")
                _lines(item, indent + 2, out)
    elif isinstance(value, list):
        if _is_scalar_list(value):
            out.append(pad + _inline(value))
            return
        for item in value:
            if isinstance(item, _SCALARS):
                out.append(f"{pad}- {_scalar(item)}")
            elif _is_scalar_list(item):
                out.append(f"{pad}- {_inline(item)}")
            else:
                # a block: its first line after "- ", the rest under it
                block: list[str] = []
                _lines(item, indent + 2, block)
                if block:
                    block[0] = f"{pad}- {block[0][indent + 2 :]}"
                out.extend(block)
    else:
        out.append(pad + _scalar(value))


def _hex_address(value: object) -> object:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return f"{value[0]:08x}-{value[1]:08x}"
    return value


def readable(value: object, key: str = "") -> object:
    """Plain data with the values people read in another notation put so.

    A ``umask`` in octal (``0022``), a mapping's ``address`` as the kernel
    prints it in ``maps`` (``55d0c3a00000-55d0c3a21000``), its ``offset`` in
    hex and ``dev`` as ``fe:00``; a resource limit of none (``null``) as
    ``unlimited``. The JSON output keeps the numbers.
    """
    if isinstance(value, dict):
        out = {name: readable(item, name) for name, item in value.items()}
        if "address" in out and "perms" in out:
            out["address"] = _hex_address(out["address"])
            if isinstance(out.get("offset"), int):
                out["offset"] = f"{out['offset']:08x}"
            dev = out.get("dev")
            if isinstance(dev, list) and len(dev) == 2:
                out["dev"] = f"{dev[0]:02x}:{dev[1]:02x}"
        if {"soft", "hard"} <= out.keys():
            for name in ("soft", "hard"):
                if out[name] is None:
                    out[name] = "unlimited"
        return out
    if isinstance(value, list):
        return [readable(item) for item in value]
    if key == "umask" and isinstance(value, int):
        return f"{value:04o}"
    return value


def render(value: object) -> str:
    """Plain data (:func:`procfs.core._record.to_plain` output) as indented ``key: value`` text.

    Dicts print one key per line, nested ones indented under their key;
    lists of scalars print on one line, separated by spaces (strings with
    spaces quoted); lists of records print as ``- `` blocks. Text alone (a
    sysctl's value) prints as a field's text does: as it is when it is one
    printable line, JSON-quoted otherwise (a newline as ``\\n``), so that
    text reads the same in every file.
    """
    out: list[str] = []
    _lines(value, 0, out)
    return "".join(line + "\n" for line in out)


# -- the command -------------------------------------------------------------------


def _list(as_json: bool) -> int:
    from procfs.core import PARSERS

    if as_json:
        import json

        sys.stdout.write(json.dumps(sorted(PARSERS), indent=2) + "\n")
    else:
        sys.stdout.write("".join(f"{key}\n" for key in sorted(PARSERS)))
    return 0


def main(argv: Sequence[str]) -> int:
    """Run ``procfs show``; returns the exit status."""
    options = start("show", argv, OPTIONS, USAGE, positional=1)
    if isinstance(options, int):
        return options
    if options.has("--list"):
        return _list(options.has("--json"))
    if not options.positional:
        return fail("show", "a PATH is needed", USAGE)
    fs = ProcFS(options.value("--root") or DEFAULT_ROOT)
    given = options.positional[0]
    relative = _relative(given, fs)
    parse_file = _find_parser(relative) if relative else None
    if parse_file is None:
        sys.stderr.write(f"procfs show: no parser for {given!r} (try procfs show --list)\n")
        return 2
    from procfs.core import key_for
    from procfs.core._record import to_plain

    try:
        if _is_link(key_for(relative)):
            import os

            data = os.fsencode(fs.readlink(relative))
        else:
            data = fs.read(relative)
        plain = to_plain(parse_file(data, fs.path(relative)))
        if options.has("--json"):
            import json

            text = json.dumps(plain, indent=2) + "\n"
        else:
            text = render(readable(plain))
    except ProcError as exc:
        sys.stderr.write(f"procfs show: {exc}\n")
        return 1
    except Exception as exc:  # a bug, but the user gets a message, not a traceback
        sys.stderr.write(
            f"procfs show: {fs.path(relative)}: unexpected {type(exc).__name__}: {exc}"
            " (a bug in pyprocfs: please report it with the file)\n"
        )
        return 1
    sys.stdout.write(text)
    return 0
