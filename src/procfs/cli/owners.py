"""The owner scan of ``procfs netstat``, run in a forked child while the tables are read.

CLI-only machinery (a fork, a pipe, ``marshal``, ``os._exit``): the library
offers :meth:`procfs.ProcFS.lowest_socket_owners`, which this runs aside.
"""

from __future__ import annotations

import marshal as _marshal
import os as _os
import sys as _sys

from procfs._fs import DEFAULT_ROOT, Root, read_fd
from procfs.errors import ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

    from procfs.net import NetFiles

__all__ = ["OwnerScan"]

_close = _os.close
_listdir = _os.listdir


class OwnerScan:
    """The scan for the lowest pid holding each socket any process holds
    (:meth:`procfs.ProcFS.lowest_socket_owners` of every socket), started at once in a
    child process where it may be (:func:`_may_fork`), and collected by :meth:`owners`.

    The kernel takes milliseconds to print a big socket table, and the scan is mostly
    ``readlink`` calls: with the scan in a child, this process reads and parses the tables
    meanwhile (``procfs netstat`` with 4000 sockets takes a fifth less time, with the same
    CPU time). Otherwise, or if the child fails, :meth:`owners` scans here. Either way the
    scan looks for every socket (the inodes come too late for it to stop early) and finds
    the same owners; errors are the scan's. Use it in a ``with`` block: leaving it ends
    the child if its owners were not collected.
    """

    __slots__ = ("_collect", "_fs", "denied")

    #: Whether the scan could not read some process's descriptors (known after
    #: :meth:`owners`).
    denied: bool

    def __init__(self, fs: NetFiles) -> None:
        self._fs = fs
        self.denied = False
        self._collect = _scan_aside(fs) if _may_fork() else None

    def owners(self) -> dict[int, int]:
        """Socket inode -> the lowest pid holding it, for every socket a process holds."""
        collect, self._collect = self._collect, None
        found = collect(False) if collect is not None else None
        if found is None:
            found = _scan(self._fs)
        owners, self.denied = found
        return owners

    def stop(self) -> None:
        """End the child, if any, without its owners."""
        collect, self._collect = self._collect, None
        if collect is not None:
            collect(True)

    def __enter__(self) -> OwnerScan:
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
        pages = int(Root(DEFAULT_ROOT).read("self/statm", single=True).split()[1])
    except (ProcError, ValueError, IndexError):
        return 1 << 62
    return pages * _os.sysconf("SC_PAGE_SIZE")


def _scan_aside(fs: NetFiles) -> Callable[[bool], tuple[dict[int, int], bool] | None] | None:
    """Start the scan for the lowest owners of every socket in a child process.

    Returns what collects its result: ``collect(False)`` waits for the owners and
    whether some were denied (None
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


def _scan(fs: NetFiles) -> tuple[dict[int, int], bool]:
    """The lowest owner of every socket, and whether some process's descriptors were denied."""
    denied: list[int] = []
    return fs.lowest_socket_owners(denied=denied), bool(denied)


def _scan_child(fs: NetFiles, out: int) -> NoReturn:
    """The child of :func:`_scan_aside`: scan, send the owners (marshalled) to ``out``, and
    end at once (whatever fails, the parent sees no owners and scans itself)."""
    status = 1
    try:
        _close_all_but(out)  # the parent's sockets must not look held by the child too
        data = memoryview(_marshal.dumps(_scan(fs)))
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


def _collect(pid: int, pipe: int, stop: bool) -> tuple[dict[int, int], bool] | None:
    """What the child ``pid`` of :func:`_scan_aside` sent through ``pipe``: its owners and
    whether it was denied some, or None if it failed; with ``stop``, end it instead
    (None)."""
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
        found = _marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], dict):
        return found[0], bool(found[1])
    return None
