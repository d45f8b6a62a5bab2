"""Process handles: one method per ``/proc/[pid]`` file, read afresh on each call.

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
"""

from __future__ import annotations

import os as _os
from _thread import allocate_lock as _allocate_lock
from _weakref import ref as _weakref

from procfs._fs import DEFAULT_ROOT, ProcFS, read_fd
from procfs.core.stat import Stat, parse_stat
from procfs.errors import NotFoundError, ProcError, from_oserror

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import datetime
    from typing import TypeVar

    from procfs.core.fd import Fd
    from procfs.core.io import Io
    from procfs.core.limits import Limits
    from procfs.core.maps import MemoryMap
    from procfs.core.mountinfo import MountInfo
    from procfs.core.mountstats import MountStat
    from procfs.core.statm import StatM
    from procfs.core.status import Status

    T = TypeVar("T")

__all__ = ["Process", "all_processes", "pids"]

_O_RDONLY = _os.O_RDONLY | getattr(_os, "O_CLOEXEC", 0)
_O_DIR = _O_RDONLY | getattr(_os, "O_DIRECTORY", 0)
_open = _os.open
_close = _os.close

_DEFAULT: ProcFS | None = None


def _default_fs() -> ProcFS:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ProcFS(DEFAULT_ROOT)
    return _DEFAULT


class _DirPool:
    """The least-recently-used set of pinned ``/proc/[pid]`` descriptors."""

    def __init__(self) -> None:
        self.lock = _allocate_lock()
        # id(handle) -> weak reference to the handle, least recently used first
        self.handles: dict[int, _weakref[Process]] = {}
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


class Process:
    """A handle on one process under a procfs root.

    ``Process(pid)`` checks that the process exists (raising
    :class:`~procfs.errors.NotFoundError` otherwise) and binds the handle to
    it; see the module notes on identity. Each method reads its file afresh.
    """

    __slots__ = ("__weakref__", "_busy", "_dirfd", "_fs", "_start_time", "pid")

    pid: int
    _fs: ProcFS
    _dirfd: int
    _busy: int
    _start_time: int | None

    def __init__(self, pid: int, fs: ProcFS | None = None, *, _check: bool = True) -> None:
        self.pid = int(pid)
        self._fs = fs if fs is not None else _default_fs()
        self._dirfd = -1
        self._busy = 0
        self._start_time = None
        if _check:
            self._pin()

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

    def __del__(self) -> None:
        if getattr(self, "_dirfd", -1) >= 0:
            try:
                self._unpin()
            except Exception:  # interpreter shutdown: nothing left to tidy
                pass

    @property
    def fs(self) -> ProcFS:
        """The procfs root this process is read from."""
        return self._fs

    def path(self, name: str = "") -> str:
        """The full path of one of this process's files."""
        return self._fs.path(f"{self.pid}/{name}" if name else str(self.pid))

    def start_time_ticks(self) -> int | None:
        """The start time (``stat`` field 22) that binds this handle, once known."""
        if self._start_time is None:
            try:
                self.stat()
            except ProcError:
                return None
        return self._start_time

    # -- the descriptor pool ----------------------------------------------

    def _pin(self) -> int:
        """This process's directory descriptor, pinned (and checked) if need be."""
        pool = _POOL
        with pool.lock:
            if self._dirfd >= 0:
                key = id(self)
                pool.handles[key] = pool.handles.pop(key)
                self._busy += 1
                return self._dirfd
        path = self.path()
        try:
            fd = _open(path, _O_DIR)
        except OSError as exc:
            raise from_oserror(exc, path) from None
        try:
            self._check_identity(fd)
        except BaseException:
            _close(fd)
            raise
        with pool.lock:
            if self._dirfd >= 0:  # another thread pinned meanwhile
                _close(fd)
            else:
                self._dirfd = fd
                pool.handles[id(self)] = _weakref(self)
                self._evict(pool)
            self._busy += 1
            return self._dirfd

    def _check_identity(self, dirfd: int) -> None:
        try:
            stat_fd = _open("stat", _O_RDONLY, dir_fd=dirfd)
        except OSError as exc:
            if exc.errno == 2 and self._start_time is None:
                return  # a captured tree without a stat file: nothing to compare
            raise from_oserror(exc, self.path("stat")) from None
        try:
            data = read_fd(stat_fd, True)
        except OSError as exc:
            raise from_oserror(exc, self.path("stat")) from None
        finally:
            _close(stat_fd)
        self._learn(parse_stat(data, self.path("stat")).starttime)

    def _learn(self, start_time: int) -> None:
        if self._start_time is None:
            self._start_time = start_time
        elif self._start_time != start_time:
            raise NotFoundError(
                f"process {self.pid} has exited (its pid now names another process)", self.path()
            )

    @staticmethod
    def _evict(pool: _DirPool) -> None:
        """Close the least recently used idle descriptors beyond the pool's limit."""
        excess = len(pool.handles) - pool.limit()
        if excess <= 0:
            return
        for key, reference in list(pool.handles.items()):
            if excess <= 0:
                break
            handle = reference()
            if handle is None or handle._busy:
                continue
            del pool.handles[key]
            _close(handle._dirfd)
            handle._dirfd = -1
            excess -= 1

    def _release(self) -> None:
        with _POOL.lock:
            self._busy -= 1

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

    # -- raw reads ------------------------------------------------------------

    def read(self, name: str, single: bool = False) -> bytes:
        """The raw bytes of one of this process's files (``"status"``, ``"net/tcp"``)."""

        def read(dirfd: int) -> bytes:
            try:
                fd = _open(name, _O_RDONLY, dir_fd=dirfd)
            except OSError as exc:
                raise from_oserror(exc, self.path(name)) from None
            try:
                return read_fd(fd, single)
            except OSError as exc:
                raise from_oserror(exc, self.path(name)) from None
            finally:
                _close(fd)

        return self._with_dir(read)

    def readlink(self, name: str) -> str:
        """The target of one of this process's symbolic links (``"exe"``, ``"fd/3"``)."""

        def readlink(dirfd: int) -> str:
            try:
                return _os.readlink(name, dir_fd=dirfd)
            except OSError as exc:
                if exc.errno != 22:  # EINVAL: a captured tree stores links as files
                    raise from_oserror(exc, self.path(name)) from None
            return _os.fsdecode(self.read(name).rstrip(b"\n"))

        return self._with_dir(readlink)

    def listdir(self, name: str) -> list[str]:
        """The names in one of this process's directories (``"fd"``, ``"task"``)."""

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

    # -- one method per file ----------------------------------------------

    def stat(self) -> Stat:
        """Status information from ``/proc/[pid]/stat`` (what ``ps`` shows)."""
        if self._dirfd >= 0:
            data = self.read("stat", True)
        else:
            data = self._fs.read(f"{self.pid}/stat", True)
        stat = parse_stat(data, self.path("stat"))
        self._learn(stat.starttime)
        return stat

    def start_time(self) -> datetime:
        """When the process started (aware datetime, UTC), from ``starttime`` and ``btime``."""
        return self.stat().starttime_datetime(
            self._fs.boot_time_secs(), self._fs.ticks_per_second()
        )

    def status(self) -> Status:
        """Human-oriented status from ``/proc/[pid]/status``, typed."""
        from procfs.core.status import parse_status

        return parse_status(self.read("status", True), self.path("status"))

    def statm(self) -> StatM:
        """Memory usage in pages, from ``/proc/[pid]/statm``."""
        from procfs.core.statm import parse_statm

        return parse_statm(self.read("statm", True), self.path("statm"))

    def io(self) -> Io:
        """I/O counters from ``/proc/[pid]/io`` (root or the process owner only)."""
        from procfs.core.io import parse_io

        return parse_io(self.read("io", True), self.path("io"))

    def maps(self) -> list[MemoryMap]:
        """The mapped memory regions, from ``/proc/[pid]/maps``."""
        from procfs.core.maps import parse_maps

        return parse_maps(self.read("maps"), self.path("maps"))

    def cmdline(self) -> list[str]:
        """The command line arguments (empty for a kernel thread or a zombie)."""
        from procfs.core.cmdline import parse_cmdline

        return parse_cmdline(self.read("cmdline"), self.path("cmdline"))

    def environ(self) -> dict[str, str]:
        """The initial environment, from ``/proc/[pid]/environ``."""
        from procfs.core.cmdline import parse_environ

        return parse_environ(self.read("environ"), self.path("environ"))

    def comm(self) -> str:
        """The command name (at most 15 bytes), from ``/proc/[pid]/comm``."""
        return _os.fsdecode(self.read("comm", True).removesuffix(b"\n"))

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
                raise from_oserror(exc, self.path("fd")) from None
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
                raise from_oserror(exc, self.path("fd")) from None
            finally:
                _close(fd_dir)

        return self._with_dir(read_fds)

    def limits(self) -> Limits:
        """Resource limits, from ``/proc/[pid]/limits``."""
        from procfs.core.limits import parse_limits

        return parse_limits(self.read("limits"), self.path("limits"))

    def mountinfo(self) -> list[MountInfo]:
        """The mounts in this process's mount namespace, from ``mountinfo``."""
        from procfs.core.mountinfo import parse_mountinfo

        return parse_mountinfo(self.read("mountinfo"), self.path("mountinfo"))

    def mountstats(self) -> list[MountStat]:
        """Per-mount statistics (with NFS details), from ``mountstats``."""
        from procfs.core.mountstats import parse_mountstats

        return parse_mountstats(self.read("mountstats"), self.path("mountstats"))

    def is_alive(self) -> bool:
        """Whether this process still exists (a zombie counts as alive)."""
        try:
            self.stat()
        except NotFoundError:
            return False
        return True


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
