"""``/proc/iomem`` and ``/proc/ioports``: the kernel's resource trees.

``iomem`` maps physical memory (RAM, ROM, device memory, the kernel image);
``ioports`` the x86 I/O port space. Both print one resource per line
(kernel/resource.c ``r_show``), nested resources indented by two spaces per
level::

    00100000-bfffffff : System RAM
      01000000-0220bb07 : Kernel code
    c0001000-eebfffff : PCI Bus 0000:00

The addresses are hexadecimal and inclusive; the name may contain spaces
and colons. They are read here as a flat list in file order, each resource
with its :attr:`~IoResource.depth`; :func:`children` walks it as a tree.

Only a process with CAP_SYS_ADMIN sees the real addresses: for others the
kernel prints every address as 0 (``00000000-00000000 : System RAM``), and
so does this parser.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["IoResource", "children", "parse_iomem"]


class IoResource(Record):
    """One line of ``/proc/iomem`` or ``/proc/ioports``.

    Attributes:
        start: first address of the range (0 when hidden from the reader).
        end: last address of the range, inclusive (0 when hidden).
        name: what the range is (``"System RAM"``, ``"PCI Bus 0000:00"``,
            ``"Kernel code"``, a driver name).
        depth: nesting level: 0 for a top-level range, 1 for a range inside
            the closest preceding range of depth 0, and so on.
    """

    start: int
    end: int
    name: str
    depth: int = 0

    @property
    def size(self) -> int:
        """Length of the range in bytes (or ports); meaningless when addresses are hidden."""
        return self.end - self.start + 1


def children(resources: list[IoResource], index: int | None = None) -> list[int]:
    """Indexes in ``resources`` of the direct children of ``resources[index]``.

    With ``index=None``, the indexes of the top-level resources.
    """
    depth = 0 if index is None else resources[index].depth + 1
    out: list[int] = []
    for position in range(0 if index is None else index + 1, len(resources)):
        resource = resources[position]
        if resource.depth < depth:
            break
        if resource.depth == depth:
            out.append(position)
    return out


@parser("iomem", "ioports", since="2.6")
def parse_iomem(data: bytes) -> list[IoResource]:
    """Every resource of ``/proc/iomem`` or ``/proc/ioports``, in file order."""
    out: list[IoResource] = []
    previous = -1
    for lineno, line in enumerate(lines(data), 1):
        text = line.lstrip(b" ")
        if not text:
            raise ParseError("empty line", line=line, lineno=lineno)
        indent = len(line) - len(text)
        depth, odd = divmod(indent, 2)
        if odd or depth > previous + 1:
            raise ParseError("bad indentation", line=line, lineno=lineno)
        span, sep, name = text.partition(b" : ")
        start, dash, end = span.partition(b"-")
        if not sep or not dash:
            raise ParseError("expected 'start-end : name'", line=line, lineno=lineno)
        try:
            out.append(IoResource(int(start, 16), int(end, 16), decode(name), depth))
        except ValueError:
            raise ParseError("address is not hexadecimal", line=line, lineno=lineno) from None
        previous = depth
    return out
