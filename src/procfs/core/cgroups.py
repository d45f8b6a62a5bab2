"""``/proc/cgroups``: the cgroup controllers compiled into the kernel.

A header line ``#subsys_name hierarchy num_cgroups enabled`` and one
tab-separated row per controller.
"""

from __future__ import annotations

from procfs.core._parse import decode, parse_int, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["CgroupController", "parse_cgroups"]


class CgroupController(Record):
    """One row of ``/proc/cgroups``.

    Attributes:
        subsys_name: the controller's name (``cpu``, ``memory``, ``pids``...).
        hierarchy: the id of the cgroup v1 hierarchy the controller is mounted
            on; 0 when it is not mounted on a v1 hierarchy (unused, or bound to
            the unified cgroup v2 hierarchy).
        num_cgroups: the number of control groups in that hierarchy using
            this controller.
        enabled: whether the controller is enabled (``cgroup_disable=`` on
            the kernel command line turns one off).
    """

    subsys_name: str
    hierarchy: int
    num_cgroups: int
    enabled: bool


@parser("cgroups", read="single", since="2.6.24")
def parse_cgroups(data: bytes) -> list[CgroupController]:
    """Parse ``/proc/cgroups``: one record per controller, in the kernel's order.

    Lines starting with ``#`` (the header) are skipped. Columns after the
    fourth, should a future kernel add any, are ignored.
    """
    out = []
    for lineno, line in enumerate(data.split(b"\n"), 1):
        if not line or line[:1] == b"#":
            continue
        fields = line.split()
        if not fields:
            continue
        if len(fields) < 4:
            raise ParseError(f"expected 4 fields, found {len(fields)}", line=line, lineno=lineno)
        enabled = fields[3]
        if enabled not in (b"0", b"1"):
            raise ParseError("enabled is neither 0 nor 1", line=line, lineno=lineno)
        out.append(
            CgroupController(
                decode(fields[0]),
                parse_int(fields[1], "hierarchy"),
                parse_int(fields[2], "num_cgroups"),
                enabled == b"1",
            )
        )
    return out
