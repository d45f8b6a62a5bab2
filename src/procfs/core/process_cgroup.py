"""``/proc/[pid]/cgroup``: the control groups a process belongs to.

One line per hierarchy (see cgroups(7))::

    4:memory:/user.slice/user-1000.slice
    1:name=systemd:/user.slice/user-1000.slice/session-2.scope
    0::/user.slice/user-1000.slice/session-2.scope

The fields are the hierarchy id, the comma-separated controllers bound to it
(``name=NAME`` for a named hierarchy without controllers) and the cgroup's
path relative to the hierarchy's root. A cgroup v2 line has hierarchy 0 and
no controllers. The path runs to the end of the line and may itself contain
colons; the kernel does not escape it. On cgroup v2 the kernel appends
``" (deleted)"`` to the path of a removed cgroup (a zombie's, say); it is
kept in :attr:`ProcessCgroup.pathname` and reported by
:attr:`ProcessCgroup.deleted`.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["ProcessCgroup", "parse_process_cgroups"]

_DELETED = " (deleted)"


class ProcessCgroup(Record):
    """One line of ``/proc/[pid]/cgroup``.

    Attributes:
        hierarchy: The hierarchy id (as in ``/proc/cgroups``); 0 for the
            cgroup v2 unified hierarchy.
        controllers: The controllers bound to the hierarchy (``["cpu",
            "cpuacct"]``), ``["name=systemd"]`` for a named one; empty for
            cgroup v2.
        pathname: The cgroup's path below the root of the hierarchy (as
            mounted under ``/sys/fs/cgroup``), relative to the reader's
            cgroup namespace.
    """

    hierarchy: int
    controllers: list[str]
    pathname: str

    @property
    def is_v2(self) -> bool:
        """Whether this is the cgroup v2 (unified hierarchy) line."""
        return self.hierarchy == 0 and not self.controllers

    @property
    def deleted(self) -> bool:
        """Whether the kernel marked the cgroup v2 path as removed (``" (deleted)"``)."""
        return self.is_v2 and self.pathname.endswith(_DELETED)


# One record (single_open: ONE in base.c, proc_cgroup_operations before): the first short
# read is all of it.
@parser("[pid]/cgroup", "[pid]/task/[tid]/cgroup", read="single", since="2.6.24")
def parse_process_cgroups(data: bytes) -> list[ProcessCgroup]:
    """Parse ``/proc/[pid]/cgroup`` into one :class:`ProcessCgroup` per line."""
    out: list[ProcessCgroup] = []
    for lineno, line in enumerate(lines(data), 1):
        if not line:
            continue
        fields = line.split(b":", 2)
        if len(fields) != 3:
            raise ParseError("expected 'id:controllers:path'", line=line, lineno=lineno)
        hierarchy, controllers, path = fields
        if not hierarchy.isdigit():
            raise ParseError("the hierarchy id is not a number", line=line, lineno=lineno)
        out.append(
            ProcessCgroup(
                int(hierarchy),
                [decode(name) for name in controllers.split(b",")] if controllers else [],
                decode(path),
            )
        )
    return out
