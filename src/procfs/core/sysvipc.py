"""``/proc/sysvipc/{shm,sem,msg}``: System V IPC objects of the reader's IPC namespace.

Each file is a table whose first line names the columns (ipc/shm.c,
ipc/sem.c, ipc/msg.c)::

           key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime
             0          0   640          3     0     0     0     0          0 1700000000

Rows are read by the header's names, so a kernel with fewer or more columns
is understood: ``rss`` and ``swap`` of ``shm`` (2.6.32) are ``None`` when
missing, and columns this module does not know are kept in ``extra``. The
``perms`` column is printed in OCTAL and read as such (``600`` is
``0o600``). Times are seconds since the Unix epoch, 0 for "never". Every
object of the namespace is listed, whatever its permissions.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    R = TypeVar("R", bound=Record)

__all__ = [
    "MessageQueue",
    "SemaphoreSet",
    "SharedMemorySegment",
    "parse_sysvipc_msg",
    "parse_sysvipc_sem",
    "parse_sysvipc_shm",
]

# Mode bits of a segment beyond the permissions (<linux/shm.h>).
_SHM_DEST = 0o1000
_SHM_LOCKED = 0o2000


class SharedMemorySegment(Record):
    """One row of ``/proc/sysvipc/shm``.

    Attributes:
        key: the key given to shmget(2) (0 for ``IPC_PRIVATE``; printed signed).
        shmid: the segment's identifier.
        perms: its mode (OCTAL in the file): permission bits, plus 0o1000
            when it is marked for destruction and 0o2000 when locked in memory.
        size: size in BYTES.
        cpid: pid of the creator.
        lpid: pid of the last process to attach or detach it.
        nattch: number of attachments.
        uid: owner's user id.
        gid: owner's group id.
        cuid: creator's user id.
        cgid: creator's group id.
        atime: time of the last attach (seconds since the epoch, 0: never).
        dtime: time of the last detach.
        ctime: time of creation or of the last change by shmctl(2).
        rss: (2.6.32) part resident in memory, in BYTES.
        swap: (2.6.32) part in swap, in BYTES.
        extra: columns this module does not know, by header name.
    """

    key: int
    shmid: int
    perms: int
    size: int
    cpid: int
    lpid: int
    nattch: int
    uid: int
    gid: int
    cuid: int
    cgid: int
    atime: int
    dtime: int
    ctime: int
    rss: int | None = None
    swap: int | None = None
    extra: dict[str, int] = {}

    @property
    def marked_for_destruction(self) -> bool:
        """IPC_RMID was called; the segment goes when the last process detaches (SHM_DEST)."""
        return bool(self.perms & _SHM_DEST)

    @property
    def locked(self) -> bool:
        """The segment is locked in memory by SHM_LOCK (SHM_LOCKED)."""
        return bool(self.perms & _SHM_LOCKED)


class SemaphoreSet(Record):
    """One row of ``/proc/sysvipc/sem``.

    Attributes:
        key: the key given to semget(2) (0 for ``IPC_PRIVATE``).
        semid: the set's identifier.
        perms: its permission bits (OCTAL in the file).
        nsems: number of semaphores in the set.
        uid: owner's user id.
        gid: owner's group id.
        cuid: creator's user id.
        cgid: creator's group id.
        otime: time of the last semop(2) (seconds since the epoch, 0: never).
        ctime: time of creation or of the last change by semctl(2).
        extra: columns this module does not know, by header name.
    """

    key: int
    semid: int
    perms: int
    nsems: int
    uid: int
    gid: int
    cuid: int
    cgid: int
    otime: int
    ctime: int
    extra: dict[str, int] = {}


class MessageQueue(Record):
    """One row of ``/proc/sysvipc/msg``.

    Attributes:
        key: the key given to msgget(2) (0 for ``IPC_PRIVATE``).
        msqid: the queue's identifier.
        perms: its permission bits (OCTAL in the file).
        cbytes: BYTES of message text in the queue now.
        qnum: number of messages in the queue now.
        lspid: pid of the last process to send (msgsnd(2)).
        lrpid: pid of the last process to receive (msgrcv(2)).
        uid: owner's user id.
        gid: owner's group id.
        cuid: creator's user id.
        cgid: creator's group id.
        stime: time of the last msgsnd (seconds since the epoch, 0: never).
        rtime: time of the last msgrcv.
        ctime: time of creation or of the last change by msgctl(2).
        extra: columns this module does not know, by header name.
    """

    key: int
    msqid: int
    perms: int
    cbytes: int
    qnum: int
    lspid: int
    lrpid: int
    uid: int
    gid: int
    cuid: int
    cgid: int
    stime: int
    rtime: int
    ctime: int
    extra: dict[str, int] = {}


def _table(data: bytes, cls: type[R], required: int) -> list[R]:
    """Rows of a sysvipc table as ``cls``, reading columns by the header's names.

    The first ``required`` fields of ``cls`` must be columns of the file; the
    other named fields (all but ``extra``) are ``None`` when missing.
    """
    rows = data.split(b"\n")
    start = 0
    while start < len(rows) and not rows[start].strip():
        start += 1
    if start == len(rows):
        raise ParseError("no header line")
    header = [decode(name) for name in rows[start].split()]
    if len(set(header)) != len(header):
        raise ParseError("a column is named twice", line=rows[start], lineno=start + 1)
    position = {name: index for index, name in enumerate(header)}
    known = cls._fields[:-1]
    for name in known[:required]:
        if name not in position:
            raise ParseError(f"no {name!r} column", line=rows[start], lineno=start + 1)
    picks = [position.get(name) for name in known]
    unknown = [(name, index) for index, name in enumerate(header) if name not in known]
    perms = position["perms"]
    width = len(header)
    out = []
    for lineno in range(start + 2, len(rows) + 1):
        line = rows[lineno - 1]
        fields = line.split()
        if not fields:
            continue
        if len(fields) != width:
            raise ParseError(
                f"expected {width} columns, found {len(fields)}", line=line, lineno=lineno
            )
        try:
            numbers = [
                int(field, 8) if i == perms else int(field) for i, field in enumerate(fields)
            ]
        except ValueError:
            raise ParseError("a column is not a number", line=line, lineno=lineno) from None
        values: list[Any] = [None if pick is None else numbers[pick] for pick in picks]
        values.append({name: numbers[index] for name, index in unknown})
        out.append(cls._make(values))
    return out


@parser("sysvipc/shm", since="2.6 (rss, swap 2.6.32)")
def parse_sysvipc_shm(data: bytes) -> list[SharedMemorySegment]:
    """Parse ``/proc/sysvipc/shm`` (see :class:`SharedMemorySegment`)."""
    return _table(data, SharedMemorySegment, 14)


@parser("sysvipc/sem", since="2.6")
def parse_sysvipc_sem(data: bytes) -> list[SemaphoreSet]:
    """Parse ``/proc/sysvipc/sem`` (see :class:`SemaphoreSet`)."""
    return _table(data, SemaphoreSet, 10)


@parser("sysvipc/msg", since="2.6")
def parse_sysvipc_msg(data: bytes) -> list[MessageQueue]:
    """Parse ``/proc/sysvipc/msg`` (see :class:`MessageQueue`)."""
    return _table(data, MessageQueue, 14)
