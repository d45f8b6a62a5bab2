"""The family and the open things of a process: parent, children, open files, sockets.

Family
------
:meth:`ProcessRelations.parent`, :meth:`~ProcessRelations.parents` and
:meth:`~ProcessRelations.children` give :class:`~procfs.Process` handles, each
bound at discovery to the start time the kernel reported for it (so a handle
never silently becomes a newcomer that reused the pid; see
:mod:`procfs.process`). Children come from the ``task/*/children`` files
(CONFIG_PROC_CHILDREN, Linux 3.5) where the kernel has them, else from one
scan of every process's ``stat`` (its ``ppid``). :func:`process_tree` (the
accessor ``procfs.process_tree()``) reads the whole tree in one scan.

Open things
-----------
:meth:`~ProcessRelations.open_files` lists the regular files the process
holds open, with position and flags from ``fdinfo``;
:meth:`~ProcessRelations.sockets` and :meth:`~ProcessRelations.connections`
its sockets, found in the socket tables of *its* network namespace
(``/proc/[pid]/net/*``, read through the handle's pinned directory) by the
inodes of its ``socket:[inode]`` descriptors. Reading another user's
descriptors needs root (ptrace access): it raises
:class:`~procfs.errors.PermissionDeniedError`, never an empty list.
"""

from __future__ import annotations

import os as _os
import stat as _stat

from procfs import core
from procfs._fs import Root, is_pid
from procfs._handle import _Handle
from procfs.core._record import Record
from procfs.errors import NotFoundError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Sequence

    from procfs.net import Connection, SocketEntry
    from procfs.process import Process
    from procfs.root import ProcFS

__all__ = [
    "OpenFile",
    "ProcessNode",
    "ProcessRelations",
    "ProcessSocket",
    "RelationFiles",
    "children_of",
]


class OpenFile(Record):
    """A regular file a process holds open (a row of psutil's ``open_files``).

    Attributes:
        path: The file's path as the process's mount namespace names it
            (the target of ``/proc/[pid]/fd/N``, without ``" (deleted)"``).
        fd: The descriptor number.
        position: The file offset, bytes (``pos`` of ``fdinfo``).
        mode: The open mode as psutil and :func:`open` spell it: ``"r"``,
            ``"w"``, ``"a"``, ``"r+"`` or ``"a+"``.
        flags: The open flags (``flags`` of ``fdinfo``: ``O_ACCMODE`` bits,
            ``O_APPEND``, ``O_CLOEXEC``...), as a number.
        deleted: Whether the file was unlinked since it was opened (psutil
            leaves such files out, unless another file now has the path).
    """

    path: str
    fd: int
    position: int
    mode: str
    flags: int
    deleted: bool


class ProcessSocket(Record):
    """A socket a process holds: its descriptor and its line of a socket table.

    Attributes:
        fd: The descriptor number.
        table: The table it comes from (a name of
            :data:`procfs.net.SOCKET_TABLES`: ``"tcp"``, ``"udp6"``,
            ``"unix"``, ``"packet"``...).
        entry: Its line of that table (:class:`~procfs.core.net.TcpNetEntry`,
            :class:`~procfs.core.net.UdpNetEntry`,
            :class:`~procfs.core.net.RawNetEntry`,
            :class:`~procfs.core.net_unix.UnixNetEntry` or
            :class:`~procfs.core.net_packet.PacketNetEntry`).
    """

    fd: int
    table: str
    entry: SocketEntry


class ProcessNode(Record):
    """One process of :func:`process_tree`, with its children.

    Attributes:
        pid: The process id.
        ppid: Its parent's pid as the kernel gave it (0 for the roots of the
            kernel's tree, ``init`` and ``kthreadd``; a node whose parent was
            not seen, because it exited during the scan, is a root too).
        comm: The command name (``stat``'s ``comm``).
        start_time_ticks: When it started, clock ticks after boot (``stat``
            field 22): with the pid, the process's identity.
        children: Its children, in pid order.
    """

    pid: int
    ppid: int
    comm: str
    start_time_ticks: int
    children: tuple[ProcessNode, ...]

    def process(self, fs: ProcFS | None = None) -> Process:
        """A handle on this process (under ``fs``, the live ``/proc`` by default), bound to
        its start time: if the pid now names another process, reading it raises
        :class:`~procfs.errors.NotFoundError`."""
        return _bound(self.pid, self.start_time_ticks, fs)

    def walk(self) -> list[ProcessNode]:
        """This node and all its descendants, depth first, parents before children."""
        out: list[ProcessNode] = []
        stack = [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


# A recursive walk of the children files costs about four times a scan's read of
# one process (a handle, its stat, its task directory, its children files): past a
# quarter of all processes found (checked once more than _WALK_CHECK are), the walk
# gives way to one scan (bench/relations.py, "children": 2100 processes, from pid 1,
# walking 570 ms, the scan 130 ms; psutil 525 ms).
_WALK_CHECK = 32
# Up to this many sockets, a process's lines of a socket table are found by searching
# for each inode (core.net.lines_with_inodes) and only they are parsed; past it the
# whole table is (a search per inode of 8000 lines costs about 1/50 of parsing them).
_FEW_SOCKETS = 16
_WALK_SHARE = 4


def _unbound(pid: int, fs: ProcFS | None) -> Process:
    """A handle on process ``pid``, bound to it at its first read."""
    from procfs.process import Process

    return Process(pid, fs, _check=False)


def _bound(pid: int, start_time: int, fs: ProcFS | None) -> Process:
    """A handle on process ``pid`` bound to the start time ``start_time`` (not checked now)."""
    from procfs.process import Process

    return Process.bound(pid, start_time, fs)


def _mode(flags: int) -> str:
    """psutil's mode letters for open flags: ``r``, ``w``, ``a``, ``r+``, ``a+``."""
    access = flags & _os.O_ACCMODE
    mode = "r" if access == _os.O_RDONLY else "w" if access == _os.O_WRONLY else "r+"
    if flags & _os.O_APPEND:  # (its value differs between architectures)
        mode = "a" if access == _os.O_WRONLY else "a+" if access == _os.O_RDWR else mode
    return mode


class ProcessRelations(_Handle):
    """The family and the open things of a process: parent, children, open files, sockets."""

    __slots__ = ()

    # -- family -----------------------------------------------------------

    def parent(self) -> Process | None:
        """The parent process, or ``None`` (for ``init`` and kernel roots: ppid 0).

        The parent must have started no later than this process: a pid reused
        after the parent exited (the child is then re-parented, so its
        ``ppid`` changes) is not taken for it.
        """
        for _attempt in range(3):
            stat = self.stat()
            if stat.ppid <= 0:
                return None
            candidate = _unbound(stat.ppid, self._fs)
            try:
                started = candidate.stat().starttime
            except NotFoundError:
                continue  # it exited: this process has a new parent now
            if started <= stat.starttime:
                return candidate
        return None

    def parents(self) -> list[Process]:
        """The ancestors, from the parent up to the root (``init``, pid 1, for most)."""
        out: list[Process] = []
        seen: set[int] = {self.pid}
        found = self.parent()
        while found is not None and found.pid not in seen:
            out.append(found)
            seen.add(found.pid)
            try:
                found = found.parent()
            except NotFoundError:
                break  # that ancestor exited meanwhile
        return out

    def child_pids(self) -> list[int]:
        """The pids of the children of all threads (``task/*/children``, CONFIG_PROC_CHILDREN).

        A child whose parent thread exited is re-parented to the process and
        listed under another thread; see proc(5) for the limits of this file.
        Raises :class:`~procfs.errors.NotFoundError` on a kernel without these
        files (:meth:`children` then scans).
        """
        main = f"task/{self.pid}/children"
        out = core.pid_values.parse_children(self.read(main), self.path(main))
        seen = set(out)
        for name in self.listdir("task"):
            if not is_pid(name) or int(name) == self.pid:
                continue
            relative = f"task/{name}/children"
            try:
                kids = core.pid_values.parse_children(self.read(relative), self.path(relative))
            except NotFoundError:
                continue  # the thread exited
            for pid in kids:
                if pid not in seen:
                    seen.add(pid)
                    out.append(pid)
        return out

    def children(self, recursive: bool = False) -> list[Process]:
        """The child processes, as handles; with ``recursive``, every descendant.

        Breaking change: this gave pids before (:meth:`child_pids` does now).
        From the ``task/*/children`` files where the kernel has them, else
        from one scan of every process's ``ppid``. Each handle is bound to the
        start time read when it was found, and only processes that started
        no earlier than their parent are taken (a pid reused meanwhile is
        left out). A recursive walk visits each process once, parents
        before their children (breadth first); processes that exit during
        it are left out. A recursive walk that finds a large share of all
        processes gives way to one scan of every process (cheaper then).
        """
        try:
            direct = self.child_pids()
        except NotFoundError:
            if not self.is_alive():
                raise
            return self._children_by_scan(recursive)
        own = self.stat().starttime
        found = children_of(self._fs, self.pid, own, direct)
        if not recursive:
            return found
        seen = {(p.pid, p._start_time) for p in found}
        out = list(found)
        index = 0
        limit: int | None = None  # how many the walk may find, known past _WALK_CHECK
        while index < len(out):
            if len(out) > _WALK_CHECK:
                if limit is None:
                    limit = len(self._fs.pid_names()) // _WALK_SHARE
                if len(out) > limit:  # a big tree: one scan of every process is cheaper
                    return self._children_by_scan(True)
            parent = out[index]
            index += 1
            try:
                pids = parent.child_pids()
            except NotFoundError:
                continue  # it exited
            assert parent._start_time is not None
            for kid in children_of(self._fs, parent.pid, parent._start_time, pids):
                key = (kid.pid, kid._start_time)
                if key not in seen:
                    seen.add(key)
                    out.append(kid)
        return out

    def _children_by_scan(self, recursive: bool) -> list[Process]:
        """:meth:`children` from one scan of ``stat`` (a kernel without ``children`` files)."""
        rows = list(self._fs.scan_fields(("pid", "stat.ppid", "stat.starttime")))
        own = self.stat().starttime  # after the scan: this process was alive throughout
        by_parent: dict[int, list[tuple[int, int]]] = {}
        for pid, ppid, start in rows:
            by_parent.setdefault(ppid, []).append((pid, start))
        out: list[Process] = []
        level = [(self.pid, own)]
        while level:
            following: list[tuple[int, int]] = []
            for pid, start in level:
                for kid, kid_start in sorted(by_parent.get(pid, ())):
                    if kid_start >= start:
                        out.append(_bound(kid, kid_start, self._fs))
                        following.append((kid, kid_start))
            if not recursive:
                break
            level = following
        return out

    # -- open files ---------------------------------------------------------

    def open_files(self) -> list[OpenFile]:
        """The regular files the process holds open, in descriptor order (psutil's ``open_files``).

        A descriptor counts when it names a path (not a socket, pipe,
        anonymous inode or memfd) and ``stat`` of ``/proc/[pid]/fd/N`` (the
        open file itself, whatever mount namespace holds it) says it is a
        regular file. Unlike psutil, unlinked files are listed too
        (``deleted``). In a captured tree, where the file types are unknown,
        every absolute path counts. Descriptors closed meanwhile are left
        out. Needs ptrace access to the process
        (:class:`~procfs.errors.PermissionDeniedError`).
        """
        fs = self._fs
        trusted = fs.trusted
        prefix = self._prefix
        file_path = core.fd.file_path
        position_and_flags = core.fdinfo.position_and_flags
        single = core.fdinfo.parse_fdinfo.__read__ == "single"
        make = OpenFile._make
        dirfd = self._pin()
        try:
            links = fs.links_at(dirfd, "fd", prefix + "fd")
            # Only path targets start with "/"; only regular files cost an fdinfo read.
            names = [name for name, target in links.items() if target[:1] == "/" and is_pid(name)]
            out: list[OpenFile] = []
            for name in sorted(names, key=int):
                if trusted:
                    found = fs.stat_at(dirfd, "fd/" + name, f"{prefix}fd/{name}")
                    if found is None or not _stat.S_ISREG(found.st_mode):
                        continue
                target = file_path(links[name])
                if target is None:  # a memfd
                    continue
                path = f"{prefix}fdinfo/{name}"
                try:
                    data = fs.read_at(dirfd, "fdinfo/" + name, path, single)
                except NotFoundError:
                    continue  # closed meanwhile
                position, flags = position_and_flags(data, path)
                out.append(make((target[0], int(name), position, _mode(flags), flags, target[1])))
            return out
        finally:
            self._release()

    # -- sockets --------------------------------------------------------------

    def socket_fds(self) -> dict[int, list[int]]:
        """Socket inode -> the descriptors of this process that hold it (``socket:[inode]``
        links of ``fd/``). Needs ptrace access
        (:class:`~procfs.errors.PermissionDeniedError`)."""
        path = self._prefix + "fd"
        links = self._with_dir(lambda dirfd: self._fs.links_at(dirfd, "fd", path))
        out: dict[int, list[int]] = {}
        for name in sorted(links, key=lambda n: int(n) if is_pid(n) else -1):
            target = links[name]
            if target[:8] == "socket:[" and target[-1:] == "]" and is_pid(name):
                inode = target[8:-1]
                if inode.isdigit():
                    out.setdefault(int(inode), []).append(int(name))
        return out

    def sockets(self, kinds: Iterable[str] | None = None) -> list[ProcessSocket]:
        """The sockets the process holds, with their lines of the socket tables.

        ``kinds`` are names of :data:`procfs.net.SOCKET_TABLES` (``"tcp"``,
        ``"tcp6"``, ``"udp"``, ``"udp6"``, ``"raw"``, ``"raw6"``, ``"unix"``,
        ``"packet"``; all of them by default; an unknown one raises
        :class:`ValueError`). The tables are read through the process's own
        directory (``/proc/[pid]/net/*``: its network namespace) and matched
        with the inodes of its ``socket:[inode]`` descriptors; one row per
        holding descriptor, in table order. A socket of another kind (netlink,
        a socket of another namespace) is in no table and left out. A missing
        IPv6 table reads as no sockets. Needs ptrace access
        (:class:`~procfs.errors.PermissionDeniedError`).
        """
        from procfs.net import SOCKET_TABLES, table_parser

        if isinstance(kinds, str):
            raise TypeError(f"kinds must be a sequence of table names, not the string {kinds!r}")
        names = list(SOCKET_TABLES if kinds is None else kinds)
        for name in names:
            table_parser(name)  # checks the name before anything is read
        held = self.socket_fds()
        if not held:
            return []
        make = ProcessSocket._make
        out: list[ProcessSocket] = []
        for name, entries in self._socket_tables(names, held):
            for entry in entries:
                for fd in held.get(entry.inode or 0, ()):
                    out.append(make((fd, name, entry)))
        return out

    def _socket_tables(
        self, names: Sequence[str], inodes: Collection[int]
    ) -> list[tuple[str, Sequence[SocketEntry]]]:
        """The tables ``names`` read through this process's directory, each with its name
        (a missing IPv6 table left out): their sockets with one of ``inodes`` at least
        (every one of ``net/unix``; only the lines of those of the others are parsed)."""
        from procfs.net import table_parser

        parsers = [(name, table_parser(name)) for name in names]
        select = core.net.lines_with_inodes
        out: list[tuple[str, Sequence[SocketEntry]]] = []
        for name, parse in parsers:
            relative = f"net/{name}"
            try:
                data = self.read(relative)
            except NotFoundError:
                if not name.endswith("6") or not self.is_alive():
                    raise
                continue
            # (a unix socket's path may go on over several lines; and each inode costs
            # a search of the whole table: for many, parsing it all is cheaper)
            if name != "unix" and len(inodes) <= _FEW_SOCKETS:
                data = select(data, inodes, 8 if name == "packet" else 9)
            out.append((name, parse(data, self.path(relative))))
        return out

    def connections(self, kind: str = "inet") -> list[Connection]:
        """The process's sockets of psutil's kind ``kind``, as psutil's ``net_connections``.

        ``kind``: ``"inet"`` (TCP and UDP over IPv4 and IPv6), ``"inet4"``,
        ``"inet6"``, ``"tcp"``, ``"tcp4"``, ``"tcp6"``, ``"udp"``, ``"udp4"``,
        ``"udp6"``, ``"unix"`` or ``"all"`` (an unknown one raises
        :class:`ValueError`). Each :class:`~procfs.net.Connection` has this
        process's pid and the holding descriptor (one per descriptor, where
        psutil gives one per internet socket). Read as :meth:`sockets` does:
        the tables of the process's own network namespace. Needs ptrace
        access (:class:`~procfs.errors.PermissionDeniedError`).
        """
        from procfs.net import connection_tables, connections_of

        names = connection_tables(kind)  # checks the kind before anything is read
        held = self.socket_fds()
        if not held:
            return []
        tables = self._socket_tables(names, held)
        pid = self.pid
        return connections_of(tables, lambda inode: [(pid, fd) for fd in held.get(inode or 0, ())])


def children_of(fs: ProcFS, parent: int, parent_start: int, pids: Iterable[int]) -> list[Process]:
    """Handles on the processes ``pids`` that are children of the process ``parent``
    (started at ``parent_start``), each bound to its start time; the others (gone, or a
    pid reused by a process that is no child) left out."""
    out: list[Process] = []
    for pid in pids:
        handle = _unbound(pid, fs)
        try:
            stat = handle.stat()
        except NotFoundError:
            continue
        if stat.ppid == parent and stat.starttime >= parent_start:
            out.append(handle)
    return out


class RelationFiles(Root):
    """The process tree of a procfs root, in one scan."""

    __slots__ = ()

    def process_tree(self) -> list[ProcessNode]:
        """Every process under this root as a tree: the roots, each with its descendants.

        One scan of every process's ``stat`` (pid, ppid, comm, start time),
        the basis of ``pstree``. The roots are the processes whose parent is
        not listed: ``init`` (pid 1) and ``kthreadd`` (pid 2) on a whole
        system (ppid 0), and any process whose parent exited during the scan.
        Children come in pid order, roots too. Nodes are records (no handle
        is opened); :meth:`ProcessNode.process` gives a handle bound to the
        node's start time.
        """
        fs: ProcFS = self  # type: ignore[assignment]
        rows = sorted(fs.scan_fields(("pid", "stat.ppid", "stat.comm", "stat.starttime")))
        known = {row[0] for row in rows}
        by_parent: dict[int, list[tuple[int, int, str, int]]] = {}
        roots: list[tuple[int, int, str, int]] = []
        for row in rows:
            pid, ppid = row[0], row[1]
            if ppid in known and ppid != pid:
                by_parent.setdefault(ppid, []).append(row)
            else:
                roots.append(row)
        # Build the nodes children first: a post-order walk without recursion.
        made: dict[int, ProcessNode] = {}
        make = ProcessNode._make
        for root in roots:
            stack: list[tuple[tuple[int, int, str, int], bool]] = [(root, False)]
            while stack:
                row, expanded = stack.pop()
                kids = by_parent.get(row[0], ())
                if not expanded and kids:
                    stack.append((row, True))
                    stack.extend((kid, False) for kid in kids if kid[0] not in made)
                    continue
                children = tuple(made[kid[0]] for kid in kids if kid[0] in made)
                made[row[0]] = make((*row, children))
        return [made[root[0]] for root in roots]
