"""Networking: socket tables, counters, routes and the socket-inode to process map.

:class:`NetFiles` holds one method per file under ``net/`` of a procfs root
(for the live ``/proc``: the network namespace of the reading process; for
``Process.net()``: that process's), each returning the records of its parser
in :mod:`procfs.core`:

* sockets: ``tcp()``, ``tcp6()``, ``udp()``, ``udp6()``, ``raw()``,
  ``raw6()``, ``unix()``, ``packet()``;
* neighbours, routes and addresses: ``arp()``, ``route()``,
  ``ipv6_route()``, ``if_inet6()``;
* counters: ``net_dev()`` (per interface), ``snmp()``, ``snmp6()``,
  ``netstat_counters()`` (``net/netstat``), ``sockstat()``, ``sockstat6()``.

``table_fields()`` and ``socket_table_fields()`` read a few fields of every
socket of these tables, as tuples (without a record per socket for the
columns all the internet tables have: what ``procfs netstat`` uses).

``socket_owners()`` finds which processes hold which sockets by reading
every ``/proc/[pid]/fd/*`` link (``socket:[inode]``), every holder of each;
``sockets_with_owners()`` and ``tcp_with_owners()`` join the socket tables
with it, as ``netstat -p`` does, and ``net_connections()`` gives the sockets
with their holders as psutil's ``net_connections`` does. Finding owners
reads one link per open descriptor of every process, so it costs what
``netstat -p`` or ``ss -p`` cost. Processes that exit meanwhile, and those
whose descriptors the caller may not read (other users' processes when not
root), are skipped: their sockets simply have no owner
(``socket_owners(denied=[])`` tells which were denied).

A file the running kernel lacks raises :class:`~procfs.errors.NotFoundError`
(``tcp6`` and the other IPv6 files on a kernel without IPv6).
"""

from __future__ import annotations

from procfs import core
from procfs._fs import Root
from procfs.core._parse import guard
from procfs.core._record import Record
from procfs.errors import NotFoundError, ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, TypeVar

    from procfs.core._parse import Parser
    from procfs.core.net import RawNetEntry, SocketAddress, TcpNetEntry, UdpNetEntry
    from procfs.core.net_arp import ArpEntry
    from procfs.core.net_dev import DeviceStatus
    from procfs.core.net_if_inet6 import IfInet6Entry
    from procfs.core.net_packet import PacketNetEntry
    from procfs.core.net_route import Ipv6RouteEntry, RouteEntry
    from procfs.core.net_snmp import Netstat, Snmp, Snmp6
    from procfs.core.net_sockstat import SockStat
    from procfs.core.net_softnet import SoftnetStat
    from procfs.core.net_unix import UnixNetEntry

    SocketEntry = TcpNetEntry | UdpNetEntry | RawNetEntry | UnixNetEntry | PacketNetEntry
    InetEntry = TcpNetEntry | UdpNetEntry | RawNetEntry
    _Row = TypeVar("_Row", "OwnedSocket", "TcpSocket")
    _Item = TypeVar("_Item")

__all__ = [
    "CONNECTION_KINDS",
    "SOCKET_TABLES",
    "TCP_STATE_NAMES",
    "Connection",
    "NetFiles",
    "OwnedSocket",
    "SocketOwner",
    "TcpSocket",
    "connections_of",
    "table_parser",
]

#: The socket tables, by the name of their file under ``net/`` (and of their method).
SOCKET_TABLES = ("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix", "packet")

#: psutil's kinds of connections (``kind=`` of ``net_connections``), by the tables
#: each reads: ``"all"`` is TCP, UDP and unix (raw and packet sockets are not
#: connections for psutil; :meth:`procfs.Process.sockets` has them).
CONNECTION_KINDS: dict[str, tuple[str, ...]] = {
    "all": ("tcp", "tcp6", "udp", "udp6", "unix"),
    "inet": ("tcp", "tcp6", "udp", "udp6"),
    "inet4": ("tcp", "udp"),
    "inet6": ("tcp6", "udp6"),
    "tcp": ("tcp", "tcp6"),
    "tcp4": ("tcp",),
    "tcp6": ("tcp6",),
    "udp": ("udp", "udp6"),
    "udp4": ("udp",),
    "udp6": ("udp6",),
    "unix": ("unix",),
}


class SocketOwner(Record):
    """A process that holds a socket open.

    Attributes:
        pid: The process id.
        fd: The descriptor number of the socket in that process.
        comm: The process's command name (``/proc/[pid]/comm``, at most 15
            bytes); ``None`` if it could not be read (the process exited).
    """

    pid: int
    fd: int
    comm: str | None


class TcpSocket(Record):
    """A TCP socket with the processes that hold it (a row of ``netstat -tanp``).

    Attributes:
        proto: ``"tcp"`` for a socket of ``net/tcp``, ``"tcp6"`` for one of
            ``net/tcp6`` (which may have IPv4-mapped addresses).
        entry: The socket's line of the table.
        owners: The processes holding it, by pid and descriptor; empty if
            none was found (no process holds a TIME_WAIT
            socket; other users' processes are hidden from non-root callers).
    """

    proto: str
    entry: TcpNetEntry
    owners: tuple[SocketOwner, ...]

    @property
    def pid(self) -> int | None:
        """The lowest pid holding the socket (the one ``netstat -p`` shows), or ``None``."""
        return self.owners[0].pid if self.owners else None

    @property
    def program(self) -> str | None:
        """The first owner's command name, or ``None``."""
        return self.owners[0].comm if self.owners else None


class OwnedSocket(Record):
    """A socket of any table with the processes that hold it (a row of ``netstat -p``).

    Attributes:
        proto: The table it comes from, as :data:`SOCKET_TABLES` names it:
            ``"tcp"``, ``"tcp6"``, ``"udp"``, ``"udp6"``, ``"raw"``,
            ``"raw6"``, ``"unix"`` or ``"packet"``.
        entry: The socket's line of that table: a :class:`TcpNetEntry`,
            :class:`UdpNetEntry`, :class:`RawNetEntry`,
            :class:`~procfs.core.net_unix.UnixNetEntry` or
            :class:`~procfs.core.net_packet.PacketNetEntry`.
        owners: The processes holding it, by pid and descriptor; empty if
            none was found (sockets without an inode, other users'
            processes for a non-root caller).
    """

    proto: str
    entry: SocketEntry
    owners: tuple[SocketOwner, ...]

    @property
    def pid(self) -> int | None:
        """The lowest pid holding the socket (the one ``netstat -p`` shows), or ``None``."""
        return self.owners[0].pid if self.owners else None

    @property
    def program(self) -> str | None:
        """The first owner's command name, or ``None``."""
        return self.owners[0].comm if self.owners else None


class Connection(Record):
    """A socket and one process holding it, as psutil's ``net_connections`` gives it.

    A socket held through several descriptors (a forked child's copy, a
    ``dup``) gives one connection per holding descriptor.

    Attributes:
        fd: The descriptor number in the holding process; -1 when no holder
            was found (a TIME_WAIT socket, another user's process when not
            root).
        family: The address family (the :mod:`socket` module's numbers):
            ``AF_INET``, ``AF_INET6``, ``AF_UNIX``, or ``AF_PACKET`` (from
            :meth:`procfs.Process.sockets`' packet table only).
        type: The socket type (:mod:`socket`'s ``SOCK_STREAM``,
            ``SOCK_DGRAM``, ``SOCK_SEQPACKET``, ``SOCK_RAW``).
        laddr: The local address: a :class:`~procfs.core.net.SocketAddress`
            for an internet socket (``None`` when its port is 0, where psutil
            gives ``()``), the bound path of a unix socket (``None`` for an
            unnamed one, where psutil gives ``""``).
        raddr: The remote address of an internet socket (``None`` when not
            connected: port 0); always ``None`` for a unix socket (the
            kernel's table does not tell the peer).
        status: The TCP state as psutil names it (``"ESTABLISHED"``,
            ``"LISTEN"``, ``"TIME_WAIT"``...); ``"LISTEN"`` for a listening
            unix socket (as ``ss`` says; psutil says ``"NONE"``); ``"NONE"``
            for every other UDP, raw, unix or packet socket.
        pid: The holding process, ``None`` when no holder was found.
    """

    fd: int
    family: int
    type: int
    laddr: SocketAddress | str | None
    raddr: SocketAddress | str | None
    status: str
    pid: int | None


#: TCP states as psutil, net-tools and the kernel name them, by the kernel's number
#: (a plain dict: :class:`~procfs.core.sockstate.TcpState` costs the import of ``enum``).
TCP_STATE_NAMES = {
    1: "ESTABLISHED",
    2: "SYN_SENT",
    3: "SYN_RECV",
    4: "FIN_WAIT1",
    5: "FIN_WAIT2",
    6: "TIME_WAIT",
    7: "CLOSE",
    8: "CLOSE_WAIT",
    9: "LAST_ACK",
    10: "LISTEN",
    11: "CLOSING",
    12: "SYN_RECV",  # NEW_SYN_RECV: printed as SYN_RECV by the tables
}


def table_parser(table: str) -> Parser[Sequence[SocketEntry]]:
    """The parser of the socket table ``table`` (a name of :data:`SOCKET_TABLES`)."""
    _check_table(table)
    if table == "unix":
        return core.net_unix.parse_unix
    if table == "packet":
        return core.net_packet.parse_packet
    parse: Parser[Sequence[SocketEntry]] = getattr(core.net, f"parse_{table}")
    return parse


def _check_table(table: str) -> None:
    """Raise :class:`ValueError` unless ``table`` is a name of :data:`SOCKET_TABLES`."""
    if table not in SOCKET_TABLES:
        known = ", ".join(SOCKET_TABLES)
        raise ValueError(f"unknown socket table {table!r}; known: {known}")


def connection_tables(kind: str) -> tuple[str, ...]:
    """The tables of psutil's connection kind ``kind`` (:data:`CONNECTION_KINDS`)."""
    try:
        return CONNECTION_KINDS[kind]
    except (KeyError, TypeError):
        known = ", ".join(CONNECTION_KINDS)
        raise ValueError(f"unknown connection kind {kind!r}; known: {known}") from None


def connections_of(
    tables: Iterable[tuple[str, Sequence[SocketEntry]]],
    holders: Callable[[int | None], Sequence[tuple[int | None, int]]],
) -> list[Connection]:
    """The connections of the sockets of ``tables`` (each table's name and entries), one per
    ``(pid, fd)`` that ``holders(inode)`` gives for its socket (none: the socket is left
    out)."""
    import socket

    stream, dgram, raw = socket.SOCK_STREAM, socket.SOCK_DGRAM, socket.SOCK_RAW
    make = Connection._make
    out: list[Connection] = []
    for name, entries in tables:
        if name == "unix" or name == "packet":
            family = socket.AF_UNIX if name == "unix" else 17  # AF_PACKET (Linux only)
            for entry in entries:
                pairs = holders(entry.inode)
                if not pairs:
                    continue
                if name == "unix":
                    unix: UnixNetEntry = entry  # type: ignore[assignment]
                    status = "LISTEN" if unix.listening else "NONE"
                    laddr: SocketAddress | str | None = unix.path
                else:
                    status, laddr = "NONE", None
                kind = entry.socket_type  # type: ignore[union-attr]
                for pid, fd in pairs:
                    out.append(make((fd, family, kind, laddr, None, status, pid)))
            continue
        family = socket.AF_INET6 if name[-1] == "6" else socket.AF_INET
        tcp = name[:3] == "tcp"
        kind = stream if tcp else dgram if name[:3] == "udp" else raw
        for entry in entries:
            pairs = holders(entry.inode)
            if not pairs:
                continue
            inet: InetEntry = entry  # type: ignore[assignment]
            status = TCP_STATE_NAMES.get(inet.state, "NONE") if tcp else "NONE"
            local, remote = inet.local_address, inet.remote_address
            laddr = local if local.port else None
            raddr = remote if remote.port else None
            for pid, fd in pairs:
                out.append(make((fd, family, kind, laddr, raddr, status, pid)))
    return out


#: The internet socket tables, whose common columns have a fields reader.
_INET_TABLES = frozenset(("tcp", "tcp6", "udp", "udp6", "raw", "raw6"))


class NetFiles(Root):
    """The readers of the files under ``net/`` of a procfs root (see the module notes)."""

    __slots__ = ()

    def tcp(self) -> list[TcpNetEntry]:
        """The IPv4 TCP sockets, from ``net/tcp``."""
        return self.load(core.net.parse_tcp)

    def tcp6(self) -> list[TcpNetEntry]:
        """The IPv6 TCP sockets, from ``net/tcp6`` (NotFoundError on a kernel without IPv6)."""
        return self.load(core.net.parse_tcp6)

    def udp(self) -> list[UdpNetEntry]:
        """The IPv4 UDP sockets, from ``net/udp``."""
        return self.load(core.net.parse_udp)

    def udp6(self) -> list[UdpNetEntry]:
        """The IPv6 UDP sockets, from ``net/udp6``."""
        return self.load(core.net.parse_udp6)

    def raw(self) -> list[RawNetEntry]:
        """The IPv4 raw sockets, from ``net/raw``."""
        return self.load(core.net.parse_raw)

    def raw6(self) -> list[RawNetEntry]:
        """The IPv6 raw sockets, from ``net/raw6``."""
        return self.load(core.net.parse_raw6)

    def unix(self) -> list[UnixNetEntry]:
        """The unix domain sockets, from ``net/unix``."""
        return self.load(core.net_unix.parse_unix)

    def packet(self) -> list[PacketNetEntry]:
        """The packet (``AF_PACKET``) sockets, from ``net/packet``."""
        return self.load(core.net_packet.parse_packet)

    def arp(self) -> list[ArpEntry]:
        """The IPv4 neighbour (ARP) table, from ``net/arp``."""
        return self.load(core.net_arp.parse_arp)

    def route(self) -> list[RouteEntry]:
        """The IPv4 routes of the main table, from ``net/route`` (this machine's byte order)."""
        return self.load(core.net_route.parse_route)

    def ipv6_route(self) -> list[Ipv6RouteEntry]:
        """The IPv6 routes of every table, from ``net/ipv6_route``."""
        return self.load(core.net_route.parse_ipv6_route)

    def if_inet6(self) -> list[IfInet6Entry]:
        """The IPv6 addresses of the interfaces, from ``net/if_inet6``."""
        return self.load(core.net_if_inet6.parse_if_inet6)

    def net_dev(self) -> dict[str, DeviceStatus]:
        """The receive and transmit counters of each interface, by name, from ``net/dev``."""
        return self.load(core.net_dev.parse_dev)

    def snmp(self) -> Snmp:
        """The IPv4, ICMP, TCP and UDP counters, from ``net/snmp``."""
        return self.load(core.net_snmp.parse_snmp)

    def snmp6(self) -> Snmp6:
        """The IPv6, ICMPv6 and UDP-over-IPv6 counters, from ``net/snmp6``."""
        return self.load(core.net_snmp.parse_snmp6)

    def netstat_counters(self) -> Netstat:
        """The extended TCP and IP counters (``TcpExt``, ``IpExt``...), from ``net/netstat``.

        (Named for the file; the socket lists ``netstat`` prints are
        :meth:`sockets_with_owners`.)
        """
        return self.load(core.net_snmp.parse_netstat)

    def sockstat(self) -> SockStat:
        """Counts of IPv4 sockets by protocol, and of all sockets, from ``net/sockstat``."""
        return self.load(core.net_sockstat.parse_sockstat)

    def sockstat6(self) -> SockStat:
        """Counts of IPv6 sockets by protocol, from ``net/sockstat6``."""
        return self.load(core.net_sockstat.parse_sockstat6)

    def softnet_stat(self) -> list[SoftnetStat]:
        """The network receive queues' counters, one per online CPU, from ``net/softnet_stat``."""
        return self.load(core.net_softnet.parse_softnet_stat)

    # -- sockets and their owners -------------------------------------------

    def socket_owners(
        self, inodes: Iterable[int] | None = None, *, denied: list[int] | None = None
    ) -> dict[int, list[tuple[int, int]]]:
        """Which processes hold which sockets: socket inode -> ``[(pid, fd), ...]``.

        The inodes are those of every socket table (``inode`` of the entries
        of :meth:`tcp`, :meth:`udp`, :meth:`unix`, :meth:`packet`...) and of
        ``socket:[inode]`` descriptors. Reads the ``fd`` links of every
        process under the root and lists every holder of each socket (a
        socket a parent shares with its forked child lists both, as
        ``ss -p`` does); with ``inodes``, only those sockets are reported.
        The pairs come in the order the kernel lists processes and
        descriptors. The pids of processes whose descriptors may not be read
        (other users' when not root) are appended to ``denied``, if given.
        """
        return self.socket_links(inodes, denied=denied)  # type: ignore[return-value]

    def lowest_socket_owners(
        self, inodes: Iterable[int] | None = None, *, denied: list[int] | None = None
    ) -> dict[int, int]:
        """Socket inode -> the lowest pid holding it (the one ``netstat -p`` shows).

        :meth:`socket_owners` without the pairs (cheaper). With ``inodes`` the
        scan stops at the end of the first process after which each of them
        has an owner (processes are listed in increasing pid order, so the
        owner found first is the lowest). ``denied`` as in :meth:`socket_owners`.
        """
        return self.socket_links(inodes, lowest=True, denied=denied)  # type: ignore[return-value]

    def net_connections(self, kind: str = "inet") -> list[Connection]:
        """Every socket of the kind ``kind`` with each process holding it, as psutil's
        ``net_connections``.

        ``kind`` is one of psutil's names (:data:`CONNECTION_KINDS`: ``"inet"``,
        ``"inet4"``, ``"inet6"``, ``"tcp"``, ``"tcp4"``, ``"tcp6"``, ``"udp"``,
        ``"udp4"``, ``"udp6"``, ``"unix"``, ``"all"``); an unknown one raises
        :class:`ValueError`. One :class:`Connection` per holding descriptor (a
        socket shared by several processes gives one per holder, where psutil
        gives one); a socket no process is found holding gives one with
        ``pid=None`` and ``fd=-1``. The tables are those of this root's
        ``net/`` (for the live ``/proc``: the caller's network namespace),
        read first, then the processes are scanned once
        (:meth:`socket_owners`). A missing IPv6 table reads as no sockets.
        """
        tables = self.socket_tables(connection_tables(kind))
        wanted = {entry.inode for _, entries in tables for entry in entries if entry.inode}
        owners: dict[int | None, Sequence[tuple[int | None, int]]]
        owners = self.socket_owners(wanted) if wanted else {}  # type: ignore[assignment]
        nobody: Sequence[tuple[int | None, int]] = ((None, -1),)
        return connections_of(tables, lambda inode: owners.get(inode, nobody))

    def table_fields(self, table: str, fields: Sequence[str]) -> list[tuple[Any, ...]]:
        """The fields ``fields`` of every socket of the table ``table``, a tuple per socket.

        ``table`` is a name of :data:`SOCKET_TABLES`; ``fields`` are fields or
        properties of its entries (:class:`TcpNetEntry` for ``tcp`` and
        ``tcp6``, :class:`UdpNetEntry`, :class:`RawNetEntry`,
        :class:`~procfs.core.net_unix.UnixNetEntry`,
        :class:`~procfs.core.net_packet.PacketNetEntry`). Each tuple holds one
        socket's values in the order of ``fields``: what
        ``[(e.inode, e.state) for e in tcp()]`` gives, errors included, but for
        ``state``, which comes as the kernel's number (an ``int`` equal to the
        :class:`~procfs.core.net.TcpState` member: no enum is made). For the
        columns every internet table has (``local_address`` to ``inode``), no
        record is made per socket (about 15% faster than reading the records'
        attributes, for 4000 sockets). A missing table raises
        :class:`~procfs.errors.NotFoundError`; an unknown table or field
        raises :class:`ValueError`.
        """
        if isinstance(fields, str):
            raise TypeError(f"fields must be a sequence of names, not the string {fields!r}")
        return self._fields_of(table, fields)()

    def socket_tables(
        self, names: Iterable[str] = ("tcp", "tcp6")
    ) -> list[tuple[str, Sequence[SocketEntry]]]:
        """The entries of the socket tables ``names``, in order, each with its name.

        A missing IPv6 table (a kernel without IPv6) is left out; another
        missing table raises :class:`~procfs.errors.NotFoundError`; an unknown
        name raises :class:`ValueError` before anything is read.
        """
        return _each_table(names, self._entries_of)

    def socket_table_fields(
        self, names: Iterable[str], fields: Sequence[str]
    ) -> list[tuple[str, list[tuple[Any, ...]]]]:
        """:meth:`table_fields` of each of the tables ``names``, in order, with its name;
        a missing IPv6 table is left out, as in :meth:`socket_tables`."""
        return _each_table(names, lambda name: self._fields_of(name, fields))

    def sockets_with_owners(self, tables: Iterable[str] = ("tcp", "tcp6")) -> list[OwnedSocket]:
        """The sockets of ``tables`` (names of :data:`SOCKET_TABLES`) with their owning processes.

        Tables are read in the order given, then the processes are scanned once
        for all of them (with :meth:`socket_owners`: every holder of each
        socket, lowest pid first). A missing IPv6 table (``tcp6``, ``udp6``,
        ``raw6``: a kernel without IPv6) reads as no sockets; another missing
        table raises :class:`~procfs.errors.NotFoundError`. An unknown table
        name raises :class:`ValueError`.
        """
        return self._join(tables, OwnedSocket._make)

    def tcp_with_owners(self, *, ipv4: bool = True, ipv6: bool = True) -> list[TcpSocket]:
        """The TCP sockets (``net/tcp`` then ``net/tcp6``) with their owning processes.

        A missing ``net/tcp6`` (a kernel without IPv6) reads as no sockets.
        Owners are found with :meth:`socket_owners` for the sockets listed
        (every holder, lowest pid first).
        """
        names = [name for name, wanted in (("tcp", ipv4), ("tcp6", ipv6)) if wanted]
        return self._join(names, TcpSocket._make)

    def _fields_of(self, table: str, fields: Sequence[str]) -> Callable[[], list[tuple[Any, ...]]]:
        """A function that reads the ``fields`` of the table ``table`` (checked at once)."""
        if table in _INET_TABLES:
            from procfs.core.net import RawNetEntry, TcpNetEntry, UdpNetEntry, fields_reader

            kinds: dict[str, type[Record]] = {
                "tcp": TcpNetEntry,
                "udp": UdpNetEntry,
                "raw": RawNetEntry,
            }
            parse = guard(fields_reader(kinds[table.rstrip("6")], fields), f"net/{table}")
            return lambda: self.parse(f"net/{table}", parse, table=True)
        read = self._entries_of(table)
        cls = _table_record(table)
        cls.check_fields(fields)
        get = cls.fields_getter(fields)
        return lambda: list(map(get, read()))

    def _entries_of(self, table: str) -> Callable[[], Sequence[SocketEntry]]:
        """The method that reads the entries of the table ``table`` (checked at once)."""
        _check_table(table)
        read: Callable[[], Sequence[SocketEntry]] = getattr(self, table)
        return read

    def _join(self, names: Iterable[str], make: Callable[[tuple[object, ...]], _Row]) -> list[_Row]:
        """Read the tables ``names``, find the owners of their sockets in one scan, make the
        rows."""
        tables = self.socket_tables(names)
        # (0: a socket no process holds; None: a unix socket whose inode is unknown)
        wanted = {entry.inode for _, entries in tables for entry in entries if entry.inode}
        owners = self.socket_owners(wanted) if wanted else {}
        comms: dict[int, str | None] = {}
        owner = SocketOwner._make
        none: tuple[SocketOwner, ...] = ()
        out: list[_Row] = []
        append = out.append
        get = owners.get
        comm = self._cached_comm
        for name, entries in tables:
            for entry in entries:
                pairs = get(entry.inode)  # type: ignore[arg-type]  # None or 0: not in owners
                if not pairs:
                    append(make((name, entry, none)))
                else:
                    found = tuple(owner((pid, fd, comm(pid, comms))) for pid, fd in sorted(pairs))
                    append(make((name, entry, found)))
        return out

    def comm_of(self, pid: int) -> str:
        """The command name of process ``pid`` (``[pid]/comm``), without a handle: what
        the owners of sockets are shown with.

        Raises :class:`~procfs.errors.NotFoundError` if there is no such process.
        """
        return self.load(core.pid_values.parse_comm, f"{pid}/comm")

    def _cached_comm(self, pid: int, cache: dict[int, str | None]) -> str | None:
        """:meth:`comm_of` ``pid``, None if it is gone, each pid read once."""
        if pid in cache:
            return cache[pid]
        try:
            found: str | None = self.comm_of(pid)
        except ProcError:  # gone, or hidden
            found = None
        cache[pid] = found
        return found


def _table_record(table: str) -> type[Record]:
    """The record type of the entries of the table ``table`` (unix or packet)."""
    if table == "unix":
        from procfs.core.net_unix import UnixNetEntry

        return UnixNetEntry
    return core.net_packet.PacketNetEntry


def _each_table(
    names: Iterable[str], read: Callable[[str], Callable[[], _Item]]
) -> list[tuple[str, _Item]]:
    """What ``read(name)()`` gives for each table of ``names``, in order, every name checked
    first by ``read(name)``; a missing IPv6 table (a kernel without IPv6) is left out."""
    readers = [(name, read(name)) for name in names]
    tables: list[tuple[str, _Item]] = []
    for name, reader in readers:
        try:
            tables.append((name, reader()))
        except NotFoundError:
            if not name.endswith("6"):
                raise
    return tables
