"""Internet socket tables: ``/proc/net/{tcp,tcp6,udp,udp6,raw,raw6}``.

Each line of these files describes one socket of the reading process's
network namespace; the six files share one layout::

      sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
       0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2740

The TCP tables then print TCP details (:class:`TcpNetEntry`); the UDP and raw
tables print a reference count, the socket's kernel address and a count of
dropped datagrams (:class:`UdpNetEntry`, :class:`RawNetEntry`). One parser,
:func:`parse_inet_table`, reads all of them.

The kernel prints an address word by word: it reads each 32-bit word of the
address (stored in network byte order) as a host integer and prints it with
``%08X``. On a little-endian machine the bytes of each word thus appear
reversed: ``0100007F`` is ``127.0.0.1``. An IPv6 address is four such
words. Ports are converted to host order first and read as written. The parsers here
assume the byte order of the running machine; the ``parse_*_table`` functions
take another one for files captured elsewhere.

Addresses are formatted here (RFC 5952 for IPv6, ``::ffff:a.b.c.d`` for an
IPv4-mapped address) rather than through :mod:`socket` or :mod:`ipaddress`,
which cost milliseconds to import.

A table in the usual layout is read with each distinct column token
converted once: thousands of sockets share a few addresses, states, queues
and timers, and entries share the equal values (``SocketAddress`` records
included). A :class:`TcpNetEntry` read that way keeps the trailing columns
as their bytes and decodes and splits them when :attr:`TcpNetEntry.extra` is
read. Anything else is read line by line, which names the line at fault.

:class:`TcpState` (an :class:`enum.IntEnum`, defined in
:mod:`procfs.core.sockstate` and importable from here) also numbers the
states of UDP and raw sockets, which the kernel keeps with TCP's constants:
``CLOSE`` (7) for an unconnected socket, ``ESTABLISHED`` (1) for one
connected with connect(2). An entry stores the state's number and gives the
member when ``state`` is read, so that reading a table does not import
:mod:`enum` (a few milliseconds of every ``procfs netstat`` run).
"""

from __future__ import annotations

import sys as _sys
from _operator import methodcaller as _methodcaller

from procfs.core._parse import parse_int, parser
from procfs.core._record import Lazy, Record, items_getter
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, TypeVar

    from procfs.core._record import Getter
    from procfs.core.sockstate import TcpState

    _Entry = TypeVar("_Entry", bound=Record)
    _Row = TypeVar("_Row")
else:

    def __getattr__(name: str) -> object:
        # TcpState is defined with enum, which is imported at its first use.
        if name == "TcpState":
            from procfs.core.sockstate import TcpState

            return TcpState
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RawNetEntry",
    "SocketAddress",
    "TcpNetEntry",
    "TcpState",
    "UdpNetEntry",
    "fields_reader",
    "format_ipv6",
    "lines_with_inodes",
    "parse_inet_table",
    "parse_raw",
    "parse_raw6",
    "parse_raw_table",
    "parse_socket_address",
    "parse_tcp",
    "parse_tcp6",
    "parse_tcp_table",
    "parse_udp",
    "parse_udp6",
    "parse_udp_table",
]

_NATIVE: str = _sys.byteorder


def state_getter(states: str) -> Getter:
    """The ``Lazy`` getter of an entry whose field ``state`` holds the kernel's number.

    Reading the field gives the member of :mod:`procfs.core.sockstate`'s enum
    ``states`` for the number (that module, and :mod:`enum`, are imported at
    the first read), one member per number, looked up in a dict afterwards.
    """
    members: dict[int, Any] = {}

    def getter(name: str, index: int) -> Callable[[Any], Any] | None:
        if name != "state":
            return None

        def get(entry: Any) -> Any:
            number = entry._values[index]
            member = members.get(number)
            if member is None:
                from procfs.core import sockstate

                member = members[number] = getattr(sockstate, states)(number)
            return member

        return get

    return getter


def _text_columns(rest: bytes) -> tuple[str, ...]:
    """The columns of a line's rest that are kept as text (decoded as os.fsdecode does)."""
    return tuple(rest.decode("utf-8", "surrogateescape").split())


class SocketAddress(Record):
    """An IP address and a port, as the socket tables give them.

    ``str()`` gives ``127.0.0.1:22`` for IPv4 and ``[::1]:22`` for IPv6.

    Attributes:
        ip: The address in its usual text form: dotted quad for IPv4; RFC 5952
            for IPv6 (lower-case hex, the longest run of zero groups shortened
            to ``::``), with ``::ffff:a.b.c.d`` for an IPv4-mapped address.
            ``0.0.0.0`` and ``::`` mean "any address" (an unbound or
            listening socket).
        port: The TCP port (0 when there is none, e.g. the remote end of a
            listening socket).
    """

    ip: str
    port: int

    @property
    def family(self) -> int:
        """4 for an IPv4 address, 6 for an IPv6 address (IPv4-mapped included)."""
        return 6 if ":" in self.ip else 4

    def __str__(self) -> str:
        if ":" in self.ip:
            return f"[{self.ip}]:{self.port}"
        return f"{self.ip}:{self.port}"


class TcpNetEntry(Record):
    """One socket: a line of ``/proc/net/tcp`` or ``/proc/net/tcp6``.

    Attributes:
        local_address: This end's address and port (``local_address``).
        remote_address: The peer's address and port (``rem_address``);
            the "any" address with port 0 when not connected.
        state: The socket's state (``st``), a :class:`TcpState` (one without
            a name for a number it does not know).
        tx_queue: Bytes in the send queue: sent but not yet acknowledged by
            the peer (0 for a listening socket).
        rx_queue: For a connected socket, bytes received but not yet read by
            the application; for a listening socket, connections waiting to
            be accepted.
        tr: Which timer is pending (``tr``): 0 none, 1 retransmit (or loss
            probe), 2 keepalive, 3 TIME_WAIT, 4 zero-window probe.
        tm_when: Time until that timer expires (``tm->when``), in clock ticks
            (``USER_HZ``; see :func:`procfs.ticks_per_second`).
        retrnsmt: Retransmission timeouts not yet recovered from
            (``retrnsmt``); for a pending connection request, the SYN-ACKs
            resent.
        uid: The effective user id that owns the socket.
        timeout: Zero-window probes sent and not answered (the column the
            header calls ``timeout``).
        inode: The socket's inode number: ``socket:[inode]`` in
            ``/proc/[pid]/fd``. 0 for sockets no process holds (TIME_WAIT,
            pending connection requests).
        extra: The remaining columns, as text, in order. For a full socket:
            reference count, kernel address of the socket (zeros unless
            privileged), retransmit timeout, delayed-ACK timeout (both in
            clock ticks), ``(quick ACK count << 1) | ping-pong``, congestion
            window (segments), and slow-start threshold (-1 while in initial
            slow start; for a listener, its maximum SYN backlog of fast open).
            TIME_WAIT and request sockets print fewer.
    """

    local_address: SocketAddress
    remote_address: SocketAddress
    state: TcpState
    tx_queue: int
    rx_queue: int
    tr: int
    tm_when: int
    retrnsmt: int
    uid: int
    timeout: int
    inode: int
    extra: tuple[str, ...] = ()

    # The state is stored as its number; the fast reading keeps the rest of
    # the line as its bytes: decoded and split on access, as the strict
    # reading does at once.
    __lazy__ = Lazy(getter=state_getter("TcpState"), extra=_text_columns)


class UdpNetEntry(Record):
    """One socket: a line of ``/proc/net/udp`` or ``/proc/net/udp6``.

    ``net/udplite`` and ``net/udplite6`` have the same layout and are read
    into this record too.

    Attributes:
        local_address: This end's address and port (``local_address``).
        remote_address: The peer's address and port (``rem_address``) for a
            socket connected with connect(2); the "any" address with port 0
            otherwise.
        state: The socket's state (``st``), numbered as TCP's:
            ``TcpState.CLOSE`` (7) for an unconnected socket (``ss`` shows
            ``UNCONN``), ``TcpState.ESTABLISHED`` (1) for a connected one.
        tx_queue: Bytes in the send queue (memory charged to the socket for
            datagrams not yet handed to the device).
        rx_queue: Bytes in the receive queue, waiting to be read (memory
            charged, so more than the payload).
        tr: Always 0 (UDP has no timers in this table).
        tm_when: Always 0.
        retrnsmt: Always 0.
        uid: The effective user id that owns the socket.
        timeout: Always 0.
        inode: The socket's inode number: ``socket:[inode]`` in
            ``/proc/[pid]/fd``.
        ref_count: The socket's reference count.
        pointer: The kernel address of the socket, as printed (zeros unless
            the reader is privileged; see ``kptr_restrict``).
        drops: Datagrams dropped on receipt (full receive buffer, failed
            checksum or filter); ``None`` before Linux 2.6.27, which lacks
            the column.
        extra: Any columns after ``drops``, as text (none today).
    """

    local_address: SocketAddress
    remote_address: SocketAddress
    state: TcpState
    tx_queue: int
    rx_queue: int
    tr: int
    tm_when: int
    retrnsmt: int
    uid: int
    timeout: int
    inode: int
    ref_count: int
    pointer: str
    drops: int | None = None
    extra: tuple[str, ...] = ()

    # (the state is stored as its number)
    __lazy__ = Lazy(getter=state_getter("TcpState"))


class RawNetEntry(UdpNetEntry):
    """One raw socket: a line of ``/proc/net/raw`` or ``/proc/net/raw6``.

    The columns (and fields) are those of the UDP tables
    (:class:`UdpNetEntry`), but the local "port" is the IP protocol number
    the socket was opened for (1 for ICMP, 58 for ICMPv6, 255 for
    ``IPPROTO_RAW``): see :attr:`protocol`.

    Attributes:
        local_address: The bound address and, as its port, the protocol
            number.
        remote_address: The peer's address for a connected socket (port 0);
            the "any" address otherwise.
        state: ``TcpState.CLOSE`` (7) unless connected (``ESTABLISHED``, 1).
        tx_queue: Bytes in the send queue.
        rx_queue: Bytes in the receive queue, waiting to be read.
        tr: Always 0.
        tm_when: Always 0.
        retrnsmt: Always 0.
        uid: The effective user id that owns the socket.
        timeout: Always 0.
        inode: The socket's inode number: ``socket:[inode]`` in
            ``/proc/[pid]/fd``.
        ref_count: The socket's reference count.
        pointer: The kernel address of the socket, as printed (zeros unless
            privileged).
        drops: Packets dropped on receipt; ``None`` before Linux 2.6.27.
        extra: Any columns after ``drops``, as text (none today).
    """

    @property
    def protocol(self) -> int:
        """The IP protocol number of the socket (the local port column)."""
        return self.local_address.port


def format_ipv6(packed: bytes) -> str:
    """The RFC 5952 text of a 16-byte IPv6 address in network order.

    Lower-case hex without leading zeros, the longest run (the first of equal
    ones) of two or more zero groups written ``::``, and ``::ffff:a.b.c.d``
    for an IPv4-mapped address.
    """
    if len(packed) != 16:
        raise ParseError(f"an IPv6 address has 16 bytes, not {len(packed)}")
    if packed[:12] == b"\0\0\0\0\0\0\0\0\0\0\xff\xff":
        return f"::ffff:{packed[12]}.{packed[13]}.{packed[14]}.{packed[15]}"
    groups = [packed[i] << 8 | packed[i + 1] for i in range(0, 16, 2)]
    best_start = -1
    best_len = 1  # a single zero group is not shortened
    index = 0
    while index < 8:
        if groups[index]:
            index += 1
            continue
        end = index + 1
        while end < 8 and not groups[end]:
            end += 1
        if end - index > best_len:
            best_start = index
            best_len = end - index
        index = end
    if best_start < 0:
        return ":".join([f"{g:x}" for g in groups])
    head = ":".join([f"{g:x}" for g in groups[:best_start]])
    tail = ":".join([f"{g:x}" for g in groups[best_start + best_len :]])
    return f"{head}::{tail}"


def _ip(token: bytes, little: bool) -> str:
    """The text of an address column's hex part (8 or 32 hex digits)."""
    size = len(token)
    if size != 8 and size != 32:
        raise ParseError(f"an address has 8 (IPv4) or 32 (IPv6) hex digits, not {size}", line=token)
    value = parse_int(token, "address", 16)
    if value < 0:
        raise ParseError("address is negative", line=token)
    raw = value.to_bytes(size // 2, "big")
    if size == 8:
        if little:
            return f"{raw[3]}.{raw[2]}.{raw[1]}.{raw[0]}"
        return f"{raw[0]}.{raw[1]}.{raw[2]}.{raw[3]}"
    if little:  # each 32-bit word was printed in host (little-endian) order
        raw = raw[3::-1] + raw[7:3:-1] + raw[11:7:-1] + raw[15:11:-1]
    return format_ipv6(raw)


def _port(token: bytes) -> int:
    port = parse_int(token, "port", 16)
    if not 0 <= port <= 0xFFFF or not token:
        raise ParseError("port out of range", line=token)
    return port


def parse_socket_address(token: bytes, byteorder: str = _NATIVE) -> SocketAddress:
    """One ``ADDRESS:PORT`` column (``0100007F:0016`` is ``127.0.0.1:22``).

    ``byteorder`` (``"little"`` or ``"big"``) is that of the machine that
    wrote the file; it defaults to this machine's.
    """
    ip, found, port = token.partition(b":")
    if not found:
        raise ParseError("an address needs ':PORT'", line=token)
    return SocketAddress(_ip(ip, _little(byteorder)), _port(port))


def _little(byteorder: str) -> bool:
    if byteorder == "little":
        return True
    if byteorder == "big":
        return False
    raise ValueError(f"byteorder must be 'little' or 'big', not {byteorder!r}")


def parse_inet_table(data: bytes, record: type[_Entry], byteorder: str = _NATIVE) -> list[_Entry]:
    """The sockets of any of the six tables, as ``record`` entries.

    ``record`` is :class:`TcpNetEntry` (for ``net/tcp`` and ``net/tcp6``),
    :class:`UdpNetEntry` (``net/udp``, ``net/udp6``, ``net/udplite``...) or
    :class:`RawNetEntry` (``net/raw``, ``net/raw6``); ``byteorder``
    (``"little"`` or ``"big"``) is that of the machine that wrote the file.
    Either family may appear in either file; each address says which it is.
    Raises :class:`~procfs.errors.ParseError` for anything it cannot read (a
    missing header line included), naming the line.
    """
    datagram = _datagram(record)
    little = _little(byteorder)
    try:
        return _fast_table(data, record._make, datagram, little)
    except (ParseError, ValueError, IndexError):
        pass  # the strict reading below names the line at fault
    return _strict_table(data, record, datagram, little)


def _datagram(record: type[Record]) -> bool:
    """Whether ``record`` is a UDP or raw entry (True) or a TCP one (False)."""
    if record is TcpNetEntry:
        return False
    if record is UdpNetEntry or record is RawNetEntry:
        return True
    raise TypeError(f"not a socket table record: {record!r}")


#: The fields a table reading gives as they are, before the ones a record type adds.
_COLUMNS = TcpNetEntry._fields[:11]


def fields_reader(
    record: type[Record], names: Sequence[str], byteorder: str = _NATIVE
) -> Callable[[bytes], list[tuple[Any, ...]]]:
    """A function that reads the fields ``names`` of every socket of a table, as tuples.

    ``record`` and ``byteorder`` are those of :func:`parse_inet_table`;
    ``names`` are fields or properties of ``record``. Each tuple holds the
    values of one entry's attributes ``names``, in that order, and errors are
    the parser's: ``read(data)`` is ``[(e.name1, e.name2...) for e in
    parse_inet_table(data, record, byteorder)]``. For the columns every
    table has (``local_address`` to ``inode``) and a table in the usual
    layout, no record is made, and ``state`` comes as the kernel's number
    (equal to the :class:`TcpState` member, whose import :mod:`enum` would
    cost). An unknown name raises :class:`ValueError`.
    """
    datagram = _datagram(record)
    little = _little(byteorder)
    record.check_fields(names)
    get = record.fields_getter(names)
    if not set(names) <= set(_COLUMNS):
        return lambda data: list(map(get, parse_inet_table(data, record, byteorder)))
    pick = items_getter([_COLUMNS.index(name) for name in names])

    def read(data: bytes) -> list[tuple[Any, ...]]:
        try:
            return _fast_table(data, pick, datagram, little)
        except (ParseError, ValueError, IndexError):
            pass  # the strict reading names the line at fault
        return list(map(get, _strict_table(data, record, datagram, little)))

    return read


def _fast_table(
    data: bytes, finish: Callable[[Any], _Row], datagram: bool, little: bool
) -> list[_Row]:
    """:func:`parse_inet_table` with each repeated column token parsed once.

    Many sockets share an address (a listener's), a state, a queue or a
    timer column, so each distinct token is converted once and looked up
    afterwards (the records share the equal values). Lines split as the
    strict reading splits them (bytes, ASCII whitespace); a line it does not
    expect (too few columns, a blank line) raises, as does a bad token.
    ``finish`` makes each line's value from the tuple of its record's fields
    (the record's ``_make``; a TCP line's ``extra`` as the rest's bytes).
    Gives what ``finish`` gives for the records :func:`_strict_table` gives,
    or raises.
    """
    rows = data.split(b"\n")
    if not rows[0].lstrip().startswith(b"sl"):
        raise ParseError("no header")
    if not rows[-1]:
        rows.pop()  # after the last newline
    addresses: dict[bytes, SocketAddress] = {}
    ips: dict[bytes, str] = {}
    states: dict[bytes, int] = {}
    firsts: dict[bytes, int] = {}  # "AAAA:BBBB" columns (queues, timer) -> AAAA, BBBB
    seconds: dict[bytes, int] = {}
    hexes: dict[bytes, int] = {}
    numbers: dict[bytes, int] = {}
    out: list[_Row] = []
    append = out.append
    address = addresses.get
    # The first ten columns, then the rest as one token: a TCP entry keeps it
    # (split when TcpNetEntry.extra is read); a datagram's is read on.
    tail = _datagram_tail if datagram else None
    for (
        slot,
        local_token,
        remote_token,
        st,
        queues,
        timer,
        retrnsmt,
        uid,
        timeout,
        inode,
        rest,
    ) in map(_split_ten, rows[1:]):
        if slot[-1:] != b":":
            raise ParseError("expected a slot number like '0:'")
        local = address(local_token) or _learn_address(local_token, addresses, ips, little)
        remote = address(remote_token) or _learn_address(remote_token, addresses, ips, little)
        for learned in _TWICE:
            try:
                values = (
                    local,
                    remote,
                    states[st],
                    firsts[queues],
                    seconds[queues],
                    firsts[timer],
                    seconds[timer],
                    hexes[retrnsmt],
                    numbers[uid],
                    numbers[timeout],
                    int(inode),
                    rest,
                )
                break
            except KeyError:
                if learned:
                    raise
                columns = (st, queues, timer, retrnsmt, uid, timeout)
                _learn_columns(columns, states, firsts, seconds, hexes, numbers)
        append(finish(values if tail is None else values[:11] + tail(rest)))
    return out


_split_ten = _methodcaller("split", None, 10)
#: A line's columns are looked up, then (if one is new) learned and looked up again.
_TWICE = (False, True)


def _learn_address(
    token: bytes, addresses: dict[bytes, SocketAddress], ips: dict[bytes, str], little: bool
) -> SocketAddress:
    """Parse an ``IP:PORT`` column into the caches of a table reading (fast or strict)."""
    ip, _, port = token.partition(b":")
    text = ips.get(ip)
    if text is None:
        text = ips[ip] = _ip(ip, little)
    number = int(port, 16)  # a missing ':' leaves an empty port, which int() refuses
    if not 0 <= number <= 0xFFFF:
        raise ParseError("port out of range")
    found = addresses[token] = SocketAddress._make((text, number))
    return found


def _datagram_tail(rest: bytes) -> tuple[int, str, int | None, tuple[str, ...]]:
    """A UDP or raw line's columns after the inode: ref_count, pointer, drops, extra."""
    fields = rest.split()
    count = len(fields)
    if count < 2:
        raise ParseError("short line")
    return (
        int(fields[0]),
        fields[1].decode("utf-8", "surrogateescape"),
        int(fields[2]) if count > 2 else None,
        _text_columns(b" ".join(fields[3:])),
    )


def _learn_columns(
    tokens: tuple[bytes, bytes, bytes, bytes, bytes, bytes],
    states: dict[bytes, int],
    firsts: dict[bytes, int],
    seconds: dict[bytes, int],
    hexes: dict[bytes, int],
    numbers: dict[bytes, int],
) -> None:
    """Parse the state to timeout columns of a line into the caches of :func:`_fast_table`."""
    state, queues, timer, retrnsmt, uid, timeout = tokens
    if state not in states:
        states[state] = int(state, 16)
    for token in (queues, timer):
        if token not in firsts:
            first, _, second = token.partition(b":")
            firsts[token] = int(first, 16)
            seconds[token] = int(second, 16)  # a missing ':' leaves b"", which int() refuses
    if retrnsmt not in hexes:
        hexes[retrnsmt] = int(retrnsmt, 16)
    for token in (uid, timeout):
        if token not in numbers:
            numbers[token] = int(token)


def _strict_table(data: bytes, record: type[_Entry], datagram: bool, little: bool) -> list[_Entry]:
    """:func:`parse_inet_table` line by line on bytes, naming the line at fault."""
    rows = data.split(b"\n")
    if not rows[0].lstrip().startswith(b"sl"):
        raise ParseError("expected the 'sl local_address ...' header line", line=rows[0], lineno=1)
    minimum = 12 if datagram else 10
    addresses: dict[bytes, SocketAddress] = {}  # the same addresses recur: parse each once
    ips: dict[bytes, str] = {}
    out: list[_Entry] = []
    append = out.append
    make = record._make
    for lineno in range(1, len(rows)):
        fields = rows[lineno].split()
        if not fields:
            continue
        try:
            if len(fields) < minimum:
                raise ParseError(f"expected at least {minimum} fields, found {len(fields)}")
            if fields[0][-1:] != b":":
                raise ParseError("expected a slot number like '0:'")
            local = _learn_address(fields[1], addresses, ips, little)
            remote = _learn_address(fields[2], addresses, ips, little)
            # A missing ':' leaves an empty rx_queue or tm_when, which int() refuses.
            tx_queue, _, rx_queue = fields[4].partition(b":")
            tr, _, tm_when = fields[5].partition(b":")
            values = (
                local,
                remote,
                int(fields[3], 16),
                int(tx_queue, 16),
                int(rx_queue, 16),
                int(tr, 16),
                int(tm_when, 16),
                int(fields[6], 16),
                int(fields[7]),
                int(fields[8]),
                int(fields[9]),
            )
            rest = b" ".join(fields[10:])
            tail = _datagram_tail(rest) if datagram else (_text_columns(rest),)
            append(make((*values, *tail)))
        except ParseError as exc:
            if exc.lineno is None:
                exc.lineno = lineno + 1
                exc.line = rows[lineno].decode("utf-8", "backslashreplace")
            raise
        except ValueError as exc:  # from int(): a column that is not a number
            raise ParseError(
                f"a column is not a number ({exc})", line=rows[lineno], lineno=lineno + 1
            ) from None
    return out


def parse_tcp_table(data: bytes, byteorder: str = _NATIVE) -> list[TcpNetEntry]:
    """The sockets of a ``net/tcp`` or ``net/tcp6`` file written on a ``byteorder`` host.

    :func:`parse_tcp` and :func:`parse_tcp6` are this function for the
    running machine's byte order. Either table may hold either family; each
    address says which it is. Raises :class:`~procfs.errors.ParseError` for
    anything it cannot read (a missing header line included).
    """
    return parse_inet_table(data, TcpNetEntry, byteorder)


def parse_udp_table(data: bytes, byteorder: str = _NATIVE) -> list[UdpNetEntry]:
    """The sockets of a ``net/udp`` or ``net/udp6`` file written on a ``byteorder`` host."""
    return parse_inet_table(data, UdpNetEntry, byteorder)


def parse_raw_table(data: bytes, byteorder: str = _NATIVE) -> list[RawNetEntry]:
    """The sockets of a ``net/raw`` or ``net/raw6`` file written on a ``byteorder`` host."""
    return parse_inet_table(data, RawNetEntry, byteorder)


def lines_with_inodes(data: bytes, inodes: Iterable[int], column: int = 9) -> bytes:
    """The header line of a socket table and only its lines whose column ``column``
    (counted from 0; the inode is the tenth of the internet tables) is one of ``inodes``,
    in their order: what to parse when only a few sockets matter (a process's own).

    Each inode is looked for with ``bytes.find`` rather than by splitting every
    line (a table of 8000 sockets: about 1 ms for a few inodes, where parsing
    the whole table takes 50); a match elsewhere in a line (a uid equal to the
    inode) is told apart by splitting that line. For tables of one line per
    socket (not ``net/unix``, whose paths may go on over several lines).
    """
    start = data.find(b"\n") + 1
    if not start:
        return data
    kept: dict[int, bytes] = {}
    size = len(data)
    for inode in inodes:
        number = b"%d" % inode
        token = b" " + number
        at = data.find(token, start)
        while at >= 0:
            end = at + len(token)
            if end == size or data[end] in b" \n":
                first = data.rfind(b"\n", 0, at) + 1
                last = data.find(b"\n", end)
                line = data[first : size if last < 0 else last + 1]
                fields = line.split(None, column + 1)
                if len(fields) > column and fields[column] == number:
                    kept[first] = line if line[-1:] == b"\n" else line + b"\n"
            at = data.find(token, end)
    return data[:start] + b"".join(kept[first] for first in sorted(kept))


@parser("net/tcp", read="table", since="2.6")
def parse_tcp(data: bytes) -> list[TcpNetEntry]:
    """The IPv4 TCP sockets, from ``/proc/net/tcp`` (this machine's byte order)."""
    return parse_inet_table(data, TcpNetEntry)


@parser("net/tcp6", read="table", since="2.6")
def parse_tcp6(data: bytes) -> list[TcpNetEntry]:
    """The IPv6 TCP sockets, from ``/proc/net/tcp6`` (this machine's byte order)."""
    return parse_inet_table(data, TcpNetEntry)


@parser("net/udp", "net/udplite", read="table", since="2.6 (drops 2.6.27)")
def parse_udp(data: bytes) -> list[UdpNetEntry]:
    """The IPv4 UDP sockets, from ``/proc/net/udp`` (this machine's byte order)."""
    return parse_inet_table(data, UdpNetEntry)


@parser("net/udp6", "net/udplite6", read="table", since="2.6 (drops 2.6.27)")
def parse_udp6(data: bytes) -> list[UdpNetEntry]:
    """The IPv6 UDP sockets, from ``/proc/net/udp6`` (this machine's byte order)."""
    return parse_inet_table(data, UdpNetEntry)


@parser("net/raw", read="table", since="2.6")
def parse_raw(data: bytes) -> list[RawNetEntry]:
    """The IPv4 raw sockets, from ``/proc/net/raw`` (this machine's byte order)."""
    return parse_inet_table(data, RawNetEntry)


@parser("net/raw6", read="table", since="2.6")
def parse_raw6(data: bytes) -> list[RawNetEntry]:
    """The IPv6 raw sockets, from ``/proc/net/raw6`` (this machine's byte order)."""
    return parse_inet_table(data, RawNetEntry)
