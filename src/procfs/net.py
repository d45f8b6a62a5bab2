"""Socket tables and the socket-inode to process map.

:func:`tcp` and :func:`tcp6` read the TCP tables of a procfs root (the
network namespace of the reading process, for the live ``/proc``).
:func:`socket_owners` finds which processes hold which sockets by reading
every ``/proc/[pid]/fd/*`` link (``socket:[inode]``), and
:func:`tcp_with_owners` joins the two, as ``netstat -p`` does.

Finding owners reads one link per open descriptor of every process, so it
costs what ``netstat -p`` or ``ss -p`` cost. Processes that exit meanwhile,
and those whose descriptors the caller may not read (other users' processes
when not root), are skipped without a word: their sockets simply have no
owner.
"""

from __future__ import annotations

import errno as _errno
import os as _os

from procfs._fs import DEFAULT_ROOT, ProcFS, read_fd
from procfs.core._record import Record
from procfs.core.net import TcpNetEntry, parse_tcp, parse_tcp6
from procfs.errors import NotFoundError, ProcError, from_oserror

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "SocketOwner",
    "TcpSocket",
    "socket_owners",
    "tcp",
    "tcp6",
    "tcp_with_owners",
]

_O_RDONLY = _os.O_RDONLY | getattr(_os, "O_CLOEXEC", 0)
_O_DIR = _O_RDONLY | getattr(_os, "O_DIRECTORY", 0)

# A process or descriptor that went away, or that we may not look at: skip it.
_SKIP = frozenset((_errno.ENOENT, _errno.ESRCH, _errno.EACCES, _errno.EPERM, _errno.ENOTDIR))

_open = _os.open
_close = _os.close
_listdir = _os.listdir
_readlink = _os.readlink

_DEFAULT: ProcFS | None = None


def _root(fs: ProcFS | None) -> ProcFS:
    global _DEFAULT
    if fs is not None:
        return fs
    if _DEFAULT is None:
        _DEFAULT = ProcFS(DEFAULT_ROOT)
    return _DEFAULT


# A seq_file read returns at most one buffer (a page or more) of whole lines;
# a read that comes back shorter than a page by more than the longest line
# ended because the table did. Stopping there saves the read that would only
# see the end, which for the socket tables means walking the whole
# connection hash table again (about 1 ms on a small machine).
_READ_SIZE = 65536
_SURELY_LAST = 4096 - 1024


def _read_table(fs: ProcFS, relative: str) -> bytes:
    """A seq_file table (``net/tcp``) read without the final empty read when possible."""
    path = fs.path(relative)
    try:
        fd = _open(path, _O_RDONLY)
    except OSError as exc:
        raise from_oserror(exc, path) from None
    try:
        chunks = []
        while True:
            chunk = _os.read(fd, _READ_SIZE)
            if chunk:
                chunks.append(chunk)
            if len(chunk) < _SURELY_LAST:
                break
        return b"".join(chunks)
    except OSError as exc:
        raise from_oserror(exc, path) from None
    finally:
        _close(fd)


def tcp(fs: ProcFS | None = None) -> list[TcpNetEntry]:
    """The IPv4 TCP sockets of a procfs root, from ``net/tcp``."""
    fs = _root(fs)
    return parse_tcp(_read_table(fs, "net/tcp"), fs.path("net/tcp"))


def tcp6(fs: ProcFS | None = None) -> list[TcpNetEntry]:
    """The IPv6 TCP sockets of a procfs root, from ``net/tcp6``.

    Raises :class:`~procfs.errors.NotFoundError` on a kernel without IPv6.
    """
    fs = _root(fs)
    return parse_tcp6(_read_table(fs, "net/tcp6"), fs.path("net/tcp6"))


def socket_owners(
    fs: ProcFS | None = None, inodes: Iterable[int] | None = None
) -> dict[int, list[tuple[int, int]]]:
    """Which processes hold which sockets: socket inode -> ``[(pid, fd), ...]``.

    Reads the ``fd`` links of every process under the root. With ``inodes``,
    only those sockets are reported, and the scan stops at the end of the
    first process after which every one of them has an owner (a socket shared
    by several processes then lists only the owners found so far). The pairs
    come in the order the kernel lists processes and descriptors.

    Processes that vanish during the scan, or whose descriptors may not be
    read, are skipped; an error listing the root itself is raised.
    """
    fs = _root(fs)
    wanted: set[int] | None = None
    if inodes is not None:
        wanted = set(inodes)
        if not wanted:
            return {}
    out: dict[int, list[tuple[int, int]]] = {}
    readlink = _readlink
    listdir = _listdir
    open_ = _open
    close = _close
    try:
        root_fd = open_(fs.root, _O_DIR)
    except OSError as exc:
        raise from_oserror(exc, fs.root) from None
    try:
        try:
            names = listdir(root_fd)
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
                try:
                    fds = listdir(fd_dir)
                except OSError as exc:
                    if exc.errno in _SKIP:
                        continue
                    raise from_oserror(exc, fs.path(name + "/fd")) from None
                pid = int(name)
                for fd in fds:
                    try:
                        target = readlink(fd, dir_fd=fd_dir)
                    except OSError as exc:
                        if exc.errno == _errno.EINVAL:  # a captured tree: the link is a file
                            target = _link_file(fd_dir, fd)
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
                    if owners is None:
                        out[inode] = [(pid, int(fd))]
                    else:
                        owners.append((pid, int(fd)))
            finally:
                close(fd_dir)
            if wanted is not None and len(out) == len(wanted):
                break
    finally:
        close(root_fd)
    return out


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


def tcp_with_owners(
    fs: ProcFS | None = None, *, ipv4: bool = True, ipv6: bool = True
) -> list[TcpSocket]:
    """The TCP sockets (``net/tcp`` then ``net/tcp6``) with their owning processes.

    A missing ``net/tcp6`` (a kernel without IPv6) reads as no sockets.
    Owners are found with :func:`socket_owners` for the sockets listed, so
    the scan stops early once each has an owner.
    """
    fs = _root(fs)
    tables: list[tuple[str, list[TcpNetEntry]]] = []
    for proto, wanted, read in (("tcp", ipv4, tcp), ("tcp6", ipv6, tcp6)):
        if not wanted:
            continue
        try:
            tables.append((proto, read(fs)))
        except NotFoundError:
            if proto == "tcp":
                raise
    inodes = {entry.inode for _, entries in tables for entry in entries if entry.inode}
    owners = socket_owners(fs, inodes) if inodes else {}
    comms: dict[int, str | None] = {}
    out: list[TcpSocket] = []
    for proto, entries in tables:
        for entry in entries:
            pairs = owners.get(entry.inode) if entry.inode else None
            found: tuple[SocketOwner, ...] = ()
            if pairs:
                found = tuple(
                    SocketOwner(pid, fd, comms[pid] if pid in comms else _comm(fs, pid, comms))
                    for pid, fd in sorted(pairs)
                )
            out.append(TcpSocket(proto, entry, found))
    return out


def _comm(fs: ProcFS, pid: int, cache: dict[int, str | None]) -> str | None:
    try:
        comm: str | None = _os.fsdecode(fs.read(f"{pid}/comm", True).removesuffix(b"\n"))
    except ProcError:
        comm = None
    cache[pid] = comm
    return comm
