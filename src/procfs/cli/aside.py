"""Work done on a second CPU: in a forked child, while this process does its own share.

CLI-only machinery (a fork, a pipe, ``marshal``, ``os._exit``): the library
itself never forks. ``procfs netstat`` scans the socket owners aside while it
reads the tables; ``procfs ps`` reads half of the processes aside.
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
    from typing import Any, NoReturn

__all__ = ["cpus", "may_fork", "start"]

_close = _os.close
_listdir = _os.listdir


def cpus() -> int:
    """How many CPUs this process may run on (1 if that is unknown)."""
    try:
        return len(_os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return 1


def may_fork() -> bool:
    """Whether work may go to a child process: this process may run on two CPUs or more,
    has not loaded ``threading`` (a process with threads should not fork), and is small
    (a fork copies the page tables: past :data:`FORK_MAX_RESIDENT` resident, that
    costs more than the work it saves)."""
    return "threading" not in _sys.modules and cpus() > 1 and _resident() < FORK_MAX_RESIDENT


#: The resident size past which no work is done aside (bytes).
FORK_MAX_RESIDENT = 64 << 20


def _resident() -> int:
    """This process's resident size in bytes (from ``/proc/self/statm``; huge if unknown)."""
    try:
        pages = int(Root(DEFAULT_ROOT).read("self/statm", single=True).split()[1])
    except (ProcError, ValueError, IndexError):
        return 1 << 62
    return pages * _os.sysconf("SC_PAGE_SIZE")


def start(
    work: Callable[[], object], close_descriptors: bool = False
) -> Callable[[bool], tuple[object] | None] | None:
    """Start ``work()`` in a child process; its result (which ``marshal`` must take:
    numbers, strings, bytes, None, and tuples, lists, dicts and sets of them) comes back
    through a pipe.

    Returns what collects it, or None if no child could be started:
    ``collect(False)`` waits for the result (as a 1-tuple, or None if the child
    failed), ``collect(True)`` ends the child instead (None); either way the child is
    reaped. With ``close_descriptors`` the child first closes every descriptor it
    inherited (so that it does not look like a holder of this process's files).
    Whatever fails in the child, the parent sees None and can do the work itself.
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
        _child(work, write_end, close_descriptors)
    _os.close(write_end)
    return lambda stop: _collect(pid, read_end, stop)


def _child(work: Callable[[], object], out: int, close_descriptors: bool) -> NoReturn:
    """The child of :func:`start`: work, send the result (marshalled) to ``out``, and end
    at once (without flushing what the parent had buffered)."""
    status = 1
    try:
        if close_descriptors:
            _close_all_but(out)
        result: Any = (work(),)  # (marshal refuses what it cannot take: the parent sees None)
        data = memoryview(_marshal.dumps(result))
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


def _collect(pid: int, pipe: int, stop: bool) -> tuple[object] | None:
    """What the child ``pid`` of :func:`start` sent through ``pipe``, or None if it
    failed; with ``stop``, end it instead (None)."""
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
    if isinstance(found, tuple) and len(found) == 1:
        return (found[0],)
    return None
