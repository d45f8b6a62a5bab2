"""``/proc/[pid]/ns/*``: the namespaces a process is in.

Each entry of the ``ns`` directory is a symbolic link whose text names the
namespace type and its inode number (see namespaces(7))::

    net -> net:[4026531840]

Two processes share a namespace when the links resolve to the same inode on
the same device (the ``nsfs`` filesystem); the text alone gives the inode,
the live reader (:meth:`procfs.Process.namespaces`) adds the device from
``stat`` on the link. The entries ``pid_for_children`` and
``time_for_children`` name the namespace the process's future children will
get; their text says ``pid`` and ``time``.

The parser is registered once per entry name (``"[pid]/ns/net"``, ...); its
input is the link's target text.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["NAMESPACE_ENTRIES", "Namespace", "parse_namespace"]

#: The entries of ``/proc/[pid]/ns`` known to this module (a kernel may have fewer).
NAMESPACE_ENTRIES = (
    "cgroup",
    "ipc",
    "mnt",
    "net",
    "pid",
    "pid_for_children",
    "time",
    "time_for_children",
    "user",
    "uts",
)


class Namespace(Record):
    """One namespace, from the target of a ``/proc/[pid]/ns/<name>`` link.

    Two records are equal when they name the same namespace: same type,
    inode and device (the device is ``None`` when only the link text was
    read, as from a captured tree).

    Attributes:
        ns_type: The namespace type the kernel names in the link
            (``"net"``, ``"mnt"``, ``"pid"``, ``"user"``, ...).
        inode: The inode number of the namespace on the nsfs filesystem.
        device: The ``st_dev`` of that inode (``os.stat`` on the link), or
            ``None`` when unknown.
    """

    ns_type: str
    inode: int
    device: int | None = None


_TYPES: dict[bytes, str] = {}


@parser(
    "[pid]/ns/net",
    *(f"[pid]/ns/{name}" for name in NAMESPACE_ENTRIES if name != "net"),
    *(f"[pid]/task/[tid]/ns/{name}" for name in NAMESPACE_ENTRIES),
    since="3.0 (pid_for_children 4.12, time 5.6)",
)
def parse_namespace(data: bytes) -> Namespace:
    """Parse the target of an ns link, ``b"net:[4026531840]"`` (device unknown)."""
    text = data.rstrip(b"\n")
    kind, colon, rest = text.partition(b":")
    if not colon or not kind or not rest.startswith(b"[") or not rest.endswith(b"]"):
        raise ParseError("not a namespace link ('type:[inode]')", line=text)
    number = rest[1:-1]
    if not number.isdigit():
        raise ParseError("the namespace inode is not a number", line=text)
    ns_type = _TYPES.get(kind)
    if ns_type is None:
        ns_type = _TYPES.setdefault(kind, decode(kind))
    return Namespace(ns_type, int(number))
