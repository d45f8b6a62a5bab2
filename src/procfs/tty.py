"""Terminal names for the ``tty_nr`` device numbers found in ``[pid]/stat``.

Follows what procps does: the drivers listed in ``tty/drivers``, then the
well-known numbering (``pts/N``, ``ttyN``, ``ttySN``), each checked against
the device node in ``/dev`` when the root is the live ``/proc``.
"""

from __future__ import annotations

import os as _os

from procfs._fs import DEFAULT_ROOT, Root
from procfs.errors import ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from procfs.core.tty import TtyDriver

__all__ = ["TtyNames", "split_dev"]

# major -> name prefix, for the numbering procps knows without a driver table
_PREFIXES = {
    11: "ttyB",
    17: "ttyH",
    19: "ttyC",
    22: "ttyD",
    23: "ttyD",
    24: "ttyE",
    32: "ttyX",
    43: "ttyI",
    46: "ttyR",
    48: "ttyL",
    57: "ttyP",
    71: "ttyF",
    75: "ttyW",
    78: "ttyM",
    105: "ttyV",
    112: "ttyM",
    148: "ttyT",
    154: "ttySR",
    164: "ttyCH",
    166: "ttyACM",
    172: "ttyMX",
    174: "ttySI",
    188: "ttyUSB",
    208: "ttyU",
    216: "ttyUB",
    224: "ttyY",
}


def split_dev(dev: int) -> tuple[int, int]:
    """A Linux ``dev_t`` as the kernel encodes it in ``tty_nr``: (major, minor)."""
    return (dev >> 8) & 0xFFF, (dev & 0xFF) | ((dev >> 12) & 0xFFF00)


class TtyNames:
    """Maps ``tty_nr`` values to names like ``pts/0``, caching each answer."""

    def __init__(self, fs: Root | None = None) -> None:
        self._fs = fs if fs is not None else Root(DEFAULT_ROOT)
        self._verify = self._fs.root == DEFAULT_ROOT
        self._drivers: list[TtyDriver] | None = None
        self._cache: dict[int, str | None] = {0: None}

    def name(self, tty_nr: int) -> str | None:
        """The terminal's name without ``/dev/`` (``pts/3``), or None for no terminal."""
        try:
            return self._cache[tty_nr]
        except KeyError:
            pass
        name = self._resolve(tty_nr)
        self._cache[tty_nr] = name
        return name

    def _drivers_table(self) -> list[TtyDriver]:
        if self._drivers is None:
            from procfs.core.tty import parse_tty_drivers

            try:
                self._drivers = parse_tty_drivers(
                    self._fs.read("tty/drivers"), self._fs.path("tty/drivers")
                )
            except ProcError:
                self._drivers = []
        return self._drivers

    def _resolve(self, tty_nr: int) -> str | None:
        major, minor = split_dev(tty_nr)
        for driver in self._drivers_table():
            if driver.owns(major, minor) and driver.path.startswith("/dev/"):
                for candidate in (f"{driver.path}{minor}", driver.path):
                    if self._matches(candidate, tty_nr):
                        return candidate[5:]
        guess = _guess(major, minor)
        if guess is not None and (not self._verify or self._matches("/dev/" + guess, tty_nr)):
            return guess
        return None

    def _matches(self, path: str, tty_nr: int) -> bool:
        if not self._verify:
            return False
        try:
            rdev = _os.stat(path).st_rdev
        except OSError:
            return False
        return rdev != 0 and (_os.major(rdev), _os.minor(rdev)) == split_dev(tty_nr)


def _guess(major: int, minor: int) -> str | None:
    if 136 <= major <= 143:
        return f"pts/{minor + (major - 136) * 256}"
    if major == 4:
        return f"tty{minor}" if minor < 64 else f"ttyS{minor - 64}"
    prefix = _PREFIXES.get(major)
    return None if prefix is None else f"{prefix}{minor}"
