"""``procfs uptime``: the time, how long the system has been up, its users and load.

Prints the line of procps-ng 4.0 ``uptime``::

     02:39:12 up 3 days,  4:05,  2 users,  load average: 0.52, 0.58, 0.59

The users are the login records of the utmp file (``/var/run/utmp``) that are
user processes with a name, as procps counts them (no utmp file: 0).
``-p`` prints the time since boot in words (``up 3 days, 4 hours, 5
minutes``), ``-s`` the moment of the boot (``2026-12-04 22:34:07``, local
time). ``--json`` prints one object: ``uptime`` and ``idle`` (seconds),
``boot_time`` (seconds since the epoch), ``users`` and ``load`` (the 1, 5
and 15 minute averages).
"""

from __future__ import annotations

import sys

from procfs._fs import DEFAULT_ROOT
from procfs.cli import HELP, ROOT, Option, help_lines, start
from procfs.errors import ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["OPTIONS", "count_users", "main", "pretty_uptime", "uptime_line"]

OPTIONS = (
    Option("-p", "--pretty", help="show the time since boot in words"),
    Option("-s", "--since", help="show when the system booted (yyyy-mm-dd HH:MM:SS)"),
    Option(
        "--json",
        help=(
            "print a JSON object: uptime and idle (seconds), boot_time (Unix\n"
            "time), users, load (the 1, 5 and 15 minute averages)"
        ),
    ),
    ROOT,
    HELP,
)

USAGE = "usage: procfs uptime [OPTIONS]\n\n" + help_lines(OPTIONS)

#: Where glibc keeps the login records (``_PATH_UTMP``).
UTMP = "/var/run/utmp"

# struct utmp of glibc on Linux (every 64-bit ABI and i386 alike: 384 bytes):
# ut_type is a short at offset 0, ut_user 32 bytes at offset 44.
_RECORD = 384
_USER = slice(44, 76)
_USER_PROCESS = 7


def count_users(path: str = UTMP) -> int:
    """The login sessions in the utmp file ``path``: user processes with a user name.

    What procps counts as users (``who`` lists the same entries). A missing
    or unreadable file counts 0.
    """
    import os

    from procfs._fs import Root

    directory, name = os.path.split(path)
    try:
        data = Root(directory or ".").read(name)
    except (ProcError, OSError):
        return 0
    users = 0
    for start_at in range(0, len(data) - _RECORD + 1, _RECORD):
        record = data[start_at : start_at + _RECORD]
        kind = int.from_bytes(record[:2], sys.byteorder)
        if kind == _USER_PROCESS and record[_USER][:1] != b"\0":
            users += 1
    return users


def _plural(count: int, word: str, many: bool) -> str:
    return f"{count} {word}s" if many else f"{count} {word}"


def uptime_line(now: float, uptime: float, users: int, load: Sequence[float]) -> str:
    """The line ``uptime`` prints (without its newline), at local time ``now`` (epoch seconds)."""
    import time

    clock = time.localtime(now)
    seconds = int(uptime)
    days, hours, minutes = seconds // 86400, seconds // 3600 % 24, seconds // 60 % 60
    parts = [f" {clock.tm_hour:02d}:{clock.tm_min:02d}:{clock.tm_sec:02d} up "]
    if days:
        parts.append(_plural(days, "day", days > 1) + ", ")
    parts.append(f"{hours:2d}:{minutes:02d}, " if hours else f"{minutes} min, ")
    parts.append(f"{users:2d} {'users' if users > 1 else 'user'},  ")
    parts.append("load average: {:.2f}, {:.2f}, {:.2f}".format(*load))
    return "".join(parts)


def pretty_uptime(uptime: float) -> str:
    """The time since boot in words, as ``uptime -p`` says it: ``up 1 week, 2 hours, 1 minute``.

    (procps's rules: a unit is counted only past a whole one, and minutes
    are always shown when less than one hour and one minute remain.)
    """
    left = uptime
    counts = []
    for word, size in (
        ("decade", 315360000),
        ("year", 31536000),
        ("week", 604800),
        ("day", 86400),
        ("hour", 3600),
        ("minute", 60),
    ):
        count = 0
        if left > size:
            count = int(left) // size
            left -= count * size
        counts.append((word, count))
    words = [_plural(count, word, count > 1) for word, count in counts[:-1] if count]
    minutes = counts[-1][1]
    if minutes or left < 60:
        words.append(_plural(minutes, "minute", minutes != 1))
    return "up " + ", ".join(words)


def main(argv: Sequence[str]) -> int:
    """Run ``procfs uptime``; returns the exit status."""
    options = start("uptime", argv, OPTIONS, USAGE)
    if isinstance(options, int):
        return options
    import time

    from procfs.system import SystemFiles

    fs = SystemFiles(options.value("--root") or DEFAULT_ROOT)
    try:
        now = time.time()
        up = fs.uptime()
        load = fs.loadavg()
    except ProcError as exc:
        sys.stderr.write(f"procfs uptime: {exc}\n")
        return 1
    if options.has("--json"):
        import json

        document = {
            "uptime": up.uptime,
            "idle": up.idle,
            "boot_time": now - up.uptime,
            "users": count_users(),
            "load": [load.one, load.five, load.fifteen],
        }
        sys.stdout.write(json.dumps(document) + "\n")
        return 0
    if options.has("-s"):
        since = time.localtime(int(now - up.uptime + 0.5))
        sys.stdout.write(time.strftime("%Y-%m-%d %H:%M:%S\n", since))
    elif options.has("-p"):
        sys.stdout.write(pretty_uptime(up.uptime) + "\n")
    else:
        line = uptime_line(now, up.uptime, count_users(), (load.one, load.five, load.fifteen))
        sys.stdout.write(line + "\n")
    return 0
