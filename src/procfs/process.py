"""Process and thread handles: one method per ``/proc/[pid]`` file, read afresh on each call.

Identity
--------
A :class:`Process` stands for one process, not for a pid. Its identity is
the pair (pid, start time); the start time is learned at the first read.
Reads of ``stat`` check it directly. Every other file is read through a
descriptor of the ``/proc/[pid]`` directory that the handle holds ("pins"):
the kernel ties such a descriptor to the process it was opened for, so once
that process is gone every read through it fails, even if the pid is reused.
When a handle pins its directory it reads ``stat`` through the new descriptor
and compares the start time, so a handle never pins a newcomer.

Descriptors are a bounded resource, so pinned directories live in a small
least-recently-used pool (at most 1/8 of the descriptor limit, capped at 256).
A handle whose descriptor was evicted pins again (one more ``stat`` read) on
its next use. Thousands of handles therefore cost no descriptors at all.

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
from _thread import allocate_lock as _allocate_lock
from _weakref import ref as _weakref

from procfs._fs import _O_DIR, _O_RDONLY, DEFAULT_ROOT, LazyParsers, ProcFS, read_fd, read_range
from procfs._fs import default_root as _default_fs
from procfs.core.stat import Stat, parse_stat
from procfs.errors import NotFoundError, ProcError, from_oserror

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import datetime
    from typing import TypeVar

    from procfs.core._parse import Parser
    from procfs.core.auxv import AuxvEntry
    from procfs.core.fd import Fd
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

    T = TypeVar("T")

__all__ = ["Process", "Task", "all_processes", "all_stats", "pids"]

#: The ``stat`` flag of a kernel thread (include/linux/sched.h).
_PF_KTHREAD = 0x00200000
_O_WRONLY = _os.O_WRONLY | getattr(_os, "O_CLOEXEC", 0)
_open = _os.open
_close = _os.close

# What clear_refs accepts (proc(5)).
_CLEAR_REFS = {
    1: "reset the referenced/accessed bits of all pages",
    2: "reset them for anonymous pages only",
    3: "reset them for file-mapped pages only",
    4: "clear the soft-dirty bits of all pages",
    5: "reset the peak resident set size (VmHWM)",
}


class _DirPool:
    """The least-recently-used set of pinned process and thread directory descriptors."""

    def __init__(self) -> None:
        self.lock = _allocate_lock()
        # id(handle) -> weak reference to the handle, least recently used first
        self.handles: dict[int, _weakref[_Handle]] = {}
        self.capacity = 0

    def limit(self) -> int:
        if not self.capacity:
            try:
                import resource

                soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
            except (ImportError, OSError, ValueError):
                soft = 1024
            if soft < 0:
                soft = 65536
            self.capacity = max(4, min(256, soft // 8))
        return self.capacity


_POOL = _DirPool()


class _HotParsers(LazyParsers):
    """The parsers of the files a process monitor reads for every process."""

    _MODULES = {"parse_status": "status", "parse_statm": "statm", "parse_io": "io"}

    if TYPE_CHECKING:
        parse_status: Parser[Status]
        parse_statm: Parser[StatM]
        parse_io: Parser[Io]


_hot = _HotParsers()


class _Handle:
    """What :class:`Process` and :class:`Task` share: the pinned directory and the file readers.

    ``_rel`` is the handle's directory relative to the procfs root
    (``"123"``, ``"123/task/124"``); every method reads through the pinned
    descriptor of that directory (see the module notes).
    """

    __slots__ = ("__weakref__", "_busy", "_dirfd", "_fs", "_prefix", "_rel", "_start_time", "pid")

    pid: int
    _fs: ProcFS
    _rel: str
    #: the full path of the directory with a final "/", for error messages
    _prefix: str
    _dirfd: int
    #: one item per read in progress (list.append and list.pop are atomic, so
    #: a read ends without taking the pool lock); the pool never closes the
    #: descriptor of a busy handle
    _busy: list[None]
    _start_time: int | None

    def __del__(self) -> None:
        if getattr(self, "_dirfd", -1) >= 0:
            try:
                self._unpin()
            except Exception:  # interpreter shutdown: nothing left to tidy
                pass

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
        """This handle's directory descriptor, pinned (and checked) if need be."""
        pool = _POOL
        with pool.lock:
            if self._dirfd >= 0:
                key = id(self)
                pool.handles[key] = pool.handles.pop(key)
                self._busy.append(None)
                return self._dirfd
        fd = self._open_dir()
        try:
            self._stat_at(fd, missing_ok=True)
        except BaseException:
            _close(fd)
            raise
        return self._install(fd, busy=True)

    def _install(self, fd: int, busy: bool) -> int:
        """Put a checked directory descriptor in the pool; returns the one in use."""
        pool = _POOL
        with pool.lock:
            if self._dirfd >= 0:  # another thread pinned meanwhile
                _close(fd)
            else:
                self._dirfd = fd
                pool.handles[id(self)] = _weakref(self)
                self._evict(pool)
            if busy:
                self._busy.append(None)
            return self._dirfd

    def _stat_at(self, dirfd: int, missing_ok: bool = False) -> Stat | None:
        """Read ``stat`` through ``dirfd`` and check (or learn) the start time.

        With ``missing_ok``, a missing ``stat`` of a handle that knows no start
        time yet (a captured tree without one) is no error: there is nothing
        to compare.
        """
        try:
            stat_fd = _open("stat", _O_RDONLY, dir_fd=dirfd)
        except OSError as exc:
            if missing_ok and exc.errno == 2 and self._start_time is None:
                return None
            raise from_oserror(exc, self._prefix + "stat") from None
        try:
            data = read_fd(stat_fd, True)
        except OSError as exc:
            raise from_oserror(exc, self._prefix + "stat") from None
        finally:
            _close(stat_fd)
        stat = parse_stat(data, self._prefix + "stat")
        self._learn(stat.starttime)
        return stat

    def _learn(self, start_time: int) -> None:
        if self._start_time is None:
            self._start_time = start_time
        elif self._start_time != start_time:
            raise NotFoundError(self._gone_message(), self.path())

    def _gone_message(self) -> str:
        return f"process {self.pid} has exited (its pid now names another process)"

    @staticmethod
    def _evict(pool: _DirPool) -> None:
        """Close the least recently used idle descriptors beyond the pool's limit."""
        excess = len(pool.handles) - pool.limit()
        if excess <= 0:
            return
        victims = []
        for key, reference in pool.handles.items():  # oldest first; stop at the first idle ones
            handle = reference()
            if handle is None or not handle._busy:
                victims.append((key, handle))
                if len(victims) == excess:
                    break
        for key, handle in victims:
            del pool.handles[key]
            if handle is not None:
                _close(handle._dirfd)
                handle._dirfd = -1

    def _release(self) -> None:
        self._busy.pop()

    def _unpin(self) -> None:
        with _POOL.lock:
            _POOL.handles.pop(id(self), None)
            if self._dirfd >= 0:
                _close(self._dirfd)
                self._dirfd = -1

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
            fd = _open(name, _O_RDONLY, dir_fd=dirfd)
            try:
                return read_fd(fd, single)
            finally:
                _close(fd)
        except OSError as exc:
            raise from_oserror(exc, self._prefix + name) from None
        finally:
            busy.pop()

    def readlink(self, name: str) -> str:
        """The target of one of this handle's symbolic links (``"exe"``, ``"fd/3"``)."""

        def readlink(dirfd: int) -> str:
            try:
                return _os.readlink(name, dir_fd=dirfd)
            except OSError as exc:
                if exc.errno != 22:  # EINVAL: a captured tree stores links as files
                    raise from_oserror(exc, self.path(name)) from None
            return _os.fsdecode(self.read(name).rstrip(b"\n"))

        return self._with_dir(readlink)

    def listdir(self, name: str) -> list[str]:
        """The names in one of this handle's directories (``"fd"``, ``"task"``)."""

        def listdir(dirfd: int) -> list[str]:
            try:
                fd = _open(name, _O_DIR, dir_fd=dirfd)
            except OSError as exc:
                raise from_oserror(exc, self.path(name)) from None
            try:
                return _os.listdir(fd)
            except OSError as exc:
                raise from_oserror(exc, self.path(name)) from None
            finally:
                _close(fd)

        return self._with_dir(listdir)

    def _write(self, name: str, data: bytes) -> None:
        """Write ``data`` to one of this handle's files, in one ``write``."""

        def write(dirfd: int) -> None:
            try:
                fd = _open(name, _O_WRONLY, dir_fd=dirfd)
            except OSError as exc:
                raise from_oserror(exc, self.path(name)) from exc
            try:
                _os.write(fd, data)
            except OSError as exc:
                raise from_oserror(exc, self.path(name)) from exc
            finally:
                _close(fd)

        self._with_dir(write)

    def _read_mount_file(self, name: str) -> bytes:
        """Read a file of the mount namespace; a zombie (no namespace left) is not found."""
        path = self.path(name)

        def read(dirfd: int) -> bytes:
            try:
                fd = _open(name, _O_RDONLY, dir_fd=dirfd)
                try:
                    return read_fd(fd)
                finally:
                    _close(fd)
            except OSError as exc:
                if exc.errno == _errno.EINVAL:
                    raise NotFoundError(
                        f"{path}: the process has no mount namespace (a zombie)", path
                    ) from None
                raise from_oserror(exc, path) from None

        return self._with_dir(read)

    # -- one method per file ----------------------------------------------

    def stat(self) -> Stat:
        """Status information from ``stat`` (what ``ps`` shows).

        An unpinned handle pins its directory here: the read that checks the
        start time is this one, so the next reads (``status()``, ...) cost no
        extra check.
        """
        if self._dirfd >= 0:
            stat = parse_stat(self.read("stat", True), self._prefix + "stat")
            self._learn(stat.starttime)
            return stat
        fd = self._open_dir()
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
        return _hot.parse_status(self.read("status", True), self._prefix + "status")

    def statm(self) -> StatM:
        """Memory usage in pages, from ``statm``."""
        return _hot.parse_statm(self.read("statm", True), self._prefix + "statm")

    def io(self) -> Io:
        """I/O counters from ``io`` (root or the process owner only)."""
        return _hot.parse_io(self.read("io", True), self._prefix + "io")

    def maps(self) -> list[MemoryMap]:
        """The mapped memory regions, from ``maps``."""
        from procfs.core.maps import parse_maps

        return parse_maps(self.read("maps"), self._prefix + "maps")

    def smaps(self) -> list[SmapsEntry]:
        """The mapped memory regions with their memory counters (bytes), from ``smaps``.

        Slow for the kernel (it walks every page table); :meth:`smaps_rollup`
        gives the totals at a fraction of the cost.
        """
        from procfs.core.smaps import parse_smaps

        return parse_smaps(self.read("smaps"), self._prefix + "smaps")

    def smaps_rollup(self) -> SmapsRollup:
        """The memory counters summed over all mappings (bytes), from ``smaps_rollup`` (4.14)."""
        from procfs.core.smaps import parse_smaps_rollup

        return parse_smaps_rollup(self.read("smaps_rollup"), self._prefix + "smaps_rollup")

    def numa_maps(self) -> list[NumaMap]:
        """NUMA policy and page placement of each mapping, from ``numa_maps`` (CONFIG_NUMA)."""
        from procfs.core.numa_maps import parse_numa_maps

        return parse_numa_maps(self.read("numa_maps"), self._prefix + "numa_maps")

    def pagemap(self, start: int, end: int | None = None) -> list[PageEntry]:
        """The page-table entries of the virtual pages from ``start`` up to ``end``.

        ``start`` is rounded down and ``end`` (exclusive; one page after
        ``start`` by default) up to whole pages. Only those pages' words of
        ``pagemap`` are read. Pages beyond the end of the address space are
        left out. PFNs read as 0 without CAP_SYS_ADMIN.
        """
        from procfs.core.pagemap import parse_pagemap

        page_size = self._fs.page_size()
        if start < 0 or (end is not None and end < start):
            raise ValueError("pagemap needs 0 <= start <= end")
        first = start // page_size
        last = first + 1 if end is None else -(-end // page_size)
        path = self._prefix + "pagemap"

        def read(dirfd: int) -> bytes:
            try:
                fd = _open("pagemap", _O_RDONLY, dir_fd=dirfd)
            except OSError as exc:
                raise from_oserror(exc, path) from None
            try:
                return read_range(fd, first * 8, (last - first) * 8)
            except OSError as exc:
                raise from_oserror(exc, path) from None
            finally:
                _close(fd)

        data = self._with_dir(read)
        try:
            return parse_pagemap(data)
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
        from procfs.core.cmdline import parse_cmdline

        return parse_cmdline(self.read("cmdline"), self._prefix + "cmdline")

    def environ(self) -> dict[str, str]:
        """The initial environment, from ``environ`` (empty for a kernel thread)."""
        from procfs.core.cmdline import parse_environ

        try:
            data = self.read("environ")
        except NotFoundError:
            # A kernel thread has no memory of its own: the read fails with
            # ESRCH although the thread is there. Only a vanished task is gone.
            if not self._is_kernel_thread():
                raise
            data = b""
        return parse_environ(data, self._prefix + "environ")

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
        from procfs.core.auxv import NATIVE_WORD, parse_auxv_words

        data = self.read("auxv")
        try:
            return parse_auxv_words(data, word_size or NATIVE_WORD)
        except ProcError as exc:
            exc.path = self._prefix + "auxv"
            raise

    def comm(self) -> str:
        """The command name (at most 15 bytes), from ``comm``."""
        from procfs.core.pid_values import parse_comm

        return parse_comm(self.read("comm", True), self._prefix + "comm")

    def exe(self) -> str:
        """The path of the executed program (the ``exe`` link)."""
        return self.readlink("exe")

    def cwd(self) -> str:
        """The current working directory (the ``cwd`` link)."""
        return self.readlink("cwd")

    def root(self) -> str:
        """The root directory of the process (the ``root`` link)."""
        return self.readlink("root")

    def fd(self) -> list[Fd]:
        """The open file descriptors and what each refers to, in fd order.

        A descriptor closed while the list is read is left out.
        """
        from procfs.core.fd import Fd, parse_fd_target

        def read_fds(dirfd: int) -> list[Fd]:
            try:
                fd_dir = _open("fd", _O_DIR, dir_fd=dirfd)
            except OSError as exc:
                raise from_oserror(exc, self._prefix + "fd") from None
            try:
                names = _os.listdir(fd_dir)
                out: list[Fd] = []
                for name in sorted(names, key=_int_or_max):
                    if not name.isdigit():
                        continue
                    try:
                        target = _os.readlink(name, dir_fd=fd_dir)
                    except OSError as exc:
                        if exc.errno == 2:
                            continue
                        if exc.errno == 22:
                            target = _os.fsdecode(self.read(f"fd/{name}").rstrip(b"\n"))
                        else:
                            raise
                    out.append(Fd(int(name), parse_fd_target(_os.fsencode(target))))
                return out
            except OSError as exc:
                raise from_oserror(exc, self._prefix + "fd") from None
            finally:
                _close(fd_dir)

        return self._with_dir(read_fds)

    def fd_count(self) -> int:
        """The number of open file descriptors.

        On Linux 6.2 and later the size of the ``fd`` directory is that
        number, so no directory listing is needed; older kernels (whose
        procfs directories have size 0) and captured trees are counted by
        listing ``fd``.
        """

        def count(dirfd: int) -> int:
            path = self._prefix + "fd"
            try:
                size = _os.stat("fd", dir_fd=dirfd).st_size
                # procfs directories have size 0 (but fd, since 6.2); a captured
                # tree on a disk filesystem has sizes of its own
                if size > 0 and _os.fstat(dirfd).st_size == 0:
                    return size
                fd_dir = _open("fd", _O_DIR, dir_fd=dirfd)
            except OSError as exc:
                raise from_oserror(exc, path) from None
            try:
                return sum(1 for name in _os.listdir(fd_dir) if name.isdigit())
            except OSError as exc:
                raise from_oserror(exc, path) from None
            finally:
                _close(fd_dir)

        return self._with_dir(count)

    def fdinfo(self, fd: int) -> FdInfo:
        """Position, flags and kind-specific state of one descriptor, from ``fdinfo/<fd>``."""
        from procfs.core.fdinfo import parse_fdinfo

        name = f"fdinfo/{int(fd)}"
        return parse_fdinfo(self.read(name), self.path(name))

    def fdinfos(self) -> dict[int, FdInfo]:
        """:meth:`fdinfo` of every open descriptor, by number (closed ones left out)."""
        from procfs.core.fdinfo import parse_fdinfo

        out: dict[int, FdInfo] = {}
        for name in sorted(self.listdir("fdinfo"), key=_int_or_max):
            if not name.isdigit():
                continue
            relative = f"fdinfo/{name}"
            try:
                data = self.read(relative)
            except NotFoundError:
                if not self.is_alive():
                    raise
                continue  # closed meanwhile
            out[int(name)] = parse_fdinfo(data, self.path(relative))
        return out

    def limits(self) -> Limits:
        """Resource limits, from ``limits``."""
        from procfs.core.limits import parse_limits

        return parse_limits(self.read("limits"), self._prefix + "limits")

    def mountinfo(self) -> list[MountInfo]:
        """The mounts in this process's mount namespace, from ``mountinfo``."""
        from procfs.core.mountinfo import parse_mountinfo

        return parse_mountinfo(self._read_mount_file("mountinfo"), self._prefix + "mountinfo")

    def mounts(self) -> list[MountEntry]:
        """The mounts in this process's mount namespace, in fstab format, from ``mounts``."""
        from procfs.core.mounts import parse_mounts

        return parse_mounts(self._read_mount_file("mounts"), self._prefix + "mounts")

    def namespaces(self) -> dict[str, Namespace]:
        """The namespaces the process is in, by entry name (``"net"``, ``"pid_for_children"``).

        Each :class:`~procfs.core.ns.Namespace` carries the device of the
        nsfs inode when the links can be followed (the live ``/proc``), so
        equal records mean the same namespace.
        """
        from procfs.core.ns import parse_namespace

        def read(dirfd: int) -> dict[str, Namespace]:
            path = self._prefix + "ns"
            try:
                ns_dir = _open("ns", _O_DIR, dir_fd=dirfd)
            except OSError as exc:
                raise from_oserror(exc, path) from None
            try:
                out: dict[str, Namespace] = {}
                for name in sorted(_os.listdir(ns_dir)):
                    entry = f"{path}/{name}"
                    try:
                        target = _os.fsencode(_os.readlink(name, dir_fd=ns_dir))
                    except OSError as exc:
                        if exc.errno == _errno.ENOENT:
                            continue
                        if exc.errno != _errno.EINVAL:
                            raise
                        target = self.read(f"ns/{name}")  # a captured tree: the text in a file
                        out[name] = parse_namespace(target, entry)
                        continue
                    namespace = parse_namespace(target, entry)
                    try:
                        device: int | None = _os.stat(name, dir_fd=ns_dir).st_dev
                    except OSError as exc:
                        if exc.errno != _errno.ENOENT:
                            raise
                        device = None  # a captured tree's dangling link
                    out[name] = namespace.replace(device=device)
                return out
            except OSError as exc:
                raise from_oserror(exc, path) from None
            finally:
                _close(ns_dir)

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
        from procfs.core.process_cgroup import parse_process_cgroups

        return parse_process_cgroups(self.read("cgroup"), self._prefix + "cgroup")

    def wchan(self) -> str:
        """The kernel function the task sleeps in, ``"0"`` if it is not sleeping."""
        from procfs.core.pid_values import parse_wchan

        return parse_wchan(self.read("wchan", True), self._prefix + "wchan")

    def loginuid(self) -> int | None:
        """The audit login uid, or ``None`` when unset (CONFIG_AUDIT)."""
        from procfs.core.pid_values import parse_loginuid

        return parse_loginuid(self.read("loginuid", True), self._prefix + "loginuid")

    def sessionid(self) -> int | None:
        """The audit session id, or ``None`` when unset (CONFIG_AUDIT)."""
        from procfs.core.pid_values import parse_sessionid

        return parse_sessionid(self.read("sessionid", True), self._prefix + "sessionid")

    def oom_score(self) -> int:
        """The OOM killer's current badness score (higher: killed first)."""
        from procfs.core.pid_values import parse_oom_score

        return parse_oom_score(self.read("oom_score", True), self._prefix + "oom_score")

    def oom_score_adj(self) -> int:
        """The adjustment added to the OOM score, -1000 (never kill) to 1000."""
        from procfs.core.pid_values import parse_oom_score_adj

        return parse_oom_score_adj(self.read("oom_score_adj", True), self._prefix + "oom_score_adj")

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
        from procfs.core.sched import parse_schedstat

        return parse_schedstat(self.read("schedstat", True), self._prefix + "schedstat")

    def sched(self) -> Sched:
        """The scheduler's debugging statistics, from ``sched`` (CONFIG_SCHED_DEBUG)."""
        from procfs.core.sched import parse_sched

        return parse_sched(self.read("sched"), self._prefix + "sched")

    def syscall(self) -> Syscall:
        """The system call the task is blocked in, from ``syscall`` (needs ptrace access)."""
        from procfs.core.syscall import parse_syscall

        return parse_syscall(self.read("syscall", True), self._prefix + "syscall")

    def personality(self) -> Personality:
        """The execution domain and its flags, from ``personality`` (needs ptrace access)."""
        from procfs.core.pid_values import parse_personality

        return parse_personality(self.read("personality", True), self._prefix + "personality")

    def uid_map(self) -> list[IdMapEntry]:
        """The user-id map of the process's user namespace, from ``uid_map``."""
        from procfs.core.idmap import parse_id_map

        return parse_id_map(self.read("uid_map"), self._prefix + "uid_map")

    def gid_map(self) -> list[IdMapEntry]:
        """The group-id map of the process's user namespace, from ``gid_map``."""
        from procfs.core.idmap import parse_id_map

        return parse_id_map(self.read("gid_map"), self._prefix + "gid_map")

    def setgroups(self) -> str:
        """``"allow"`` or ``"deny"``: whether setgroups(2) is allowed in the user namespace."""
        from procfs.core.idmap import parse_setgroups

        return parse_setgroups(self.read("setgroups", True), self._prefix + "setgroups")

    def net(self) -> ProcFS:
        """A root whose ``net/*`` readers see this process's network namespace.

        ``p.net().tcp()`` reads ``/proc/[pid]/net/tcp``. See the module
        notes: the root goes by path, checked against this handle only now.
        """
        self.stat()  # checks that the process is still this one
        return ProcFS(self.path())

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
        if _check:  # pin (which checks that it exists), then leave it idle in the pool
            self._pin()
            self._release()

    @classmethod
    def myself(cls, fs: ProcFS | None = None) -> Process:
        """The calling process (``/proc/self``)."""
        fs = fs if fs is not None else _default_fs()
        if fs.root == DEFAULT_ROOT:
            return cls(_os.getpid(), fs)
        target = fs.readlink("self")
        try:
            return cls(int(target.rsplit("/", 1)[-1]), fs)
        except ValueError:
            raise NotFoundError(
                f"{fs.path('self')} does not name a process", fs.path("self")
            ) from None

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
        path = self.path()
        try:
            return _open(path, _O_DIR)
        except OSError as exc:
            raise from_oserror(exc, path) from None

    # -- threads ----------------------------------------------------------

    def tasks(self) -> list[Task]:
        """A handle on each thread of the process (``task/``), in the kernel's order.

        Listing opens no per-thread file; each handle binds to its thread at
        its first read.
        """
        return [
            Task(self, int(name), _check=False) for name in self.listdir("task") if name.isdigit()
        ]

    def task(self, tid: int) -> Task:
        """The thread ``tid`` of this process (:class:`~procfs.errors.NotFoundError` if none)."""
        return Task(self, tid)

    def children(self) -> list[int]:
        """The pids of the children of all threads (``task/*/children``, CONFIG_PROC_CHILDREN).

        A child whose parent thread exited is re-parented to the process and
        listed under another thread; see proc(5) for the limits of this file.
        """
        from procfs.core.pid_values import parse_children

        main = f"task/{self.pid}/children"
        out = parse_children(self.read(main), self.path(main))
        seen = set(out)
        for name in self.listdir("task"):
            if not name.isdigit() or int(name) == self.pid:
                continue
            relative = f"task/{name}/children"
            try:
                kids = parse_children(self.read(relative), self.path(relative))
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
        from procfs.core.mountstats import parse_mountstats

        return parse_mountstats(self._read_mount_file("mountstats"), self._prefix + "mountstats")

    def autogroup(self) -> Autogroup | None:
        """The session's task group and its nice value, from ``autogroup``.

        ``None`` for a task in no autogroup (a kernel thread). Needs
        CONFIG_SCHED_AUTOGROUP.
        """
        from procfs.core.sched import parse_autogroup

        return parse_autogroup(self.read("autogroup", True), self._prefix + "autogroup")

    def coredump_filter(self) -> CoredumpFilter | None:
        """Which memory a core dump includes, from ``coredump_filter``.

        ``None`` for a process without memory (a kernel thread, a zombie).
        """
        from procfs.core.pid_values import parse_coredump_filter

        return parse_coredump_filter(
            self.read("coredump_filter", True), self._prefix + "coredump_filter"
        )

    def timerslack_ns(self) -> int:
        """The timer slack, nanoseconds (Linux 4.6; needs ptrace access or CAP_SYS_NICE)."""
        from procfs.core.pid_values import parse_timerslack_ns

        return parse_timerslack_ns(self.read("timerslack_ns", True), self._prefix + "timerslack_ns")


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

        def open_task(dirfd: int) -> int:
            try:
                return _open(relative, _O_DIR, dir_fd=dirfd)
            except OSError as exc:
                raise from_oserror(exc, path) from None

        return self.process._with_dir(open_task)

    def children(self) -> list[int]:
        """The pids of the children this thread created (``children``, CONFIG_PROC_CHILDREN)."""
        from procfs.core.pid_values import parse_children

        return parse_children(self.read("children"), self._prefix + "children")


def _int_or_max(name: str) -> int:
    return int(name) if name.isdigit() else 1 << 62


def pids(fs: ProcFS | None = None) -> list[int]:
    """The pids listed under a procfs root."""
    fs = fs if fs is not None else _default_fs()
    return [int(name) for name in fs.listdir() if name.isdigit()]


def all_processes(fs: ProcFS | None = None) -> Iterator[Process]:
    """Every process under a procfs root, in pid order as the kernel lists them.

    Listing opens no per-process file; each handle binds to its process at its
    first read. A process that exits meanwhile raises
    :class:`~procfs.errors.NotFoundError` when read, and is simply missing
    from a later listing.
    """
    fs = fs if fs is not None else _default_fs()
    for pid in pids(fs):
        yield Process(pid, fs, _check=False)


def all_stats(fs: ProcFS | None = None) -> Iterator[Stat]:
    """The ``stat`` of every process under a root, in one pass and without handles.

    See :meth:`procfs.ProcFS.all_stats`.
    """
    return (fs if fs is not None else _default_fs()).all_stats()
