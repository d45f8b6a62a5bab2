r"""``/proc/slabinfo``: the kernel's slab caches (readable by root only).

Format version 2.1 (kernels since the 2.6 series; mm/slab_common.c)::

    slabinfo - version: 2.1
    # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> \
        : tunables <limit> <batchcount> <sharedfactor> \
        : slabdata <active_slabs> <num_slabs> <sharedavail>
    ext4_inode_cache    3719   3740   1080   30    8 : tunables    0    0    0 \
        : slabdata    110    110      0

(one line each in the file, broken here).
The second line names the columns; rows are read by those names, so
version 2.0 (which printed ``<batchcount>`` before ``<limit>``) and the
SLAB allocator's debug columns (``: globalstat ...``, ``: cpustat ...``,
CONFIG_DEBUG_SLAB, kept in ``extra``) are understood. Version 1.x (2.4
kernels, no column names) is not supported.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SlabCache", "SlabInfo", "parse_slabinfo"]


class SlabCache(Record):
    """One slab cache (a row of ``/proc/slabinfo``).

    Attributes:
        name: the cache name (``kmalloc-64``, ``dentry``, ...).
        active_objs: objects in use.
        num_objs: objects allocated (in use or free in the cache's slabs).
        objsize: size of one object, in BYTES.
        objperslab: objects per slab.
        pagesperslab: PAGES per slab.
        limit: (SLAB allocator tunable) most free objects kept per CPU; 0
            with SLUB.
        batchcount: (SLAB tunable) objects moved at a time between the
            per-CPU caches and the slabs; 0 with SLUB.
        sharedfactor: (SLAB tunable) size of the per-node shared cache; 0
            with SLUB.
        active_slabs: slabs with at least one object in use.
        num_slabs: slabs in the cache.
        sharedavail: (SLAB) objects in the shared per-node caches; 0 with SLUB.
        extra: other columns, by their header name (the CONFIG_DEBUG_SLAB
            ``globalstat`` and ``cpustat`` counters).
    """

    name: str
    active_objs: int
    num_objs: int
    objsize: int
    objperslab: int
    pagesperslab: int
    limit: int
    batchcount: int
    sharedfactor: int
    active_slabs: int
    num_slabs: int
    sharedavail: int
    extra: dict[str, int] = {}


class SlabInfo(Record):
    """The content of ``/proc/slabinfo``.

    Attributes:
        version: the format version from the first line (``"2.1"``, or
            ``"2.1 (statistics)"`` from a SLAB allocator with CONFIG_DEBUG_SLAB).
        caches: the slab caches, in the kernel's order.
    """

    version: str
    caches: list[SlabCache]

    def get(self, name: str) -> SlabCache | None:
        """The cache called ``name``, if there is one."""
        for cache in self.caches:
            if cache.name == name:
                return cache
        return None


_FIELDS = SlabCache._fields[1:-1]


@parser("slabinfo", since="2.6 (format 2.x; root only)")
def parse_slabinfo(data: bytes) -> SlabInfo:
    """Parse ``/proc/slabinfo`` (version 2.x; see :class:`SlabInfo`)."""
    rows = data.split(b"\n")
    first = rows[0]
    prefix = b"slabinfo - version:"
    if not first.startswith(prefix):
        raise ParseError("no 'slabinfo - version:' line", line=first, lineno=1)
    version = first[len(prefix) :].strip()
    if version[:2] != b"2.":
        raise ParseError("unsupported slabinfo version", line=first, lineno=1)
    if len(rows) < 2 or not rows[1].startswith(b"# name"):
        raise ParseError("no '# name' header line", line=rows[1] if len(rows) > 1 else b"")
    header = rows[1].split()[2:]
    # For each header token: the column name, or None for ":" and group labels.
    columns: list[str | None] = []
    for token in header:
        if token[:1] == b"<" and token[-1:] == b">" and len(token) > 2:
            columns.append(decode(token[1:-1]))
        else:
            columns.append(None)
    names = [name for name in columns if name is not None]
    if len(set(names)) != len(names):
        raise ParseError("a column is named twice", line=rows[1], lineno=2)
    for name in _FIELDS:
        if name not in names:
            raise ParseError(f"no <{name}> column", line=rows[1], lineno=2)
    width = len(header)
    caches = []
    for lineno in range(3, len(rows) + 1):
        line = rows[lineno - 1]
        tokens = line.split()
        if not tokens:
            continue
        if len(tokens) != width + 1:
            raise ParseError(
                f"expected {width + 1} fields, found {len(tokens)}", line=line, lineno=lineno
            )
        values: dict[str, int] = {}
        for token, column, label in zip(tokens[1:], columns, header, strict=True):
            if column is None:
                if token != label:
                    raise ParseError(f"expected {decode(label)!r}", line=line, lineno=lineno)
            elif token.isdigit():
                values[column] = int(token)
            else:
                raise ParseError(f"{column} is not a number", line=line, lineno=lineno)
        fields: list[Any] = [decode(tokens[0])]
        fields += [values.pop(name) for name in _FIELDS]
        fields.append(values)
        caches.append(SlabCache._make(fields))
    return SlabInfo(decode(version), caches)
