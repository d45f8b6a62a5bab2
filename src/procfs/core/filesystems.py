"""``/proc/filesystems``: the filesystem types the kernel supports now.

One line per type: ``nodev`` and a tab for types that need no block device
(``nodev\\tproc``), a tab alone for the others (``\\text4``). A type provided
by a module appears once the module is loaded.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Filesystem", "parse_filesystems"]


class Filesystem(Record):
    """One line of ``/proc/filesystems``.

    Attributes:
        name: the type's name, as given to mount(2) (``"ext4"``, ``"proc"``).
        nodev: whether the type is mounted without a block device (virtual
            and network filesystems: ``proc``, ``tmpfs``, ``nfs``).
    """

    name: str
    nodev: bool


@parser("filesystems", read="single", since="2.6")
def parse_filesystems(data: bytes) -> list[Filesystem]:
    """Every filesystem type of ``/proc/filesystems``, in the kernel's order."""
    out: list[Filesystem] = []
    for lineno, line in enumerate(lines(data), 1):
        flag, tab, name = line.partition(b"\t")
        name = name.strip()
        if not tab or flag not in (b"", b"nodev") or not name or b" " in name:
            if not line.strip():
                continue
            raise ParseError("expected '[nodev]<TAB>name'", line=line, lineno=lineno)
        out.append(Filesystem(decode(name), flag == b"nodev"))
    return out
