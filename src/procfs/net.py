"""Networking: socket tables, counters, routes and the socket-inode to process map.

Every function reads one file under ``net/`` of a procfs root (for the live
``/proc``: the network namespace of the reading process) and returns the
records of its parser in :mod:`procfs.core`:

* sockets: :func:`tcp`, :func:`tcp6`, :func:`udp`, :func:`udp6`,
  :func:`raw`, :func:`raw6`, :func:`unix`, :func:`packet`;
* neighbours, routes and addresses: :func:`arp`, :func:`route`,
  :func:`ipv6_route`, :func:`if_inet6`;
* counters: :func:`dev` (per interface), :func:`snmp`, :func:`snmp6`,
  :func:`netstat_counters` (``net/netstat``), :func:`sockstat`,
  :func:`sockstat6`.

:func:`table_fields` reads a few fields of every socket of any of these
tables, as tuples (without a record per socket for the columns all the
internet tables have: what ``procfs netstat`` uses).

:func:`socket_owners` finds which processes hold which sockets by reading
every ``/proc/[pid]/fd/*`` link (``socket:[inode]``); it is public, for
joining any socket table (or ``Process.fd()`` results) with processes.
:func:`sockets_with_owners` and :func:`tcp_with_owners` do the join for the
socket tables, as ``netstat -p`` does.

A file the running kernel lacks raises :class:`~procfs.errors.NotFoundError`
(``tcp6`` and the other IPv6 files on a kernel without IPv6).

Finding owners reads one link per open descriptor of every process, so it
costs what ``netstat -p`` or ``ss -p`` cost. Processes that exit meanwhile,
and those whose descriptors the caller may not read (other users' processes
when not root), are skipped without a word: their sockets simply have no
owner.
"""

from __future__ import annotations

import errno as _errno
import marshal as _marshal
import os as _os
import sys as _sys
from _operator import attrgetter as _attrgetter

from procfs._fs import _O_DIR, _O_RDONLY, ProcFS, read_fd
from procfs._fs import default_root as _root
from procfs.core._parse import guard
from procfs.core._record import Record
from procfs.core.net import (
    RawNetEntry,
    TcpNetEntry,
    UdpNetEntry,
    fields_reader,
    parse_raw,
    parse_raw6,
    parse_tcp,
    parse_tcp6,
    parse_udp,
    parse_udp6,
)
from procfs.errors import NotFoundError, ProcError, from_oserror

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, NoReturn, TypeVar

    from procfs.core.net_arp import ArpEntry
    from procfs.core.net_dev import DeviceStatus
    from procfs.core.net_if_inet6 import IfInet6Entry
    from procfs.core.net_packet import PacketNetEntry
    from procfs.core.net_route import Ipv6RouteEntry, RouteEntry
    from procfs.core.net_snmp import Netstat, Snmp, Snmp6
    from procfs.core.net_sockstat import SockStat
    from procfs.core.net_unix import UnixNetEntry

    SocketEntry = TcpNetEntry | UdpNetEntry | RawNetEntry | UnixNetEntry | PacketNetEntry
    _Row = TypeVar("_Row", "OwnedSocket", "TcpSocket")
    _Item = TypeVar("_Item")

__all__ = [
    "SOCKET_TABLES",
    "OwnedSocket",
    "SocketOwner",
    "TcpSocket",
    "arp",
    "dev",
    "if_inet6",
    "ipv6_route",
    "netstat_counters",
    "packet",
    "raw",
    "raw6",
    "route",
    "snmp",
    "snmp6",
    "socket_owners",
    "sockets_with_owners",
    "sockstat",
    "sockstat6",
    "table_fields",
    "tcp",
    "tcp6",
    "tcp_with_owners",
    "udp",
    "udp6",
    "unix",
]


# A process or descriptor that went away, or that we may not look at: skip it.
_SKIP = frozenset((_errno.ENOENT, _errno.ESRCH, _errno.EACCES, _errno.EPERM, _errno.ENOTDIR))

# Reading a process's links is allowed or denied for all of them (a ptrace check).
_DENIED = frozenset((_errno.EACCES, _errno.EPERM))

_open = _os.open
_close = _os.close
_fstat = _os.fstat
_listdir = _os.listdir
_readlink = _os.readlink


def tcp(fs: ProcFS | None = None) -> list[TcpNetEntry]:
    """The IPv4 TCP sockets of a procfs root, from ``net/tcp``."""
    fs = _root(fs)
    return fs.parse("net/tcp", parse_tcp, table=True)


def tcp6(fs: ProcFS | None = None) -> list[TcpNetEntry]:
    """The IPv6 TCP sockets of a procfs root, from ``net/tcp6``.

    Raises :class:`~procfs.errors.NotFoundError` on a kernel without IPv6.
    """
    fs = _root(fs)
    return fs.parse("net/tcp6", parse_tcp6, table=True)


def udp(fs: ProcFS | None = None) -> list[UdpNetEntry]:
    """The IPv4 UDP sockets of a procfs root, from ``net/udp``."""
    fs = _root(fs)
    return fs.parse("net/udp", parse_udp, table=True)


def udp6(fs: ProcFS | None = None) -> list[UdpNetEntry]:
    """The IPv6 UDP sockets of a procfs root, from ``net/udp6``."""
    fs = _root(fs)
    return fs.parse("net/udp6", parse_udp6, table=True)


def raw(fs: ProcFS | None = None) -> list[RawNetEntry]:
    """The IPv4 raw sockets of a procfs root, from ``net/raw``."""
    fs = _root(fs)
    return fs.parse("net/raw", parse_raw, table=True)


def raw6(fs: ProcFS | None = None) -> list[RawNetEntry]:
    """The IPv6 raw sockets of a procfs root, from ``net/raw6``."""
    fs = _root(fs)
    return fs.parse("net/raw6", parse_raw6, table=True)


def unix(fs: ProcFS | None = None) -> list[UnixNetEntry]:
    """The unix domain sockets of a procfs root, from ``net/unix``."""
    from procfs.core.net_unix import parse_unix

    fs = _root(fs)
    return fs.parse("net/unix", parse_unix, table=True)


def packet(fs: ProcFS | None = None) -> list[PacketNetEntry]:
    """The packet (``AF_PACKET``) sockets of a procfs root, from ``net/packet``."""
    from procfs.core.net_packet import parse_packet

    fs = _root(fs)
    return fs.parse("net/packet", parse_packet, table=True)


def arp(fs: ProcFS | None = None) -> list[ArpEntry]:
    """The IPv4 neighbour (ARP) table of a procfs root, from ``net/arp``."""
    from procfs.core.net_arp import parse_arp

    fs = _root(fs)
    return fs.parse("net/arp", parse_arp, table=True)


def route(fs: ProcFS | None = None) -> list[RouteEntry]:
    """The IPv4 routes of the main table, from ``net/route`` (this machine's byte order)."""
    from procfs.core.net_route import parse_route

    fs = _root(fs)
    return fs.parse("net/route", parse_route, table=True)


def ipv6_route(fs: ProcFS | None = None) -> list[Ipv6RouteEntry]:
    """The IPv6 routes of every table, from ``net/ipv6_route``."""
    from procfs.core.net_route import parse_ipv6_route

    fs = _root(fs)
    return fs.parse("net/ipv6_route", parse_ipv6_route, table=True)


def if_inet6(fs: ProcFS | None = None) -> list[IfInet6Entry]:
    """The IPv6 addresses of the interfaces, from ``net/if_inet6``."""
    from procfs.core.net_if_inet6 import parse_if_inet6

    fs = _root(fs)
    return fs.parse("net/if_inet6", parse_if_inet6, table=True)


def dev(fs: ProcFS | None = None) -> dict[str, DeviceStatus]:
    """The receive and transmit counters of each interface, by name, from ``net/dev``."""
    return _root(fs).net_dev()


def snmp(fs: ProcFS | None = None) -> Snmp:
    """The IPv4, ICMP, TCP and UDP counters, from ``net/snmp``."""
    from procfs.core.net_snmp import parse_snmp

    fs = _root(fs)
    return fs.parse("net/snmp", parse_snmp, True)


def snmp6(fs: ProcFS | None = None) -> Snmp6:
    """The IPv6, ICMPv6 and UDP-over-IPv6 counters, from ``net/snmp6``."""
    from procfs.core.net_snmp import parse_snmp6

    fs = _root(fs)
    return fs.parse("net/snmp6", parse_snmp6, True)


def netstat_counters(fs: ProcFS | None = None) -> Netstat:
    """The extended TCP and IP counters (``TcpExt``, ``IpExt``...), from ``net/netstat``.

    (Named for the file; the socket lists ``netstat`` prints are
    :func:`sockets_with_owners`.)
    """
    from procfs.core.net_snmp import parse_netstat

    fs = _root(fs)
    return fs.parse("net/netstat", parse_netstat, True)


def sockstat(fs: ProcFS | None = None) -> SockStat:
    """Counts of IPv4 sockets by protocol, and of all sockets, from ``net/sockstat``."""
    from procfs.core.net_sockstat import parse_sockstat

    fs = _root(fs)
    return fs.parse("net/sockstat", parse_sockstat, True)


def sockstat6(fs: ProcFS | None = None) -> SockStat:
    """Counts of IPv6 sockets by protocol, from ``net/sockstat6``."""
    from procfs.core.net_sockstat import parse_sockstat6

    fs = _root(fs)
    return fs.parse("net/sockstat6", parse_sockstat6, True)


def socket_owners(
    fs: ProcFS | None = None, inodes: Iterable[int] | None = None
) -> dict[int, list[tuple[int, int]]]:
    """Which processes hold which sockets: socket inode -> ``[(pid, fd), ...]``.

    Public: the inodes are those of every socket table (``inode`` of
    :func:`tcp`, :func:`udp`, :func:`unix`, :func:`packet`... entries) and
    of ``socket:[inode]`` descriptors. Reads the ``fd`` links of every
    process under the root. With ``inodes``,
    only those sockets are reported, and the scan stops at the end of the
    first process after which every one of them has an owner (a socket shared
    by several processes then lists only the owners found so far). The pairs
    come in the order the kernel lists processes and descriptors.

    Processes that vanish during the scan, or whose descriptors may not be
    read, are skipped; an error listing the root itself is raised.
    """
    return _owners_scan(_root(fs), inodes, False)  # type: ignore[return-value]


def _lowest_owners(fs: ProcFS, inodes: Iterable[int] | None = None) -> dict[int, int]:
    """The lowest pid holding each of the sockets ``inodes`` (every socket if None) that a
    process holds (what ``netstat -p`` shows): :func:`socket_owners` without the pairs.
    Stopped early, it is the lowest of those found, as there: in /proc, which lists pids
    in order, the lowest."""
    return _owners_scan(fs, inodes, True)  # type: ignore[return-value]


def _owners_scan(
    fs: ProcFS, inodes: Iterable[int] | None, lowest: bool
) -> dict[int, list[tuple[int, int]]] | dict[int, int]:
    wanted: set[int] | None = None
    if inodes is not None:
        wanted = set(inodes)
        if not wanted:
            return {}
    try:
        root_fd = _open(fs.root, _O_DIR)
    except OSError as exc:
        raise from_oserror(exc, fs.root) from None
    try:
        return _scan(fs, root_fd, wanted, lowest)
    finally:
        _close(root_fd)


# "0", "1", ...: the names of the descriptors a process most likely has.
# As bytes: readlink then neither encodes the name nor decodes the target (5% of a
# descriptor's cost).
_FD_NAMES: list[bytes] = [b"%d" % fd for fd in range(64)]


def _fd_names(count: int) -> list[bytes]:
    """:data:`_FD_NAMES` for at least ``count`` descriptors (replaced whole: thread-safe)."""
    global _FD_NAMES
    names = _FD_NAMES
    if len(names) < count:
        names = _FD_NAMES = [b"%d" % fd for fd in range(max(count, 2 * len(names)))]
    return names


def _counts_descriptors(root_fd: int) -> bool:
    """Whether the sizes of the ``[pid]/fd`` directories under ``root_fd`` count descriptors.

    Since Linux 6.2 the size of ``/proc/[pid]/fd`` is the number of open
    descriptors (before, 0). Only a procfs root qualifies (inode 1 with
    1024-byte blocks; a captured tree never is, a tmpfs root has page-size
    blocks), and only if the size of its ``self/fd`` is the number of
    descriptors listed there (give or take the one the listing opens).
    """
    try:
        st = _fstat(root_fd)
        if st.st_ino != 1 or st.st_blksize != 1024:
            return False
        own = _open("self/fd", _O_DIR, dir_fd=root_fd)
    except OSError:
        return False
    try:
        size = _fstat(own).st_size
        return size > 0 and abs(len(_listdir(own)) - size) <= 1
    except OSError:
        return False
    finally:
        _close(own)


def _scan(fs: ProcFS, root_fd: int, wanted: set[int] | None, lowest: bool) -> dict[int, Any]:
    """:func:`socket_owners` on an open root; with ``lowest``, :func:`_lowest_owners`.

    On a procfs root whose kernel counts descriptors (see
    :func:`_counts_descriptors`), a process with ``n`` descriptors numbered ``0``
    to ``n - 1`` (most of them) is read without listing its ``fd``
    directory: the links ``0`` to ``n - 1`` all read means that there is no
    other. One that has others (or that changes meanwhile) is then listed
    for the rest; one with none (a kernel thread) costs no read at all.
    This saves about half of the system calls per process.
    """
    out: dict[int, Any] = {}
    readlink = _readlink
    open_ = _open
    close = _close
    fstat = _fstat
    sized = _counts_descriptors(root_fd)  # may use the sizes
    proven = False  # a size was seen to count descriptors
    fd_names = _FD_NAMES
    try:
        names = _listdir(root_fd)
    except OSError as exc:
        raise from_oserror(exc, fs.root) from None
    for name in names:
        if not name.isdecimal():
            continue
        try:
            fd_dir = open_(name + "/fd", _O_DIR, dir_fd=root_fd)
        except OSError as exc:
            if exc.errno in _SKIP:
                continue
            raise from_oserror(exc, fs.path(name + "/fd")) from None
        try:
            pid = int(name)
            done = 0  # descriptors 0 .. done - 1 are read
            count = 0
            if sized:
                try:
                    count = fstat(fd_dir).st_size
                except OSError:
                    count = 0
                if count > 0:
                    proven = True
                    if len(fd_names) < count:
                        fd_names = _fd_names(count)
                    try:
                        while done < count:
                            target = readlink(fd_names[done], dir_fd=fd_dir)
                            if target[:8] == b"socket:[":
                                try:
                                    inode = int(target[8:-1])
                                except ValueError:
                                    inode = None
                                if inode is not None and (wanted is None or inode in wanted):
                                    owners = out.get(inode)
                                    if lowest:
                                        if owners is None or pid < owners:
                                            out[inode] = pid
                                    elif owners is None:
                                        out[inode] = [(pid, done)]
                                    else:
                                        owners.append((pid, done))
                            done += 1
                    except OSError as exc:
                        if exc.errno in _DENIED:  # the same for every descriptor
                            count = done
                        # else a gap in the numbers, or a change: list the rest
            if done < count or not (count or proven):
                # Not every descriptor read by number (or sizes not known to count).
                listed = _scan_listed(fs, name, pid, fd_dir, done, wanted, out, lowest)
                if listed and not count:
                    sized = False  # a descriptor listed, yet size 0: sizes do not count
        finally:
            close(fd_dir)
        if wanted is not None and len(out) == len(wanted):
            break
    return out


def _scan_listed(
    fs: ProcFS,
    name: str,
    pid: int,
    fd_dir: int,
    done: int,
    wanted: set[int] | None,
    out: dict[int, Any],
    lowest: bool,
) -> bool:
    """Read the ``fd`` links of one process that its listing names (above ``done``).

    Returns whether the listing named any descriptor.
    """
    try:
        fds = _listdir(fd_dir)
    except OSError as exc:
        if exc.errno in _SKIP:
            return False
        raise from_oserror(exc, fs.path(name + "/fd")) from None
    readlink = _readlink
    for fd in fds:
        if done and fd.isdecimal() and int(fd) < done:
            continue  # read by number already
        try:
            target = readlink(fd, dir_fd=fd_dir)
        except OSError as exc:
            if exc.errno == _errno.EINVAL:  # a captured tree: the link is a file
                target = _link_file(fd_dir, fd)
            elif exc.errno in _DENIED:
                break  # the same for every descriptor of the process
            elif exc.errno in _SKIP:
                continue
            else:
                raise from_oserror(exc, fs.path(f"{name}/fd/{fd}")) from None
        if target[:8] != "socket:[" or not fd.isdecimal():
            continue
        try:
            inode = int(target[8:-1])
        except ValueError:
            continue
        if wanted is not None and inode not in wanted:
            continue
        owners = out.get(inode)
        if lowest:
            if owners is None or pid < owners:
                out[inode] = pid
        elif owners is None:
            out[inode] = [(pid, int(fd))]
        else:
            owners.append((pid, int(fd)))
    return bool(fds)


def _link_file(dir_fd: int, name: str) -> str:
    """The target stored in a regular file standing for a link ("" if unreadable)."""
    try:
        fd = _os.open(name, _O_RDONLY, dir_fd=dir_fd)
    except OSError:
        return ""
    try:
        return _os.fsdecode(read_fd(fd).rstrip(b"\n"))
    except OSError:
        return ""
    finally:
        _os.close(fd)


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


#: The socket tables :func:`sockets_with_owners` reads, by name -> reader.
SOCKET_TABLES: dict[str, Callable[[ProcFS | None], Sequence[SocketEntry]]] = {
    "tcp": tcp,
    "tcp6": tcp6,
    "udp": udp,
    "udp6": udp6,
    "raw": raw,
    "raw6": raw6,
    "unix": unix,
    "packet": packet,
}


#: The record type of each socket table's entries.
_RECORDS: dict[str, type[Record]] = {
    "tcp": TcpNetEntry,
    "tcp6": TcpNetEntry,
    "udp": UdpNetEntry,
    "udp6": UdpNetEntry,
    "raw": RawNetEntry,
    "raw6": RawNetEntry,
}


def table_fields(
    table: str, fields: Sequence[str], fs: ProcFS | None = None
) -> list[tuple[Any, ...]]:
    """The fields ``fields`` of every socket of the table ``table``, a tuple per socket.

    ``table`` is a name of :data:`SOCKET_TABLES`; ``fields`` are fields or
    properties of its entries (:class:`TcpNetEntry` for ``tcp`` and
    ``tcp6``, :class:`UdpNetEntry`, :class:`RawNetEntry`,
    :class:`~procfs.core.net_unix.UnixNetEntry`,
    :class:`~procfs.core.net_packet.PacketNetEntry`). Each tuple holds one
    socket's values in the order of ``fields``: what
    ``[(e.inode, e.state) for e in tcp()]`` gives, errors included. For the
    columns every internet table has (``local_address`` to ``inode``), no
    record is made per socket (about 15% faster than reading the records'
    attributes, for 4000 sockets).
    A missing table raises :class:`~procfs.errors.NotFoundError`; an unknown
    table or field raises :class:`ValueError`.
    """
    if isinstance(fields, str):
        raise TypeError(f"fields must be a sequence of names, not the string {fields!r}")
    return _fields_of(_root(fs), table, fields)()


def _fields_of(
    fs: ProcFS, table: str, fields: Sequence[str]
) -> Callable[[], list[tuple[Any, ...]]]:
    """A function that reads the ``fields`` of the table ``table`` (checked at once)."""
    record = _RECORDS.get(table)
    if record is not None:
        parse = guard(fields_reader(record, fields), f"net/{table}")
        return lambda: fs.parse(f"net/{table}", parse, table=True)
    read = _table_reader(table)
    cls = _table_record(table)
    cls.check_fields(fields)
    get = cls.fields_getter(fields)
    return lambda: list(map(get, read(fs)))


def _table_record(table: str) -> type[Record]:
    """The record type of the entries of the table ``table`` (unix or packet)."""
    if table == "unix":
        from procfs.core.net_unix import UnixNetEntry

        return UnixNetEntry
    from procfs.core.net_packet import PacketNetEntry

    return PacketNetEntry


def _table_reader(name: str) -> Callable[[ProcFS | None], Sequence[SocketEntry]]:
    read = SOCKET_TABLES.get(name)
    if read is None:
        raise ValueError(f"unknown socket table {name!r}; known: {', '.join(SOCKET_TABLES)}")
    return read


def _entries_of(fs: ProcFS, name: str) -> Callable[[], Sequence[SocketEntry]]:
    """A function that reads the entries of the table ``name`` (checked at once)."""
    read = _table_reader(name)
    return lambda: read(fs)


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


def _read_tables(fs: ProcFS, names: Iterable[str]) -> list[tuple[str, Sequence[SocketEntry]]]:
    """The entries of the socket tables ``names``, in order (a missing IPv6 table: none)."""
    return _each_table(names, lambda name: _entries_of(fs, name))


def _read_fields(
    fs: ProcFS, names: Iterable[str], fields: Sequence[str]
) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """:func:`table_fields` of the tables ``names``, in order (a missing IPv6 table: none)."""
    return _each_table(names, lambda name: _fields_of(fs, name, fields))


class _OwnerScan:
    """The scan for the lowest pid holding each socket any process holds
    (:func:`_lowest_owners` of every socket), started at once in a child process where
    it may be (:func:`_may_fork`), and collected by :meth:`owners`.

    The kernel takes milliseconds to print a big socket table, and the scan is mostly
    ``readlink`` calls: with the scan in a child, this process reads and parses the tables
    meanwhile (``procfs netstat`` with 4000 sockets takes a fifth less time, with the same
    CPU time). Otherwise, or if the child fails, :meth:`owners` scans here. Either way the
    scan looks for every socket (the inodes come too late for it to stop early) and finds
    the same owners; errors are the scan's. Use it in a ``with`` block: leaving it ends
    the child if its owners were not collected.
    """

    __slots__ = ("_collect", "_fs")

    def __init__(self, fs: ProcFS) -> None:
        self._fs = fs
        self._collect = _scan_aside(fs) if _may_fork() else None

    def owners(self) -> dict[int, int]:
        """Socket inode -> the lowest pid holding it, for every socket a process holds."""
        collect, self._collect = self._collect, None
        found = collect(False) if collect is not None else None
        return _lowest_owners(self._fs) if found is None else found

    def stop(self) -> None:
        """End the child, if any, without its owners."""
        collect, self._collect = self._collect, None
        if collect is not None:
            collect(True)

    def __enter__(self) -> _OwnerScan:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _cpus() -> int:
    """How many CPUs this process may run on (1 if that is unknown)."""
    try:
        return len(_os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return 1


def _may_fork() -> bool:
    """Whether the owner scan may run in a child process: this process may run on two
    CPUs or more, has not loaded ``threading`` (a process with threads should not fork),
    and is small (a fork copies the page tables: past :data:`_FORK_MAX_RESIDENT`
    resident, that costs more than the scan it saves)."""
    return "threading" not in _sys.modules and _cpus() > 1 and _resident() < _FORK_MAX_RESIDENT


#: The resident size past which the owner scan does not fork (bytes).
_FORK_MAX_RESIDENT = 64 << 20


def _resident() -> int:
    """This process's resident size in bytes (from ``/proc/self/statm``; huge if unknown)."""
    try:
        pages = int(_root(None).read("self/statm", single=True).split()[1])
    except (ProcError, ValueError, IndexError):
        return 1 << 62
    return pages * _os.sysconf("SC_PAGE_SIZE")


def _scan_aside(fs: ProcFS) -> Callable[[bool], dict[int, int] | None] | None:
    """Start the scan for the lowest owners of every socket in a child process.

    Returns what collects its result: ``collect(False)`` waits for the owners (None
    if the child failed), ``collect(True)`` ends the child instead; either way the child
    is reaped. Returns None if no child could be started.
    """
    try:
        read_end, write_end = _os.pipe()
    except OSError:
        return None
    try:
        pid = _os.fork()
    except OSError:
        _os.close(read_end)
        _os.close(write_end)
        return None
    if not pid:
        _scan_child(fs, write_end)
    _os.close(write_end)
    return lambda stop: _collect(pid, read_end, stop)


def _scan_child(fs: ProcFS, out: int) -> NoReturn:
    """The child of :func:`_scan_aside`: scan, send the owners (marshalled) to ``out``, and
    end at once (whatever fails, the parent sees no owners and scans itself)."""
    status = 1
    try:
        _close_all_but(out)  # the parent's sockets must not look held by the child too
        data = memoryview(_marshal.dumps(_lowest_owners(fs)))
        while data:
            data = data[_os.write(out, data) :]
        status = 0
    finally:
        _os._exit(status)


def _close_all_but(keep: int) -> None:
    """Close every descriptor of this process but ``keep``."""
    try:
        names = _listdir("/proc/self/fd")
    except OSError:
        return
    for name in names:
        if name.isdecimal() and int(name) != keep:
            try:
                _close(int(name))
            except OSError:
                pass  # the listing's own descriptor, closed already


_SIGKILL = 9  # on every Linux architecture (the signal module would cost its import)


def _collect(pid: int, pipe: int, stop: bool) -> dict[int, int] | None:
    """What the child ``pid`` of :func:`_scan_aside` sent through ``pipe``: its owners, or
    None if it failed; with ``stop``, end it instead (None)."""
    data = b""
    try:
        if stop:
            _os.kill(pid, _SIGKILL)
        else:
            data = read_fd(pipe)
    finally:
        _close(pipe)
        try:
            status = _os.waitpid(pid, 0)[1]
        except ChildProcessError:  # reaped already (SIGCHLD ignored): the data tells
            status = 0
    if stop or status:
        return None
    try:
        owners = _marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return owners if isinstance(owners, dict) else None


def _owners_of(fs: ProcFS, inodes: Iterable[int | None]) -> dict[int, list[tuple[int, int]]]:
    """:func:`socket_owners` of the sockets ``inodes`` (0 and None left out)."""
    wanted = set(inodes)
    # (0: a socket no process holds; None: a unix socket whose inode is unknown)
    wanted.discard(0)
    wanted.discard(None)
    return _owners_scan(fs, wanted, False) if wanted else {}  # type: ignore[arg-type, return-value]


_inode = _attrgetter("inode")


def _join(
    fs: ProcFS, names: Iterable[str], make: Callable[[tuple[object, ...]], _Row]
) -> list[_Row]:
    """Read the tables ``names``, find the owners of their sockets in one scan, make the rows."""
    tables = _read_tables(fs, names)
    owners = _owners_of(fs, (entry.inode for _, entries in tables for entry in entries))
    comms: dict[int, str | None] = {}
    owner = SocketOwner._make
    none: tuple[SocketOwner, ...] = ()
    out: list[_Row] = []
    append = out.append
    get = owners.get
    for name, entries in tables:
        for entry in entries:
            pairs = get(entry.inode)  # type: ignore[arg-type]  # None or 0: not in owners
            if not pairs:
                append(make((name, entry, none)))
            elif len(pairs) == 1:
                pid, fd = pairs[0]
                comm = comms[pid] if pid in comms else _comm(fs, pid, comms)
                append(make((name, entry, (owner((pid, fd, comm)),))))
            else:
                found = tuple(
                    owner((pid, fd, comms[pid] if pid in comms else _comm(fs, pid, comms)))
                    for pid, fd in sorted(pairs)
                )
                append(make((name, entry, found)))
    return out


def sockets_with_owners(
    fs: ProcFS | None = None, tables: Iterable[str] = ("tcp", "tcp6")
) -> list[OwnedSocket]:
    """The sockets of ``tables`` (names of :data:`SOCKET_TABLES`) with their owning processes.

    Tables are read in the order given, then the processes are scanned once
    for all of them (with :func:`socket_owners`, which stops early once each
    socket has an owner). A missing IPv6 table (``tcp6``, ``udp6``,
    ``raw6``: a kernel without IPv6) reads as no sockets; another missing
    table raises :class:`~procfs.errors.NotFoundError`. An unknown table
    name raises :class:`ValueError`.
    """
    return _join(_root(fs), tables, OwnedSocket._make)


def tcp_with_owners(
    fs: ProcFS | None = None, *, ipv4: bool = True, ipv6: bool = True
) -> list[TcpSocket]:
    """The TCP sockets (``net/tcp`` then ``net/tcp6``) with their owning processes.

    A missing ``net/tcp6`` (a kernel without IPv6) reads as no sockets.
    Owners are found with :func:`socket_owners` for the sockets listed, so
    the scan stops early once each has an owner.
    """
    names = [name for name, wanted in (("tcp", ipv4), ("tcp6", ipv6)) if wanted]
    return _join(_root(fs), names, TcpSocket._make)


def _comm(fs: ProcFS, pid: int, cache: dict[int, str | None]) -> str | None:
    try:
        comm: str | None = _os.fsdecode(fs.read(f"{pid}/comm", True).removesuffix(b"\n"))
    except ProcError:
        comm = None
    cache[pid] = comm
    return comm
