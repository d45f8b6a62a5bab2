"""The base of process and thread handles: the pinned directory, identity and one method per file.

See :mod:`procfs.process` for the identity rules; :class:`procfs.process.Process` and
:class:`procfs.process.Task` add what only one of them has, and the mixins of
``process_*`` modules build the psutil-style API on the methods here.
"""

from __future__ import annotations

import errno as _errno
import os as _os

from procfs import _pool, core
from procfs._fs import DEFAULT_ROOT, is_pid, new_root
from procfs._pool import POOL as _POOL
from procfs.core.stat import Stat, parse_stat
from procfs.errors import NotFoundError, ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from typing import TypeVar

    from procfs.core._parse import Parser
    from procfs.core.auxv import AuxvEntry
    from procfs.core.fdinfo import FdInfo
    from procfs.core.idmap import IdMapEntry
    from procfs.core.io import Io
    from procfs.core.limits import Limits
    from procfs.core.maps import MemoryMap
    from procfs.core.mountinfo import MountInfo
    from procfs.core.mounts import MountEntry
    from procfs.core.ns import Namespace
    from procfs.core.numa_maps import NumaMap
    from procfs.core.pagemap import PageEntry
    from procfs.core.pid_values import Personality
    from procfs.core.process_cgroup import ProcessCgroup
    from procfs.core.sched import Sched, SchedStat
    from procfs.core.smaps import SmapsEntry, SmapsRollup
    from procfs.core.statm import StatM
    from procfs.core.status import Status
    from procfs.core.syscall import Syscall
    from procfs.root import ProcFS

    T = TypeVar("T")

__all__ = ["_Handle"]

#: The ``stat`` flag of a kernel thread (include/linux/sched.h).
_PF_KTHREAD = 0x00200000
_close = _os.close

# What clear_refs accepts (proc(5)).
_CLEAR_REFS = {
    1: "reset the referenced/accessed bits of all pages",
    2: "reset them for anonymous pages only",
    3: "reset them for file-mapped pages only",
    4: "clear the soft-dirty bits of all pages",
    5: "reset the peak resident set size (VmHWM)",
}


def _int_or_max(name: str) -> int:
    return int(name) if is_pid(name) else 1 << 62


class _Handle:
    """What :class:`Process` and :class:`Task` share: the pinned directory and the file readers.

    ``_rel`` is the handle's directory relative to the procfs root
    (``"123"``, ``"123/task/124"``); every method reads through the pinned
    descriptor of that directory (see the module notes).
    """

    __slots__ = (
        "__weakref__",
        "_busy",
        "_cpu_last",
        "_dirfd",
        "_fs",
        "_inode",
        "_prefix",
        "_rel",
        "_settled",
        "_start_time",
        "pid",
    )

    pid: int
    """The process ID (of the thread's process, for a :class:`~procfs.process.Task`)."""
    _fs: ProcFS
    _rel: str
    #: the full path of the directory with a final "/", for error messages
    _prefix: str
    #: the pinned directory descriptor, or -1 (only the pool sets it to -1)
    _dirfd: int
    #: one item per read in progress (list.append and list.pop are atomic, so
    #: a read ends without taking the pool lock); the pool never closes the
    #: descriptor of a busy handle
    _busy: list[None]
    _start_time: int | None
    #: (device, inode) of the directory first pinned, kept while the start
    #: time alone does not tell the process from a newcomer (see the notes)
    _inode: tuple[int, int] | None
    #: whether the start time alone identifies the process
    _settled: bool
    #: (monotonic time, CPU clock ticks used) at the last ``cpu_percent``, or None
    _cpu_last: tuple[float, int] | None

    @property
    def fs(self) -> ProcFS:
        """The procfs root this handle reads from."""
        return self._fs

    def path(self, name: str = "") -> str:
        """The full path of one of this handle's files (its directory when ``name`` is empty)."""
        return self._prefix + name if name else self._prefix[:-1]

    def start_time_ticks(self) -> int | None:
        """The start time (``stat`` field 22) that binds this handle, once known."""
        if self._start_time is None:
            try:
                self.stat()
            except ProcError:
                return None
        return self._start_time

    # -- the descriptor pool ----------------------------------------------

    def _open_dir(self) -> int:
        """Open this handle's directory (the caller checks identity and pools it)."""
        raise NotImplementedError

    def _pin(self) -> int:
        """This handle's directory descriptor, pinned (and checked) if need be; marks it busy."""
        pool = _POOL
        with pool.lock:
            if self._dirfd >= 0:
                key = id(self)
                pool.handles[key] = pool.handles.pop(key)
                self._busy.append(None)
                return self._dirfd
        fd = pool.opening(self._open_dir)
        try:
            self._stat_at(fd, missing_ok=True)
        except BaseException:
            _close(fd)
            raise
        return self._install(fd, busy=True)

    def _install(self, fd: int, busy: bool) -> int:
        """Put a checked directory descriptor in the pool; returns the one in use."""
        return _POOL.install(self, fd, busy)

    def _stat_at(self, dirfd: int, missing_ok: bool = False) -> Stat | None:
        """Read ``stat`` through ``dirfd`` and check (or learn) the identity.

        With ``missing_ok``, a missing ``stat`` of a handle that knows no start
        time yet (a captured tree without one) is no error: there is nothing
        to compare.
        """
        observed = _pool.boottime_ns()  # before the read that shows the process alive
        path = self._prefix + "stat"
        try:
            data = _POOL.opening(lambda: self._fs.read_at(dirfd, "stat", path, True))
        except NotFoundError:
            if missing_ok and self._start_time is None and not self._fs.trusted:
                return None
            raise
        stat = parse_stat(data, path)
        self._learn(stat.starttime)
        if not self._settled:
            known = self._inode
            if known is not None:  # a young process pinned again: the same directory?
                found = _os.fstat(dirfd)
                if (found.st_dev, found.st_ino) != known:
                    raise NotFoundError(self._gone_message(), self.path())
            live = self._fs.root == DEFAULT_ROOT
            if live and _pool.settled(stat.starttime, observed):
                self._settled = True
                self._inode = None
            elif known is None:
                found = _os.fstat(dirfd)
                self._inode = (found.st_dev, found.st_ino)
        return stat

    def _learn(self, start_time: int) -> None:
        """Learn the start time at the first read, or check it against the one learned."""
        if self._start_time is None:
            self._start_time = start_time
        elif self._start_time != start_time:
            raise NotFoundError(self._gone_message(), self.path())

    def _gone_message(self) -> str:
        return f"process {self.pid} has exited (its pid now names another process)"

    def _release(self) -> None:
        self._busy.pop()

    def _unpin(self) -> None:
        """Close the pinned descriptor now, as an eviction would (unless a read uses it)."""
        _POOL.unpin(self)

    def _with_dir(self, action: Callable[[int], T]) -> T:
        dirfd = self._pin()
        try:
            return action(dirfd)
        finally:
            self._release()

    # -- raw access -----------------------------------------------------------

    def read(self, name: str, single: bool = False) -> bytes:
        """The raw bytes of one of this handle's files (``"status"``, ``"net/tcp"``)."""
        dirfd = self._pin()
        busy = self._busy  # _release() inlined: this is every per-file method's path
        try:
            return self._fs.read_at(dirfd, name, self._prefix + name, single)
        finally:
            busy.pop()

    def load(self, parse: Parser[T], name: str | None = None) -> T:
        """Read and parse one of this handle's files, as its ``@parser`` line describes it
        (``"[pid]/status"``: the file ``status``, read in one call); ``name`` for a file
        the parser reads under another name (``gid_map``)."""
        if name is None:
            name = parse.__proc_path__.removeprefix("[pid]/")
        data = self.read(name, parse.__read__ == "single")
        return parse(data, self._prefix + name)

    def readlink(self, name: str) -> str:
        """The target of one of this handle's symbolic links (``"exe"``, ``"fd/3"``)."""

        return self._with_dir(lambda dirfd: self._fs.readlink_at(dirfd, name, self.path(name)))

    def listdir(self, name: str) -> list[str]:
        """The names in one of this handle's directories (``"fd"``, ``"task"``)."""

        return self._with_dir(lambda dirfd: self._fs.listdir_at(dirfd, name, self.path(name)))

    def _write(self, name: str, data: bytes) -> None:
        """Write ``data`` to one of this handle's files, in one ``write``."""

        self._with_dir(lambda dirfd: self._fs.write_at(dirfd, name, self.path(name), data))

    def _read_mount_file(self, name: str) -> bytes:
        """Read a file of the mount namespace; a zombie (no namespace left) is not found."""
        path = self.path(name)

        try:
            return self.read(name)
        except ProcError as exc:
            if exc.errno != _errno.EINVAL:
                raise
            raise NotFoundError(
                f"{path}: the process has no mount namespace (a zombie)", path
            ) from None

    # -- one method per file ----------------------------------------------

    def stat(self) -> Stat:
        """Status information from ``stat`` (what ``ps`` shows).

        An unpinned handle pins its directory here: the read that checks the
        start time is this one, so the next reads (``status()``, ...) cost no
        extra check.
        """
        if self._dirfd >= 0:
            stat = self.load(parse_stat)
            self._learn(stat.starttime)
            return stat
        fd = _POOL.opening(self._open_dir)
        try:
            found = self._stat_at(fd)
        except BaseException:
            _close(fd)
            raise
        self._install(fd, busy=False)
        assert found is not None
        return found

    def start_time(self) -> datetime:
        """When it started (aware datetime, UTC), from ``starttime`` and ``btime``."""
        return self.stat().starttime_datetime(
            self._fs.boot_time_secs(), self._fs.ticks_per_second()
        )

    def status(self) -> Status:
        """Human-oriented status from ``status``, typed."""
        return self.load(core.status.parse_status)

    def statm(self) -> StatM:
        """Memory usage in pages, from ``statm``."""
        return self.load(core.statm.parse_statm)

    def io(self) -> Io:
        """I/O counters from ``io`` (root or the process owner only)."""
        return self.load(core.io.parse_io)

    def maps(self) -> list[MemoryMap]:
        """The mapped memory regions, from ``maps``."""
        return self.load(core.maps.parse_maps)

    def smaps(self) -> list[SmapsEntry]:
        """The mapped memory regions with their memory counters (bytes), from ``smaps``.

        Slow for the kernel (it walks every page table); :meth:`smaps_rollup`
        gives the totals at a fraction of the cost.
        """
        return self.load(core.smaps.parse_smaps)

    def smaps_rollup(self) -> SmapsRollup:
        """The memory counters summed over all mappings (bytes), from ``smaps_rollup`` (4.14).

        All zero for a kernel thread (no memory of its own).
        """
        data = self._read_memory_file("smaps_rollup")
        return core.smaps.parse_smaps_rollup(data, self._prefix + "smaps_rollup")

    def numa_maps(self) -> list[NumaMap]:
        """NUMA policy and page placement of each mapping, from ``numa_maps`` (CONFIG_NUMA)."""
        return self.load(core.numa_maps.parse_numa_maps)

    def pagemap(self, start: int, end: int | None = None) -> list[PageEntry]:
        """The page-table entries of the virtual pages from ``start`` up to ``end``.

        ``start`` is rounded down and ``end`` (exclusive; one page after
        ``start`` by default) up to whole pages. Only those pages' words of
        ``pagemap`` are read. Pages beyond the end of the address space are
        left out. PFNs read as 0 without CAP_SYS_ADMIN.
        """
        page_size = self._fs.page_size()
        if start < 0 or (end is not None and end < start):
            raise ValueError("pagemap needs 0 <= start <= end")
        first = start // page_size
        last = first + 1 if end is None else -(-end // page_size)
        path = self._prefix + "pagemap"

        data = self._with_dir(
            lambda dirfd: self._fs.read_range_at(
                dirfd, "pagemap", path, first * 8, (last - first) * 8
            )
        )
        try:
            return core.pagemap.parse_pagemap(data)
        except ProcError as exc:
            exc.path = path
            raise

    def clear_refs(self, value: int) -> None:
        """Write ``value`` to ``clear_refs`` (root or the owner):

        1 resets the referenced/accessed bits of all pages, 2 of anonymous
        pages only, 3 of file-mapped pages only; 4 clears the soft-dirty bits
        (see :meth:`pagemap`); 5 resets the peak resident set size
        (``VmHWM``, Linux 4.0).
        """
        if value not in _CLEAR_REFS:
            raise ValueError(f"clear_refs takes 1 to 5, not {value!r}")
        self._write("clear_refs", b"%d" % value)

    def cmdline(self) -> list[str]:
        """The command line arguments (empty for a kernel thread or a zombie)."""
        return self.load(core.cmdline.parse_cmdline)

    def environ(self) -> dict[str, str]:
        """The initial environment, from ``environ`` (empty for a kernel thread)."""
        return core.cmdline.parse_environ(
            self._read_memory_file("environ"), self._prefix + "environ"
        )

    def _read_memory_file(self, name: str) -> bytes:
        """Read a file of the task's memory (``environ``, ``auxv``, ``smaps_rollup``): empty
        for a kernel thread, which has no memory of its own (the read fails with ESRCH
        although the thread is there); only a vanished task is gone."""
        try:
            return self.read(name)
        except NotFoundError:
            if not self._is_kernel_thread():
                raise
            return b""

    def _is_kernel_thread(self) -> bool:
        """Whether this task is alive and a kernel thread (``PF_KTHREAD`` in ``stat``)."""
        try:
            return bool(self.stat().flags & _PF_KTHREAD)
        except NotFoundError:
            return False

    def auxv(self, word_size: int | None = None) -> list[AuxvEntry]:
        """The ELF auxiliary vector given to the program, from ``auxv``.

        ``word_size`` (4 or 8) defaults to this machine's; pass 4 for a
        32-bit program on a 64-bit kernel.
        """
        data = self._read_memory_file("auxv")
        try:
            return core.auxv.parse_auxv_words(data, word_size or core.auxv.NATIVE_WORD)
        except ProcError as exc:
            exc.path = self._prefix + "auxv"
            raise

    def comm(self) -> str:
        """The command name (at most 15 bytes), from ``comm``."""
        return self.load(core.pid_values.parse_comm)

    def cwd(self) -> str:
        """The current working directory (the ``cwd`` link)."""
        return self.readlink("cwd")

    def root(self) -> str:
        """The root directory of the process (the ``root`` link)."""
        return self.readlink("root")

    def fd(self) -> list[core.fd.Fd]:
        """The open file descriptors and what each refers to, in fd order.

        A descriptor closed while the list is read is left out.
        """
        path = self._prefix + "fd"
        links = self._with_dir(lambda dirfd: self._fs.links_at(dirfd, "fd", path))
        parse = core.fd.parse_fd_target
        return [
            core.fd.Fd(int(name), parse(_os.fsencode(links[name])))
            for name in sorted(links, key=_int_or_max)
            if is_pid(name)
        ]

    def descriptors(self, select: Callable[[str], bool] | None = None) -> list[core.fd.Descriptor]:
        """The open descriptors with the ``stat`` of each open file and its ``fdinfo``
        position and flags, in fd order (what ``lsof`` shows of a process).

        ``select``, given the target of a ``fd/N`` link as read, says whether to
        keep that descriptor (``lambda target: target.startswith("/")`` for
        files); the others cost no ``stat`` and no ``fdinfo`` read. In a
        captured tree the open files cannot be ``stat``-ed: the ``stat`` fields
        are ``None``. A descriptor closed while the list is read is left out.
        """
        prefix = self._prefix

        def read(dirfd: int) -> list[core.fd.Descriptor]:
            fs = self._fs
            links = fs.links_at(dirfd, "fd", prefix + "fd")
            out = []
            for name in sorted(links, key=_int_or_max):
                if not is_pid(name) or (select is not None and not select(links[name])):
                    continue
                target = core.fd.parse_fd_target(_os.fsencode(links[name]))
                found = (
                    fs.stat_at(dirfd, f"fd/{name}", f"{prefix}fd/{name}") if fs.trusted else None
                )
                try:
                    info = core.fdinfo.parse_fdinfo(
                        fs.read_at(dirfd, f"fdinfo/{name}", f"{prefix}fdinfo/{name}"),
                        f"{prefix}fdinfo/{name}",
                    )
                except NotFoundError:
                    continue  # closed meanwhile
                if found is None:
                    out.append(
                        core.fd.Descriptor(
                            int(name), target, None, None, None, None, None, info.pos, info.flags
                        )
                    )
                    continue
                out.append(
                    core.fd.Descriptor(
                        int(name),
                        target,
                        found.st_mode,
                        found.st_dev,
                        found.st_ino,
                        found.st_size,
                        found.st_rdev,
                        info.pos,
                        info.flags,
                    )
                )
            return out

        return self._with_dir(read)

    def link_stat(self, name: str) -> _os.stat_result | None:
        """``stat`` of what one of this handle's links leads to (``"cwd"``, ``"exe"``,
        ``"fd/3"``, or a path below ``"root/"`` as the process sees it); ``None`` if
        it leads nowhere."""
        return self._with_dir(lambda dirfd: self._fs.stat_at(dirfd, name, self.path(name)))

    def socket_protocol(self, fd: int) -> str | None:
        """The protocol name the kernel gives the socket on descriptor ``fd`` (its
        ``system.sockprotoname`` attribute: ``"NETLINK"``, ``"TCP"``, ``"UNIX"``...), or
        None if ``fd`` is no socket or is closed. What lsof shows of a socket it finds
        in no table."""
        name = f"fd/{int(fd)}"
        found = self._with_dir(lambda dirfd: self._fs.xattr_at(dirfd, name, "system.sockprotoname"))
        return found.rstrip(b"\0").decode("ascii", "replace") if found else None

    def fd_count(self) -> int:
        """The number of open file descriptors.

        On Linux 6.2 and later the size of the ``fd`` directory is that
        number, so no directory listing is needed; older kernels (whose
        procfs directories have size 0) and captured trees are counted by
        listing ``fd``.
        """

        return self._with_dir(lambda dirfd: self._fs.fd_count_at(dirfd, self._prefix))

    def fdinfo(self, fd: int) -> FdInfo:
        """Position, flags and kind-specific state of one descriptor, from ``fdinfo/<fd>``."""
        name = f"fdinfo/{int(fd)}"
        return core.fdinfo.parse_fdinfo(self.read(name), self.path(name))

    def fdinfos(self) -> dict[int, FdInfo]:
        """:meth:`fdinfo` of every open descriptor, by number (closed ones left out)."""
        out: dict[int, FdInfo] = {}
        for name in sorted(self.listdir("fdinfo"), key=_int_or_max):
            if not is_pid(name):
                continue
            relative = f"fdinfo/{name}"
            try:
                data = self.read(relative)
            except NotFoundError:
                if not self.is_alive():
                    raise
                continue  # closed meanwhile
            out[int(name)] = core.fdinfo.parse_fdinfo(data, self.path(relative))
        return out

    def limits(self) -> Limits:
        """Resource limits, from ``limits``."""
        return self.load(core.limits.parse_limits)

    def mountinfo(self) -> list[MountInfo]:
        """The mounts in this process's mount namespace, from ``mountinfo``."""
        return core.mountinfo.parse_mountinfo(
            self._read_mount_file("mountinfo"), self._prefix + "mountinfo"
        )

    def mounts(self) -> list[MountEntry]:
        """The mounts in this process's mount namespace, in fstab format, from ``mounts``."""
        return core.mounts.parse_mounts(self._read_mount_file("mounts"), self._prefix + "mounts")

    def namespaces(self) -> dict[str, Namespace]:
        """The namespaces the process is in, by entry name (``"net"``, ``"pid_for_children"``).

        Each :class:`~procfs.core.ns.Namespace` carries the device of the
        nsfs inode when the links can be followed (the live ``/proc``), so
        equal records mean the same namespace.
        """
        fs = self._fs
        path = self._prefix + "ns"

        def read(dirfd: int) -> dict[str, Namespace]:
            out: dict[str, Namespace] = {}
            links = fs.links_at(dirfd, "ns", path)
            for name in sorted(links):
                entry = f"{path}/{name}"
                namespace = core.ns.parse_namespace(_os.fsencode(links[name]), entry)
                # (a captured tree's link is a file, or dangles: no device)
                found = fs.stat_at(dirfd, f"ns/{name}", entry) if fs.trusted else None
                out[name] = namespace.replace(device=None if found is None else found.st_dev)
            return out

        return self._with_dir(read)

    def namespace(self, name: str) -> Namespace:
        """One namespace (``"net"``, ``"mnt"``, ...), see :meth:`namespaces`."""
        namespaces = self.namespaces()
        if name not in namespaces:
            path = self.path(f"ns/{name}")
            raise NotFoundError(f"{path}: no such namespace entry", path)
        return namespaces[name]

    def cgroups(self) -> list[ProcessCgroup]:
        """The control groups the process is in, one per hierarchy, from ``cgroup``."""
        return self.load(core.process_cgroup.parse_process_cgroups)

    def wchan(self) -> str:
        """The kernel function the task sleeps in, ``"0"`` if it is not sleeping."""
        return self.load(core.pid_values.parse_wchan)

    def loginuid(self) -> int | None:
        """The audit login uid, or ``None`` when unset (CONFIG_AUDIT)."""
        return self.load(core.pid_values.parse_loginuid)

    def sessionid(self) -> int | None:
        """The audit session id, or ``None`` when unset (CONFIG_AUDIT)."""
        return self.load(core.pid_values.parse_sessionid)

    def oom_score(self) -> int:
        """The OOM killer's current badness score (higher: killed first)."""
        return self.load(core.pid_values.parse_oom_score)

    def oom_score_adj(self) -> int:
        """The adjustment added to the OOM score, -1000 (never kill) to 1000."""
        return self.load(core.pid_values.parse_oom_score_adj)

    def set_oom_score_adj(self, value: int) -> None:
        """Write ``oom_score_adj`` (-1000 to 1000).

        Lowering it below the value the process had needs CAP_SYS_RESOURCE
        (:class:`~procfs.errors.PermissionDeniedError` otherwise). The value
        is shared by every thread of the process.
        """
        if not -1000 <= value <= 1000:
            raise ValueError(f"oom_score_adj must be within -1000..1000, not {value!r}")
        self._write("oom_score_adj", b"%d" % value)

    def schedstat(self) -> SchedStat:
        """CPU time, run-queue wait (ns) and time slices, from ``schedstat``."""
        return self.load(core.sched.parse_schedstat)

    def sched(self) -> Sched:
        """The scheduler's debugging statistics, from ``sched`` (CONFIG_SCHED_DEBUG)."""
        return self.load(core.sched.parse_sched)

    def syscall(self) -> Syscall:
        """The system call the task is blocked in, from ``syscall`` (needs ptrace access)."""
        return self.load(core.syscall.parse_syscall)

    def personality(self) -> Personality:
        """The execution domain and its flags, from ``personality`` (needs ptrace access)."""
        return self.load(core.pid_values.parse_personality)

    def uid_map(self) -> list[IdMapEntry]:
        """The user-id map of the process's user namespace, from ``uid_map``."""
        return self.load(core.idmap.parse_id_map)

    def gid_map(self) -> list[IdMapEntry]:
        """The group-id map of the process's user namespace, from ``gid_map``."""
        return self.load(core.idmap.parse_id_map, "gid_map")

    def setgroups(self) -> str:
        """``"allow"`` or ``"deny"``: whether setgroups(2) is allowed in the user namespace."""
        return self.load(core.idmap.parse_setgroups)

    def net(self) -> ProcFS:
        """A root whose ``net/*`` readers see this process's network namespace.

        ``p.net().tcp()`` reads ``/proc/[pid]/net/tcp``. See the module
        notes: the root goes by path, checked against this handle only now.
        """
        self.stat()  # checks that the process is still this one
        return new_root(self.path())

    def is_alive(self) -> bool:
        """Whether this process (or thread) still exists (a zombie counts as alive)."""
        try:
            self.stat()
        except NotFoundError:
            return False
        return True
