"""Unix domain sockets: ``/proc/net/unix``.

::

    Num       RefCount Protocol Flags    Type St Inode Path
    0000000000000000: 00000002 00000000 00010000 0001 01 3442596 /run/a b.sock
    0000000000000000: 00000003 00000000 00000000 0001 03   10061 @abstract
    0000000000000000: 00000003 00000000 00000000 0001 03   10062

The columns up to ``Inode`` are numbers (hex but the inode); the path, when
the socket has one, follows after one space and runs to the end of the line,
spaces included. The kernel prints the bytes of the path as they are:

* a name in the abstract namespace (its first byte is NUL) is shown with
  ``@`` for that NUL, and with ``@`` for any other NUL in it; a path that
  really starts with ``@`` (a relative path) looks the same;
* a newline in a path ends the line early: the rest of the path comes on the
  next line, which this parser joins back (a line that cannot start an entry,
  after an entry with a path, continues that path).

A file without the ``Inode`` column (as in prometheus/procfs's fixture
``unix_without_inode``, modelled on very old kernels) is read too: the
header says which layout a file has, and ``inode`` is then ``None``.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Lazy, Record
from procfs.core.net import state_getter
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from procfs.core.sockstate import UnixState
else:

    def __getattr__(name: str) -> object:
        # UnixState is defined with enum, which is imported at its first use.
        if name == "UnixState":
            from procfs.core.sockstate import UnixState

            return UnixState
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["SO_ACCEPTCON", "UnixNetEntry", "UnixState", "parse_unix"]

#: The ``Flags`` bit of a listening socket (the kernel's ``__SO_ACCEPTCON``).
SO_ACCEPTCON = 1 << 16
_UNCONNECTED = 1  # UnixState.UNCONNECTED


class UnixNetEntry(Record):
    """One unix domain socket: a line of ``/proc/net/unix``.

    Attributes:
        num: The kernel address of the socket (``Num``; proc(5) calls it the
            slot number), as printed: zeros unless the reader is privileged.
        ref_count: The socket's reference count (``RefCount``).
        protocol: Always 0 (``Protocol``).
        flags: Socket flags (``Flags``): :data:`SO_ACCEPTCON` (``0x10000``)
            for a listening socket.
        socket_type: The socket type (``Type``): ``SOCK_STREAM``,
            ``SOCK_DGRAM`` or ``SOCK_SEQPACKET`` as numbered on the machine
            that wrote the file (1, 2 and 5 on most architectures; MIPS
            swaps 1 and 2). :mod:`socket` has the running machine's values.
        state: The socket's state (``St``), a :class:`UnixState` (stored as
            its number, converted when read; one without a name for a number
            it does not know).
        inode: The socket's inode number: ``socket:[inode]`` in
            ``/proc/[pid]/fd``; ``None`` for kernels without the column.
        path: The address the socket is bound to (or, for the server side
            of an accepted connection, the listener's), decoded with
            ``os.fsdecode``; ``@name`` for the abstract namespace; ``None``
            for an unnamed socket.
    """

    num: str
    ref_count: int
    protocol: int
    flags: int
    socket_type: int
    state: UnixState
    inode: int | None
    path: str | None

    __lazy__ = Lazy(getter=state_getter("UnixState"))

    @property
    def listening(self) -> bool:
        """Whether the socket listens for connections: unconnected, with ``SO_ACCEPTCON``
        in ``flags`` (what ``ss -l`` calls ``LISTEN`` and ``netstat`` ``LISTENING``)."""
        # (the stored number: reading ``state`` would import enum)
        return self._values[5] == _UNCONNECTED and bool(self.flags & SO_ACCEPTCON)

    @property
    def abstract(self) -> bool:
        """Whether the path looks like an abstract name: it starts with ``@`` (see the notes)."""
        return self.path is not None and self.path[:1] == "@"


def _entry(line: bytes, columns: int, with_inode: bool) -> list[object]:
    """The values of one entry line (the path still bytes, or ``None``); ParseError if not one."""
    fields = line.split(None, columns)
    if len(fields) <= columns:
        raise ParseError(f"expected at least {columns + 1} fields, found {len(fields)}")
    num = fields[0]
    if num[-1:] != b":" or num[:-1].strip(_HEX) or len(num) < 2:
        raise ParseError("expected the socket's address like '0000000000000000:'")
    last, space, path = fields[columns].partition(b" ")
    try:
        state = int(fields[5] if with_inode else last, 16)
        values: list[object] = [
            num[:-1].decode("ascii"),
            int(fields[1], 16),
            int(fields[2], 16),
            int(fields[3], 16),
            int(fields[4], 16),
            state,
            None,
            path if space else None,
        ]
    except ValueError as exc:
        raise ParseError(f"a column is not a number ({exc})") from None
    if with_inode:
        if not last.isdigit():
            raise ParseError("the inode is not a decimal number")
        values[6] = int(last)
    return values


_HEX = b"0123456789abcdefABCDEF"


@parser("net/unix", read="table", since="2.6")
def parse_unix(data: bytes) -> list[UnixNetEntry]:
    """The unix domain sockets, from ``/proc/net/unix``."""
    rows = data.split(b"\n")
    if rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise ParseError("empty file: expected the 'Num RefCount ...' header line")
    header = rows[0].split()
    if header[:1] != [b"Num"]:
        raise ParseError("expected the 'Num RefCount ...' header line", line=rows[0], lineno=1)
    with_inode = b"Inode" in header
    # the numeric columns after Num: RefCount Protocol Flags Type St [Inode]
    columns = 6 if with_inode else 5
    out: list[UnixNetEntry] = []
    make = UnixNetEntry._make
    # the values of the last entry, whose path (bytes, or None) may go on over the next lines
    pending: list[object] | None = None
    for lineno in range(1, len(rows)):
        line = rows[lineno]
        try:
            values = _entry(line, columns, with_inode) if line.strip() else None
        except ParseError as exc:
            if pending is not None and pending[-1] is not None:
                pending[-1] = pending[-1] + b"\n" + line  # type: ignore[operator]
                continue
            exc.line = line.decode("utf-8", "backslashreplace")
            exc.lineno = lineno + 1
            raise
        if values is None:  # a blank line: part of a path, or nothing
            if pending is not None and pending[-1] is not None:
                pending[-1] = pending[-1] + b"\n" + line  # type: ignore[operator]
            continue
        if pending is not None:
            if pending[-1] is not None:
                pending[-1] = decode(pending[-1])  # type: ignore[arg-type]
            out.append(make(pending))
        pending = values
    if pending is not None:
        if pending[-1] is not None:
            pending[-1] = decode(pending[-1])  # type: ignore[arg-type]
        out.append(make(pending))
    return out
