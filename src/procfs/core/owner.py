"""``/proc/[pid]`` itself: the owner of a process directory, its effective user and group.

The kernel gives the directory of a process the effective user and group IDs
of that process as its owner, and renews them at every lookup. Unlike the
files inside it, the directory keeps them even when the process is not
dumpable (fs/proc/base.c, ``task_dump_owner``: "the only way to read the
effective uid of a process was to stat /proc/pid ... procps and other
packages kept stating /proc/pid"). So a scan takes them from a ``stat`` of
the directory it has open, without reading ``status``, which the kernel
builds line by line: 12 us a process saved in a scan of ``stat``, ``status``
and ``cmdline`` (2093 processes, 70 -> 46 ms of CPU).

A root that is not a procfs (a captured tree) keeps no such owners; there
the scan hands over the process's ``status`` instead, and its ``Uid:`` and
``Gid:`` lines are read.
"""

from __future__ import annotations

from procfs.core._parse import parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Owner", "parse_owner"]


class Owner(Record):
    """The effective user and group of a process, as the owner of its directory shows them.

    Attributes:
        euid: Effective user ID (as ``status``'s second ``Uid:`` value).
        egid: Effective group ID (as ``status``'s second ``Gid:`` value).
    """

    euid: int
    egid: int


@parser("[pid]", read="single", record=Owner, since="2.6", register=False)
def parse_owner(data: bytes) -> Owner:
    """The :class:`Owner` a scan read: ``b"EUID EGID"`` from the directory's ``stat``, or,
    under a root that is not a procfs, the process's ``status`` file.

    ``/proc/[pid]`` is a directory, not a file (so this parser is not in the
    registry of files).
    """
    if data[:1].isdigit():
        parts = data.split()
        if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
            return Owner(int(parts[0]), int(parts[1]))
        raise ParseError("an owner is not two numbers", line=data[:200])
    return Owner(_second(data, b"\nUid:"), _second(data, b"\nGid:"))


def _second(status: bytes, key: bytes) -> int:
    """The second number (the effective ID) of the ``Uid:``/``Gid:`` line of ``status``."""
    start = status.find(key)
    if start < 0:
        raise ParseError(f"no {key[1:].decode()} line in status")
    end = status.find(b"\n", start + 1)
    values = status[start + len(key) : end if end >= 0 else len(status)].split()
    if len(values) < 2 or not values[1].isdigit():
        raise ParseError(
            f"the {key[1:].decode()} line of status has no effective ID",
            line=status[start + 1 : end if end >= 0 else len(status)],
        )
    return int(values[1])
