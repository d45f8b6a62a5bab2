"""Process and thread handles: one method per ``/proc/[pid]`` file, read afresh on each call.

Identity
--------
A :class:`Process` stands for one process, not for a pid. Its identity is
the pair (pid, start time); the start time is learned at the first read.
Reads of ``stat`` check it directly. Every other file is read through a
descriptor of the ``/proc/[pid]`` directory that the handle holds ("pins"):
the kernel ties such a descriptor to the process it was opened for, so once
that process is gone every read through it fails, even if the pid is reused.

When a handle pins its directory again (after an eviction, see below) it
reads ``stat`` through the new descriptor, and the start time must match.
The start time has clock-tick resolution (``stat`` field 22), so a pid
reused within the tick of the start (pid namespaces, CRIU, a small
``pid_max``) would match too. The handle therefore also notes *when* it
first saw the process (CLOCK_BOOTTIME, the start time's clock): if that was
already past the start's tick, no later holder of the pid can have the same
start time (it gets the pid after this process dies, so it starts later),
and the start time alone is proof. A process first seen within its start's
tick (or a captured tree, which has no clock) is instead checked by the
(device, inode) of its directory: procfs gives a newcomer's directory a new
inode. The trade-off: if the kernel drops the directory's cached inode while
unpinned (memory pressure) the same process gets a new inode too, and such a
young-when-seen handle reports the process as gone: a false "gone", never
the newcomer's data (a new handle reads it again).

Descriptors are a bounded resource, so pinned directories live in a small
least-recently-used pool (:mod:`procfs._pool`; at most 1/8 of the descriptor
limit and a quarter of the descriptors free at the first use, capped at 256).
A handle whose descriptor was evicted pins again (one more ``stat`` read) on
its next use. Thousands of handles therefore cost no descriptors at all.
Running out of descriptors (EMFILE, ENFILE) while pinning closes the pool's
idle descriptors, measures the budget again and retries once; after that it
is a :class:`~procfs.errors.ResourceLimitError`, never "gone". A handle that
is garbage collected gives its descriptor back without waiting for the
pool's lock (the collector may run while the lock is held: the close is
then left to the next pin), and a fork waits for the lock, so that neither
can hang; the price is a descriptor or two kept open a little longer.

Threads
-------
A :class:`Task` is a handle on one thread, ``/proc/[pid]/task/[tid]``
(:meth:`Process.tasks`, :meth:`Process.task`). Its identity is the pair
(tid, the thread's own start time, field 22 of ``task/[tid]/stat``). It pins
its own directory, opened through the pinned directory of its process
(``task/<tid>`` relative to it): the new descriptor is tied to that thread
of that process, and its start time is checked as for a process. Pinning
the thread's own directory, rather than reading ``task/<tid>/...`` through
the process's descriptor, is what makes a reused tid safe: a thread that
exits and a new thread that gets its tid are told apart. Task descriptors
share the pool with process descriptors.

Both classes share every per-file method (``stat()``, ``status()``,
``smaps()``, ``namespaces()``, ``fdinfo()``, ...) through one base class
whose methods read through the handle's own directory. The few files a
thread directory lacks (``autogroup``, ``coredump_filter``, ``mountstats``,
``timerslack_ns``, ``task/``) are methods of :class:`Process` only; the
``children`` file exists only per thread, and :meth:`Process.children`
joins those of all its threads.

Network tables
--------------
:meth:`Process.net` gives a :class:`~procfs.ProcFS` rooted at the process's
directory, so ``p.net().tcp()`` reads ``/proc/[pid]/net/tcp``: the sockets of
that process's network namespace. Those reads go by path, not through the
pinned descriptor (the socket readers take a root, not a handle): the
process is checked when ``net()`` is called, but if it exits and its pid is
reused afterwards, the root names the newcomer. Call ``net()`` again for
each use if that matters.
"""

from __future__ import annotations

import errno as _errno
import os as _os

from procfs import _pool, core
from procfs._fs import DEFAULT_ROOT, Root, is_pid, new_root
from procfs._fs import default_root as _default_fs
from procfs._pool import POOL as _POOL
from procfs.core.stat import Stat, parse_stat
from procfs.errors import NotFoundError, ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
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
    from procfs.core.mountstats import MountStat
    from procfs.core.ns import Namespace
    from procfs.core.numa_maps import NumaMap
    from procfs.core.pagemap import PageEntry
    from procfs.core.pid_values import CoredumpFilter, Personality
    from procfs.core.process_cgroup import ProcessCgroup
    from procfs.core.sched import Autogroup, Sched, SchedStat
    from procfs.core.smaps import SmapsEntry, SmapsRollup
    from procfs.core.statm import StatM
    from procfs.core.status import Status
    from procfs.core.syscall import Syscall
    from procfs.root import ProcFS

    T = TypeVar("T")

__all__ = ["Process", "ProcessFiles", "Task"]

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


class _Handle:
    """What :class:`Process` and :class:`Task` share: the pinned directory and the file readers.

    ``_rel`` is the handle's directory relative to the procfs root
    (``"123"``, ``"123/task/124"``); every method reads through the pinned
    descriptor of that directory (see the module notes).
    """

    __slots__ = (
        "__weakref__",
        "_busy",
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

    def exe(self) -> str:
        """The path of the executed program (the ``exe`` link)."""
        return self.readlink("exe")

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


class Process(_Handle):
    """A handle on one process under a procfs root.

    ``Process(pid)`` checks that the process exists (raising
    :class:`~procfs.errors.NotFoundError` otherwise) and binds the handle to
    it; see the module notes on identity. Each method reads its file afresh.
    """

    __slots__ = ()

    def __init__(self, pid: int, fs: ProcFS | None = None, *, _check: bool = True) -> None:
        self.pid = int(pid)
        self._fs = fs if fs is not None else _default_fs()
        self._rel = str(self.pid)
        self._prefix = self._fs.path(self._rel) + "/"
        self._dirfd = -1
        self._busy = []
        self._start_time = None
        self._inode = None
        self._settled = False
        if _check:  # pin (which checks that it exists), then leave it idle in the pool
            self._pin()
            self._release()

    @classmethod
    def myself(cls, fs: ProcFS | None = None) -> Process:
        """The calling process (``/proc/self``)."""
        fs = fs if fs is not None else _default_fs()
        return cls(fs.self_pid(), fs)

    def __repr__(self) -> str:
        return f"Process(pid={self.pid}, root={self._fs.root!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Process):
            return NotImplemented
        return (self.pid, self._fs, self.start_time_ticks()) == (
            other.pid,
            other._fs,
            other.start_time_ticks(),
        )

    def __hash__(self) -> int:
        return hash((self.pid, self._fs.root))

    def _open_dir(self) -> int:
        return self._fs.open_dir(self._rel)

    # -- threads ----------------------------------------------------------

    def tasks(self) -> list[Task]:
        """A handle on each thread of the process (``task/``), in the kernel's order.

        Listing opens no per-thread file; each handle binds to its thread at
        its first read.
        """
        return [
            Task(self, int(name), _check=False) for name in self.listdir("task") if is_pid(name)
        ]

    def task(self, tid: int) -> Task:
        """The thread ``tid`` of this process (:class:`~procfs.errors.NotFoundError` if none)."""
        return Task(self, tid)

    def children(self) -> list[int]:
        """The pids of the children of all threads (``task/*/children``, CONFIG_PROC_CHILDREN).

        A child whose parent thread exited is re-parented to the process and
        listed under another thread; see proc(5) for the limits of this file.
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

    # -- files a thread directory does not have ---------------------------

    def mountstats(self) -> list[MountStat]:
        """Per-mount statistics (with NFS details), from ``mountstats``."""
        return core.mountstats.parse_mountstats(
            self._read_mount_file("mountstats"), self._prefix + "mountstats"
        )

    def autogroup(self) -> Autogroup | None:
        """The session's task group and its nice value, from ``autogroup``.

        ``None`` for a task in no autogroup (a kernel thread). Needs
        CONFIG_SCHED_AUTOGROUP.
        """
        return self.load(core.sched.parse_autogroup)

    def coredump_filter(self) -> CoredumpFilter | None:
        """Which memory a core dump includes, from ``coredump_filter``.

        ``None`` for a process without memory (a kernel thread, a zombie).
        """
        return self.load(core.pid_values.parse_coredump_filter)

    def timerslack_ns(self) -> int:
        """The timer slack, nanoseconds (Linux 4.6; needs ptrace access or CAP_SYS_NICE)."""
        return self.load(core.pid_values.parse_timerslack_ns)


class Task(_Handle):
    """A handle on one thread of a process, ``/proc/[pid]/task/[tid]``.

    It has the per-file methods of :class:`Process` that a thread directory
    offers (``stat()``, ``status()``, ``schedstat()``, ``syscall()``,
    ``wchan()``, ...), reading the thread's own files; see the module notes
    on identity. ``pid`` is the process (thread group) id, ``tid`` the
    thread's.
    """

    __slots__ = ("process", "tid")

    process: Process
    tid: int

    def __init__(self, process: Process, tid: int, *, _check: bool = True) -> None:
        self.process = process
        self.pid = process.pid
        self.tid = int(tid)
        self._fs = process._fs
        self._rel = f"{process.pid}/task/{self.tid}"
        self._prefix = self._fs.path(self._rel) + "/"
        self._dirfd = -1
        self._busy = []
        self._start_time = None
        self._inode = None
        self._settled = False
        if _check:  # pin (which checks that it exists), then leave it idle in the pool
            self._pin()
            self._release()

    def __repr__(self) -> str:
        return f"Task(pid={self.pid}, tid={self.tid}, root={self._fs.root!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Task):
            return NotImplemented
        return (self.pid, self.tid, self._fs, self.start_time_ticks()) == (
            other.pid,
            other.tid,
            other._fs,
            other.start_time_ticks(),
        )

    def __hash__(self) -> int:
        return hash((self.pid, self.tid, self._fs.root))

    def _gone_message(self) -> str:
        return (
            f"thread {self.tid} of process {self.pid} has exited (its tid now names another thread)"
        )

    def _open_dir(self) -> int:
        relative = f"task/{self.tid}"
        path = self.path()
        return self.process._with_dir(lambda dirfd: self._fs.open_dir_at(dirfd, relative, path))

    def children(self) -> list[int]:
        """The pids of the children this thread created (``children``, CONFIG_PROC_CHILDREN)."""
        return core.pid_values.parse_children(self.read("children"), self._prefix + "children")


def _int_or_max(name: str) -> int:
    return int(name) if is_pid(name) else 1 << 62


class ProcessFiles(Root):
    """The processes of a procfs root: handles, pids, and one file of each in one pass."""

    __slots__ = ()

    def process(self, pid: int) -> Process:
        """The process ``pid`` under this root (see :class:`procfs.Process`)."""
        return Process(pid, self)  # type: ignore[arg-type]

    def myself(self) -> Process:
        """The calling process, through this root's ``self`` link."""
        return Process.myself(self)  # type: ignore[arg-type]

    def pids(self) -> list[int]:
        """The pids listed under this root, in increasing order.

        A directory that is neither a procfs nor a captured tree raises
        :class:`~procfs.errors.ProcError` ("not a procfs").
        """
        return [int(name) for name in self.pid_names()]

    def all_processes(self) -> Iterator[Process]:
        """Every process under this root, in pid order.

        Listing opens no per-process file; each handle binds to its process at
        its first read. A process that exits meanwhile raises
        :class:`~procfs.errors.NotFoundError` when read, and is simply missing
        from a later listing.
        """
        for name in self.pid_names():
            yield Process(int(name), self, _check=False)  # type: ignore[arg-type]

    def all_stats(self) -> Iterator[Stat]:
        """The ``stat`` of every process under this root, in one pass and without handles.

        The cheap path for a process listing such as ``ps``: one read per
        process through a descriptor of the root, nothing else. Processes that
        exit meanwhile are left out.
        """
        names = [name + "/stat" for name in self.pid_names()]
        return self.read_each(names, parse_stat, True)
