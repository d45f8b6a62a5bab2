"""The one place that touches the filesystem: a /proc root and raw reads.

:class:`ProcFS` names a procfs mount (``/proc`` by default) or a captured
tree of /proc files. It reads whole files as bytes, lists directories and
reads symbolic links, and turns every :class:`OSError` into a
:class:`~procfs.errors.ProcError` that names the path. Its public methods
(``meminfo()``, ``tcp()``, ``all_processes()``, …) are the same functions
the ``procfs`` module offers for the default root.

In a captured tree a symbolic link may have been stored as a regular file
holding the link's target (as archive tools without symlink support do);
:meth:`ProcFS.readlink` reads such a file as the link.
"""

from __future__ import annotations

import errno as _errno
import os as _os

from procfs.errors import from_oserror

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from procfs.core.cgroups import CgroupController
    from procfs.core.config import ConfigValue
    from procfs.core.cpuinfo import CpuInfo
    from procfs.core.kernel import KernelVersion
    from procfs.core.loadavg import LoadAverage
    from procfs.core.meminfo import MemInfo
    from procfs.core.net import TcpNetEntry
    from procfs.process import Process

__all__ = ["DEFAULT_ROOT", "ProcFS"]

DEFAULT_ROOT = "/proc"

_O_RDONLY = _os.O_RDONLY | getattr(_os, "O_CLOEXEC", 0)
_O_DIR = _O_RDONLY | getattr(_os, "O_DIRECTORY", 0)
_FIRST_READ = 8192
_NEXT_READ = 65536

_open = _os.open
_read = _os.read
_close = _os.close


def read_fd(fd: int, single: bool = False) -> bytes:
    """Read an open file to its end.

    ``single`` is for files the kernel produces in one piece (a single
    seq_file record such as ``[pid]/stat``): a short first read is then the
    whole file, which saves the read that would only see the end.
    """
    data = _read(fd, _FIRST_READ)
    if single and len(data) < _FIRST_READ:
        return data
    if not data:
        return data
    chunks = [data]
    while True:
        data = _read(fd, _NEXT_READ)
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


class ProcFS:
    """A procfs root: the live ``/proc``, another mount of it, or a captured tree.

    ``ProcFS("/host/proc").meminfo()`` reads the meminfo of that root; every
    function of the ``procfs`` module is a method here.
    """

    __slots__ = ("_prefix", "root")

    root: str
    _prefix: str

    def __init__(self, root: str | _os.PathLike[str] = DEFAULT_ROOT) -> None:
        self.root = _os.fspath(root).rstrip("/") or "/"
        self._prefix = self.root if self.root.endswith("/") else self.root + "/"

    @classmethod
    def from_snapshot(cls, path: str | _os.PathLike[str]) -> ProcFS:
        """A root over a snapshot: an archive from ``procfs snapshot``, or its unpacked directory.

        See :func:`procfs.snapshot.open_snapshot` (the result can be closed, or
        used in a ``with`` block, to remove the unpacked files at once).
        """
        from procfs.snapshot import open_snapshot

        return open_snapshot(path)

    def __repr__(self) -> str:
        return f"ProcFS({self.root!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProcFS) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)

    # -- raw access -------------------------------------------------------

    def path(self, relative: str) -> str:
        """The full path of ``relative`` (such as ``"1/stat"``) under this root."""
        return self._prefix + relative

    def read(self, relative: str, single: bool = False) -> bytes:
        """The whole content of a file under this root, as bytes."""
        path = self._prefix + relative
        try:
            fd = _open(path, _O_RDONLY)
        except OSError as exc:
            raise from_oserror(exc, path) from None
        try:
            return read_fd(fd, single)
        except OSError as exc:
            raise from_oserror(exc, path) from None
        finally:
            _close(fd)

    def listdir(self, relative: str = "") -> list[str]:
        """The names in a directory under this root."""
        path = self._prefix + relative if relative else self.root
        try:
            return _os.listdir(path)
        except OSError as exc:
            raise from_oserror(exc, path) from None

    def readlink(self, relative: str) -> str:
        """The target of a symbolic link under this root (see the module notes)."""
        path = self._prefix + relative
        try:
            return _os.readlink(path)
        except OSError as exc:
            if exc.errno != _errno.EINVAL:
                raise from_oserror(exc, path) from None
        return _os.fsdecode(self.read(relative).rstrip(b"\n"))

    def open_dir(self, relative: str) -> int:
        """Open a directory under this root; the caller closes the descriptor."""
        path = self._prefix + relative
        try:
            return _open(path, _O_DIR)
        except OSError as exc:
            raise from_oserror(exc, path) from None

    def write(self, relative: str, data: bytes) -> None:
        """Write ``data`` to an existing file under this root, like ``echo data > file``.

        The file is opened write-only and truncated (never created) and
        ``data`` goes out in one ``write`` when the kernel takes it all, as
        sysctl files require. The :class:`~procfs.errors.ProcError` raised
        keeps the :class:`OSError` as its ``__cause__`` (``EINVAL``: the
        kernel refused the value).
        """
        path = self._prefix + relative
        try:
            fd = _open(path, _os.O_WRONLY | _os.O_TRUNC | getattr(_os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise from_oserror(exc, path) from exc
        try:
            view = memoryview(data)
            while view:
                written = _os.write(fd, view)
                if written <= 0:
                    raise OSError(_errno.EIO, "the file took no more bytes")
                view = view[written:]
        except OSError as exc:
            raise from_oserror(exc, path) from exc
        finally:
            _close(fd)

    # -- the public API, on this root -------------------------------------

    def process(self, pid: int) -> Process:
        """The process ``pid`` under this root (see :class:`procfs.Process`)."""
        from procfs.process import Process

        return Process(pid, self)

    def myself(self) -> Process:
        """The calling process, through this root's ``self`` link."""
        from procfs.process import Process

        return Process.myself(self)

    def pids(self) -> list[int]:
        """The pids listed under this root, in the order the kernel gives them."""
        from procfs.process import pids

        return pids(self)

    def all_processes(self) -> Iterator[Process]:
        """Every process under this root (see :func:`procfs.all_processes`)."""
        from procfs.process import all_processes

        return all_processes(self)

    def meminfo(self) -> MemInfo:
        """System memory usage, from ``meminfo``."""
        from procfs import system

        return system.meminfo(self)

    def cpuinfo(self) -> CpuInfo:
        """The processors and their properties, from ``cpuinfo``."""
        from procfs import system

        return system.cpuinfo(self)

    def loadavg(self) -> LoadAverage:
        """Load averages and task counts, from ``loadavg``."""
        from procfs import system

        return system.loadavg(self)

    def kernel_version(self) -> KernelVersion:
        """The running kernel's version, from ``sys/kernel/osrelease``."""
        from procfs import system

        return system.kernel_version(self)

    def boot_time(self) -> datetime:
        """When the system booted (aware datetime, UTC), from ``btime`` in ``stat``."""
        from procfs import system

        return system.boot_time(self)

    def boot_time_secs(self) -> int:
        """When the system booted, in seconds since the Unix epoch."""
        from procfs import system

        return system.boot_time_secs(self)

    def ticks_per_second(self) -> int:
        """Clock ticks per second (USER_HZ), the unit of the CPU times in ``stat`` files."""
        from procfs import system

        return system.ticks_per_second(self)

    def page_size(self) -> int:
        """The size of a memory page in bytes, the unit of ``statm`` and ``rss``."""
        from procfs import system

        return system.page_size(self)

    def kernel_config(self) -> dict[str, ConfigValue]:
        """The kernel's build configuration (``config.gz``, else ``/boot/config-<release>``)."""
        from procfs import system

        return system.kernel_config(self)

    def cgroups(self) -> list[CgroupController]:
        """The cgroup controllers the kernel knows, from ``cgroups``."""
        from procfs import system

        return system.cgroups(self)

    def tcp(self) -> list[TcpNetEntry]:
        """The IPv4 TCP sockets, from ``net/tcp``."""
        from procfs import net

        return net.tcp(self)

    def tcp6(self) -> list[TcpNetEntry]:
        """The IPv6 TCP sockets, from ``net/tcp6``."""
        from procfs import net

        return net.tcp6(self)
