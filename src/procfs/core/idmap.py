"""User-namespace id maps: ``uid_map``, ``gid_map`` (and ``projid_map``), ``setgroups``.

An id map has one line per range (see user_namespaces(7))::

         0       1000          1
         1     100000      65536

Each line maps ``count`` consecutive ids starting at ``inside`` in the
process's user namespace to ids starting at ``outside``. The outside ids are
relative to the user namespace of the process that READS the file (the
parent namespace when it is the parent's view, the same namespace when the
reader is inside it). The initial namespace maps everything to itself:
``0 0 4294967295``. An empty file means no map has been written yet.

``setgroups`` holds ``allow`` or ``deny`` (Linux 3.19): whether
``setgroups(2)`` may be used in the namespace.
"""

from __future__ import annotations

from procfs.core._parse import lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["IdMapEntry", "parse_id_map", "parse_setgroups"]


class IdMapEntry(Record):
    """One line of ``uid_map``, ``gid_map`` or ``projid_map``.

    Attributes:
        inside: The first id of the range, as seen inside the namespace.
        outside: The first id of the range, as seen from the reader's user
            namespace.
        count: The number of ids in the range.
    """

    inside: int
    outside: int
    count: int

    def to_outside(self, inside_id: int) -> int | None:
        """The outside id of ``inside_id``, if this range maps it."""
        offset = inside_id - self.inside
        return self.outside + offset if 0 <= offset < self.count else None

    def to_inside(self, outside_id: int) -> int | None:
        """The inside id of ``outside_id``, if this range maps it."""
        offset = outside_id - self.outside
        return self.inside + offset if 0 <= offset < self.count else None


@parser(
    "[pid]/uid_map",
    "[pid]/gid_map",
    "[pid]/projid_map",
    "[pid]/task/[tid]/uid_map",
    "[pid]/task/[tid]/gid_map",
    "[pid]/task/[tid]/projid_map",
    since="3.5",
)
def parse_id_map(data: bytes) -> list[IdMapEntry]:
    """Parse an id map (``uid_map``, ``gid_map``, ``projid_map``) into its ranges."""
    out: list[IdMapEntry] = []
    for lineno, line in enumerate(lines(data), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 3 or not all(field.isdigit() for field in fields):
            raise ParseError("expected three unsigned numbers", line=line, lineno=lineno)
        out.append(IdMapEntry(int(fields[0]), int(fields[1]), int(fields[2])))
    return out


@parser("[pid]/setgroups", "[pid]/task/[tid]/setgroups", read="single", since="3.19")
def parse_setgroups(data: bytes) -> str:
    """Parse ``setgroups``: ``"allow"`` or ``"deny"``."""
    value = data.strip()
    if value not in (b"allow", b"deny"):
        raise ParseError("expected 'allow' or 'deny'", line=data[:200])
    return value.decode()
