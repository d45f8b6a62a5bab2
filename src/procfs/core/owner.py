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

from procfs.core._parse import fields_reader_of, parser
from procfs.core._record import Record, digits_reader
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["Owner", "fields_reader", "parse_owner"]


class Owner(Record):
    """The effective user and group of a process, as the owner of its directory shows them.

    Attributes:
        euid: Effective user ID (as ``status``'s second ``Uid:`` value).
        egid: Effective group ID (as ``status``'s second ``Gid:`` value).
    """

    euid: int
    egid: int


def _usual(data: bytes) -> list[bytes] | None:
    """The two numbers a scan hands over on a procfs, or None for anything else."""
    if data[:1].isdigit():
        fields = data.split()
        if len(fields) == 2 and fields[0].isdigit() and fields[1].isdigit():
            return fields
    return None


@parser("[pid]", read="single", record=Owner, since="2.6", register=False)
def parse_owner(data: bytes) -> Owner:
    """The :class:`Owner` a scan read: ``b"EUID EGID"`` from the directory's ``stat``, or,
    under a root that is not a procfs, the process's ``status`` file.

    ``/proc/[pid]`` is a directory, not a file (so this parser is not in the
    registry of files).
    """
    fields = _usual(data)
    if fields is not None:
        return Owner(int(fields[0]), int(fields[1]))
    if data[:1].isdigit():
        raise ParseError("an owner is not two numbers", line=data[:200])
    return Owner(_second(data, b"\nUid:"), _second(data, b"\nGid:"))


@fields_reader_of(parse_owner)
def fields_reader(names: Sequence[str]) -> Callable[[bytes, str], tuple[Any, ...]]:
    """A function that reads the fields ``names`` of what a scan hands over, as a tuple
    (what :func:`procfs.scan.scan_fields` uses: no record made on a procfs)."""
    return digits_reader(Owner, names, Owner._fields, _usual, parse_owner.__wrapped__)  # type: ignore[attr-defined]


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
