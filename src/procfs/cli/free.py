"""``procfs free``: memory and swap in use, like procps ``free`` (procps-ng 4.0).

The columns and numbers are procps-ng 4.0's (see :func:`numbers` for
how each is computed from ``meminfo``): ``used`` is ``MemTotal -
MemAvailable`` (procps before 4.0 subtracted free, buffers and cache
instead), ``buff/cache`` is ``Buffers + Cached + SReclaimable``. Sizes are
printed in KiB unless a unit option says otherwise; ``-h`` picks a unit per
value (three significant digits at most), as procps does.

``--json`` prints the numbers in bytes, one JSON object a sample: with
``-s``/``-c`` one object per line (JSON Lines).
"""

from __future__ import annotations

import sys

from procfs._fs import DEFAULT_ROOT
from procfs.cli import HELP, ROOT, Option, help_lines, start
from procfs.errors import ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from procfs.core.meminfo import MemInfo

__all__ = ["OPTIONS", "main", "numbers", "render", "scale_size"]

#: Unit options: name -> (power of the base, whether the base is 1000).
_UNITS = {
    "-b": (1, False),
    "--kilo": (2, True),
    "--mega": (3, True),
    "--giga": (4, True),
    "--tera": (5, True),
    "--peta": (6, True),
    "-k": (2, False),
    "-m": (3, False),
    "-g": (4, False),
    "--tebi": (5, False),
    "--pebi": (6, False),
}

OPTIONS = (
    Option("-b", "--bytes", help="show sizes in bytes"),
    Option("--kilo", help="show sizes in kilobytes (1000 bytes)"),
    Option("--mega", help="show sizes in megabytes"),
    Option("--giga", help="show sizes in gigabytes"),
    Option("--tera", help="show sizes in terabytes"),
    Option("--peta", help="show sizes in petabytes"),
    Option("-k", "--kibi", help="show sizes in kibibytes (the default)"),
    Option("-m", "--mebi", help="show sizes in mebibytes"),
    Option("-g", "--gibi", help="show sizes in gibibytes"),
    Option("--tebi", help="show sizes in tebibytes"),
    Option("--pebi", help="show sizes in pebibytes"),
    Option("-h", "--human", help="show sizes with a unit each (1.5Gi)"),
    Option("--si", help="use powers of 1000, not 1024"),
    Option("-l", "--lohi", help="show low and high memory"),
    Option("-t", "--total", help="add a line of RAM + swap"),
    Option("-v", "--committed", help="add a line of the commit limit and committed memory"),
    Option("-w", "--wide", help="buffers and cache in two columns"),
    Option("-s", "--seconds", value="N", help="repeat every N seconds"),
    Option("-c", "--count", value="N", help="repeat N times, then exit"),
    Option(
        "--json",
        help=(
            "print the sizes in bytes as a JSON object: total, used,\n"
            "free, shared, buffers, cache, available, swap_total,\n"
            "swap_used, swap_free, low_*, high_*, commit_limit,\n"
            "committed; with -s or -c one object a line (JSON Lines)"
        ),
    ),
    ROOT,
    Option("--help", help=HELP.help),
)

USAGE = "usage: procfs free [OPTIONS]\n\n" + help_lines(OPTIONS)


def numbers(info: MemInfo) -> dict[str, int]:
    """What ``free`` shows, in bytes, by name (its ``--json`` object), from ``meminfo``.

    The Mem and Swap lines are :func:`procfs.memory.memory_of`'s and
    :func:`procfs.memory.swap_of`'s numbers (procps-ng 4.0's rules):
    ``total``, ``used``, ``free``, ``shared``, ``buffers``, ``cache`` (``Cached
    + SReclaimable``), ``available``, ``swap_total``, ``swap_used``,
    ``swap_free``. Then ``-l``'s low and high memory, ``low_total``
    (``LowTotal``, else the total), ``low_used``, ``low_free`` (``LowFree``,
    else the free memory), ``high_total``, ``high_used``, ``high_free`` (0
    without CONFIG_HIGHMEM), and ``-v``'s ``commit_limit`` (``CommitLimit``)
    and ``committed`` (``Committed_AS``).
    """
    from procfs.memory import memory_of, swap_of

    memory = memory_of(info)
    swap = swap_of(info)
    low_total = info.low_total or memory.total
    low_free = (info.low_free or 0) if info.low_total else memory.free
    high_total = info.high_total or 0
    high_free = info.high_free or 0
    return {
        "total": memory.total,
        "used": memory.used,
        "free": memory.free,
        "shared": memory.shared,
        "buffers": memory.buffers,
        "cache": memory.cached,
        "available": memory.available,
        "swap_total": swap.total,
        "swap_used": swap.used,
        "swap_free": swap.free,
        "low_total": low_total,
        "low_used": low_total - low_free if low_free < low_total else 0,
        "low_free": low_free,
        "high_total": high_total,
        "high_used": high_total - high_free if high_free < high_total else 0,
        "high_free": high_free,
        "commit_limit": info.commit_limit or 0,
        "committed": info.committed_as or 0,
    }


def _float32(value: float) -> float:
    """``value`` rounded to single precision, as procps's ``(float)`` cast does."""
    import struct

    result: float = struct.unpack("f", struct.pack("f", value))[0]
    return result


def scale_size(size: int, exponent: int = 0, si: bool = False, human: bool = False) -> str:
    """A size in bytes as procps prints it (procps's ``scale_size``, in KiB steps).

    ``exponent`` 0 prints KiB (kB with ``si``), 1 bytes, 2 to 6 kibi- to
    pebibytes (kilo- to petabytes with ``si``), truncated. ``human`` picks
    the smallest unit that keeps the text within 4 characters (5 with the
    ``i`` of binary units): ``999B``, ``1.5Ki``, ``23Gi``.
    """
    base = 1000 if si else 1024
    kib = size >> 10
    count = kib << 10  # procps counts whole KiB
    if not human:
        if exponent == 0:
            quotient = abs(count) // base  # (C divides toward zero)
            return str(quotient if count >= 0 else -quotient)
        if exponent == 1:
            return str(count)
        return str(int(count / float(base ** (exponent - 1))))
    text = f"{count}B"
    if len(text) <= 4:
        return text
    suffix = "" if si else "i"
    width = 4 + len(suffix)
    for power, letter in enumerate("KMGTP", 1):
        value = count / float(base**power)
        text = f"{_float32(value):.1f}{letter}{suffix}"
        if len(text) <= width:
            return text
        text = f"{int(value)}{letter}{suffix}"
        if len(text) <= width:
            return text
    return text


#: The longest delay (seconds) and count taken: what sleeping can be asked.
_LONGEST = 1 << 31


def _head(label: str) -> str:
    return f"{label:<9}"


def render(usage: dict[str, int], flags: set[str], exponent: int, si: bool) -> str:
    """The table ``free`` prints for ``usage`` (:func:`numbers`) with the options ``flags``."""
    human = "-h" in flags

    def cells(*values: int) -> str:
        return " ".join(f"{scale_size(value, exponent, si, human):>11}" for value in values)

    if "-w" in flags:
        out = [
            "               total        used        free      shared     buffers       cache"
            "   available\n"
        ]
        middle: tuple[int, ...] = (usage["buffers"], usage["cache"])
    else:
        out = ["               total        used        free      shared  buff/cache   available\n"]
        middle = (usage["buffers"] + usage["cache"],)
    memory = (
        usage["total"],
        usage["used"],
        usage["free"],
        usage["shared"],
        *middle,
        usage["available"],
    )
    out.append(_head("Mem:") + cells(*memory) + "\n")
    if "-l" in flags:
        out.append(
            _head("Low:") + cells(usage["low_total"], usage["low_used"], usage["low_free"]) + "\n"
        )
        high = (usage["high_total"], usage["high_used"], usage["high_free"])
        out.append(_head("High:") + cells(*high) + "\n")
    swap = (usage["swap_total"], usage["swap_used"], usage["swap_free"])
    out.append(_head("Swap:") + cells(*swap) + "\n")
    if "-t" in flags:
        both = (
            usage["total"] + usage["swap_total"],
            usage["used"] + usage["swap_used"],
            usage["free"] + usage["swap_free"],
        )
        out.append(_head("Total:") + cells(*both) + "\n")
    if "-v" in flags:
        # (overcommitted, the difference is negative: procps 4.0.2 prints it so)
        spare = usage["commit_limit"] - usage["committed"]
        out.append(_head("Comm:") + cells(usage["commit_limit"], usage["committed"], spare) + "\n")
    return "".join(out)


def _number(text: str, name: str, kind: type[float] | type[int]) -> float:
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"option {name} needs a number, not {text!r}") from None
    if not 0 < value < _LONGEST:  # (also refuses nan)
        raise ValueError(f"option {name} needs a positive number below 2**31, not {text!r}")
    return value


def main(argv: Sequence[str]) -> int:
    """Run ``procfs free``; returns the exit status."""
    options = start("free", argv, OPTIONS, USAGE)
    if isinstance(options, int):
        return options
    units = [name for name in _UNITS if name in options.flags]
    if len(units) > 1:
        from procfs.cli import fail

        return fail("free", "multiple unit options don't make sense", USAGE)
    exponent, si = _UNITS[units[0]] if units else (0, False)
    si = si or options.has("--si")
    seconds = options.value("-s")
    count = options.value("-c")
    try:
        interval = _number(seconds, "-s", float) if seconds is not None else 1.0
        remaining = int(_number(count, "-c", int)) if count is not None else None
    except ValueError as exc:
        from procfs.cli import fail

        return fail("free", str(exc), USAGE)
    repeat = seconds is not None or count is not None
    from procfs.system import SystemFiles

    fs = SystemFiles(options.value("--root") or DEFAULT_ROOT)
    as_json = options.has("--json")
    while True:
        try:
            usage = numbers(fs.meminfo())
        except ProcError as exc:
            sys.stderr.write(f"procfs free: {exc}\n")
            return 1
        if as_json:
            import json

            sys.stdout.write(json.dumps(usage) + "\n")
        else:
            sys.stdout.write(render(usage, options.flags, exponent, si))
        sys.stdout.flush()
        if remaining is not None:
            remaining -= 1
            if remaining < 1:
                return 0
        if not repeat:
            return 0
        if not as_json:
            sys.stdout.write("\n")
        import time

        time.sleep(interval)
