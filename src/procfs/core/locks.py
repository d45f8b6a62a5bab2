"""``/proc/locks``: the file locks held, and the requests waiting for them.

One lock per line (fs/locks.c ``lock_get_status``)::

    1: POSIX  ADVISORY  WRITE 723 00:14:16845 0 EOF
    6: POSIX  ADVISORY  WRITE 1280 00:14:16200 0 0
    6: -> POSIX  ADVISORY  WRITE 1281 00:14:16200 0 0
    7: OFDLCK ADVISORY  READ  -1 00:06:1028 0 EOF
    8: FLOCK  ADVISORY  WRITE 6471 fd:00:529426 0 EOF

Columns: an ordinal, the lock type, its mode, its kind, the owner's pid,
``major:minor:inode`` of the locked file (major and minor in hexadecimal,
the inode in decimal; ``<none>:0`` when the lock has no inode), and the
first and last byte locked (``EOF``: to the end of the file).

A line whose type is preceded by ``->`` is a request blocked by the lock of
the same ordinal, listed right after it. Since 5.13 the kernel shows the
whole tree of blocked requests, indenting ``->`` by one space per level; the
level is :attr:`Lock.depth`.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Lock", "parse_locks"]


class Lock(Record):
    """One line of ``/proc/locks`` (field names as in the Rust crate).

    Attributes:
        id: the ordinal of the lock in the file (a blocked request has the
            ordinal of the lock it waits for).
        lock_type: ``"POSIX"`` (fcntl(2) or lockf(3) record lock),
            ``"FLOCK"`` (flock(2)), ``"OFDLCK"`` (open file description lock,
            fcntl F_OFD_SETLK), ``"LEASE"``, ``"DELEG"`` (NFS delegation),
            ``"ACCESS"``; kept as printed.
        mode: ``"ADVISORY"`` or ``"MANDATORY"`` (mandatory locking was
            removed in 5.15); for leases ``"ACTIVE"``, ``"BREAKING"`` or
            ``"BREAKER"``; ``"*NOINODE*"`` when the lock has no inode.
        kind: ``"READ"`` (shared), ``"WRITE"`` (exclusive) or ``"UNLCK"``.
        pid: the owning process, ``None`` when the kernel prints ``-1``
            (OFD locks since 4.14: they belong to an open file, not a
            process). Remote (NFS) locks may show other values of 0 or less.
        devmaj: major number of the device holding the file (``None`` for
            ``<none>``).
        devmin: minor number of that device (``None`` for ``<none>``).
        inode: inode number of the locked file (``None`` for ``<none>``).
        offset_first: first byte locked (0 for flock locks and leases).
        offset_last: last byte locked, inclusive, or ``None`` for ``EOF``
            (the lock extends to the end of the file, however large).
        depth: 0 for a lock that is held; for a request waiting on it
            (``->``), its level in the tree of blocked requests (1 = waits
            on the held lock; deeper levels appear since 5.13).
    """

    id: int
    lock_type: str
    mode: str
    kind: str
    pid: int | None
    devmaj: int | None
    devmin: int | None
    inode: int | None
    offset_first: int
    offset_last: int | None
    depth: int = 0

    @property
    def blocked(self) -> bool:
        """Whether this is a request waiting for a lock (a ``->`` line)."""
        return self.depth > 0


def _parse_line(line: bytes) -> Lock:
    ordinal, colon, rest = line.partition(b":")
    if not colon:
        raise ValueError("no ':' after the ordinal")
    body = rest.lstrip(b" ")
    depth = 0
    if body.startswith(b"->"):
        depth = len(rest) - len(body)
        body = body[2:]
    fields = body.split()
    if len(fields) != 7:
        raise ValueError(f"expected 7 fields after the ordinal, found {len(fields)}")
    lock_type, mode, kind, pid_raw, file_id, first, last = fields
    pid: int | None = int(pid_raw)
    if pid == -1:
        pid = None
    if file_id == b"<none>:0":
        devmaj = devmin = inode = None
    else:
        major, minor, number = file_id.split(b":")
        devmaj, devmin, inode = int(major, 16), int(minor, 16), int(number)
    return Lock(
        int(ordinal),
        decode(lock_type),
        decode(mode),
        decode(kind),
        pid,
        devmaj,
        devmin,
        inode,
        int(first),
        None if last == b"EOF" else int(last),
        depth,
    )


@parser("locks", since="2.6 (OFD locks 3.15)")
def parse_locks(data: bytes) -> list[Lock]:
    """Every lock and blocked request of ``/proc/locks``, in file order."""
    out: list[Lock] = []
    for lineno, line in enumerate(lines(data), 1):
        try:
            out.append(_parse_line(line))
        except ValueError as exc:
            raise ParseError(f"malformed lock ({exc})", line=line, lineno=lineno) from None
    return out
