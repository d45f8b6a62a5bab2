"""Signals and waiting, bound to the process the handle stands for, never to a reused pid.

A pid is only a name, and the kernel gives it to a new process once the old
one is gone and reaped. ``os.kill(pid, sig)`` after any check (psutil's way)
leaves a window in which the check saw the right process and the signal
reaches a newcomer. Here every action goes through a descriptor that the
kernel ties to the process itself.

Signals
-------
:meth:`ProcessActions.send_signal` calls :func:`signal.pidfd_send_signal` on
the handle's pinned ``/proc/[pid]`` directory descriptor (see
:mod:`procfs.process`): pidfd_send_signal(2) accepts such a descriptor as a
pidfd (Linux 5.1). The descriptor refers to the kernel's ``struct pid`` of
the process it was opened for, and the handle checked, when it pinned it,
that this is its process (the start time, or the inode of a young process;
a descriptor the pool evicted is opened again and checked the same way
before the signal, through that very descriptor). A newcomer that gets the
pid has another ``struct pid``: a signal through the old descriptor fails
with ESRCH (:class:`~procfs.errors.NotFoundError`) and cannot reach it.
There is no window: no check has to come between a look at the pid and the
signal, and no second descriptor is opened, so an action costs nothing of
the descriptor budget (:mod:`procfs._pool`) and works on any procfs mount
whose processes this one may signal (``ProcFS("/container/proc")``),
whatever the numbering of its pid namespace. A zombie can still be
signalled (with no effect, as with kill(2)); a process already reaped is
not found.

Without pidfd_send_signal (Python built without it, or a kernel before 5.1:
ENOSYS), the identity is checked (``stat`` read through the pinned directory)
right before :func:`os.kill`. What stays racy there: if the process exits,
is reaped by its parent and its pid is given to a newcomer between that
check and the kill, the newcomer gets the signal. The window is a few
microseconds, and the pid must go round ``pid_max`` in it (or be handed out
deliberately, through ``ns_last_pid`` or in a small pid namespace).

Waiting
-------
:meth:`ProcessActions.wait` and :func:`wait_procs` need a real pidfd
(:func:`os.pidfd_open`, Linux 5.3): it becomes readable when the process
exits (poll(2)), and :func:`os.waitid` with ``P_PIDFD`` reaps exactly that
child. ``pidfd_open(pid)`` takes a number, so the descriptor is proved to be
the handle's process afterwards: *after* the pidfd is opened, signal 0 goes
through the handle's pinned directory (or, without pidfd_send_signal, ``stat``
is read through it). That succeeds (or fails with EPERM, which the kernel
checks after finding the process) only if the handle's process has not been
reaped yet. That process has held the pid from its start until that check,
the pidfd was opened in between, and a pid names one process at a time, so
the pidfd refers to it. If the check fails the process is gone (whatever the
pidfd refers to is a newcomer, and is left alone). The argument needs the
pidfd's pid and the handle's pid to be the same number: the root must number
processes as this process's pid namespace does (its ``self/status`` has a
single ``NSpid`` equal to :func:`os.getpid`; known once per procfs instance).
Otherwise, and without pidfds (kernels before 5.3), the wait checks the
handle through its pinned directory at growing intervals (0.1 ms to 40 ms):
race-free, but slower to notice an exit, and a child is then reaped with
:func:`os.waitpid`, which names it by number (racy only if this process
forks while the handle's process, not a child, exits and gives its pid to
the new child).

A wait opens one pidfd per process and closes it before it returns: a pidfd
kept per handle would double the descriptors a handle holds (and the pool's
budget) for a call that is rare and whose pidfd costs about a microsecond to
open and check (``bench/actions.py``: a signal through the pinned directory
costs 1.5 µs, ``os.kill`` 0.6 µs, psutil's ``send_signal`` 50 µs). A
wait that runs out of descriptors polls the directories of the rest.

The exit code is known only to the parent: a child of the caller is reaped
and its exit code returned (minus the signal number if a signal killed it,
as :mod:`subprocess` and psutil do); any other process gives ``None`` once
it has exited (a zombie that its parent has not reaped yet has exited).

Threads
-------
:meth:`TaskActions.send_signal` sends a signal to one thread
(:class:`~procfs.process.Task`): what a signal does stays process-wide (a
SIGSTOP stops them all, a SIGKILL kills them all), but which thread takes a
caught or blocked signal, or is interrupted in a system call, is that one.
pidfd_send_signal(2) takes no ``/proc/[pid]/task/[tid]`` descriptor, so
since Linux 6.9 a pidfd of the thread is opened (``PIDFD_THREAD``) and, as
for a wait, proved to be the handle's thread by reading its ``stat`` through
the handle afterwards, before the signal goes through it
(``PIDFD_SIGNAL_THREAD``). Before 6.9 the identity is checked right before
tgkill(2), which names the thread and its process by number: racy as
``os.kill`` is above, for a thread id reused within its own process.
"""

from __future__ import annotations

import errno as _errno
import os as _os
from select import POLLIN as _POLLIN
from select import poll as _poll
from time import monotonic as _monotonic

from procfs import core
from procfs._handle import _Handle
from procfs._pool import POOL as _POOL
from procfs.core._record import Record
from procfs.errors import NotFoundError, ProcError, TimeoutExpired, from_oserror

TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal as _signal
    from collections.abc import Callable, Iterable, Iterator
    from signal import NSIG as _NSIG
    from signal import SIGCONT as _SIGCONT
    from signal import SIGKILL as _SIGKILL
    from signal import SIGSTOP as _SIGSTOP
    from signal import SIGTERM as _SIGTERM
    from signal import strsignal as _strsignal
    from typing import TypeVar

    from procfs.process import Process

    H = TypeVar("H", bound="ProcessActions")
else:  # (``signal`` imports ``enum``; its C module has the same functions and numbers)
    import _signal
    from _signal import NSIG as _NSIG
    from _signal import SIGCONT as _SIGCONT
    from _signal import SIGKILL as _SIGKILL
    from _signal import SIGSTOP as _SIGSTOP
    from _signal import SIGTERM as _SIGTERM
    from _signal import strsignal as _strsignal

__all__ = ["ExitedProcess", "ProcessActions", "TaskActions", "wait_procs"]

_close = _os.close
_WEXITED = _os.WEXITED
_WNOHANG = _os.WNOHANG
#: (None where this Python lacks them; set to None on ENOSYS, a kernel without them)
_pidfd_send_signal: Callable[[int, int], None] | None = getattr(_signal, "pidfd_send_signal", None)
_pidfd_open: Callable[[int], int] | None = getattr(_os, "pidfd_open", None)
_P_PIDFD: int | None = getattr(_os, "P_PIDFD", None)
#: The polling interval of a wait without a pidfd: from the first to the last (seconds).
_FIRST_INTERVAL = 0.0001
_LAST_INTERVAL = 0.04
#: The longest single poll (seconds; poll(2) takes an int of milliseconds): a longer
#: wait polls again
_LONGEST_POLL = 86400.0
#: The ``stat`` states of a process that has exited: zombie, dead.
_EXITED_STATES = frozenset(("Z", "X", "x"))
#: Whether a procfs numbers processes as this process's pid namespace does, by
#: (device of the procfs, pid of the caller): see :func:`_numbers_as_we_do`
_NUMBERING: dict[tuple[int, int], bool] = {}


class ExitedProcess(Record):
    """A process that :func:`wait_procs` saw exit, with its exit code when known."""

    process: Process
    """The handle of the process."""
    returncode: int | None
    """For a child of the caller, reaped by the wait: its exit status, or minus the number
    of the signal that killed it (``-9``). ``None`` for any other process (only its parent
    learns its status) and for a child that something else reaped first."""


class ProcessActions(_Handle):
    """Signals and waiting, bound to the process the handle stands for, never to a reused pid.

    See :mod:`procfs.process_actions` for how a signal is kept from reaching
    a process that got the pid later.
    """

    __slots__ = ()

    def send_signal(self, sig: int) -> None:
        """Send the signal ``sig`` (a number, e.g. ``signal.SIGHUP``) to this process.

        Through the pinned directory descriptor (pidfd_send_signal(2)): the
        signal reaches this process or nobody. ``sig`` 0 sends nothing but
        checks that the process is there and may be signalled. A zombie
        accepts signals (with no effect). Raises
        :class:`~procfs.errors.NotFoundError` if the process is gone (even
        if its pid names another one now),
        :class:`~procfs.errors.PermissionDeniedError` if this process may
        not signal it (EPERM), :class:`ValueError` for a number that is no
        signal, and :class:`~procfs.errors.ProcError` for a captured tree
        or a process in a pid namespace outside this one's.
        """
        _check_signal(sig)
        self._require_live("signal")
        global _pidfd_send_signal
        send = _pidfd_send_signal
        if send is not None:
            dirfd = self._pin()
            try:
                send(dirfd, sig)
                return
            except OSError as exc:
                if exc.errno != _errno.ENOSYS:
                    raise _signal_error(self.path(), exc, sig) from None
                _pidfd_send_signal = None
            finally:
                self._release()
        self._require_own_numbering("signal")
        self.stat()  # the identity, right before the kill (see the module notes)
        try:
            _os.kill(self.pid, sig)
        except OSError as exc:
            raise _signal_error(self.path(), exc, sig) from None

    def suspend(self) -> None:
        """Stop the process (SIGSTOP, which it cannot catch); :meth:`resume` continues it."""
        self.send_signal(_SIGSTOP)

    def resume(self) -> None:
        """Continue a stopped process (SIGCONT)."""
        self.send_signal(_SIGCONT)

    def terminate(self) -> None:
        """Ask the process to exit (SIGTERM, which it may catch or ignore)."""
        self.send_signal(_SIGTERM)

    def kill(self) -> None:
        """Kill the process (SIGKILL, which it cannot catch)."""
        self.send_signal(_SIGKILL)

    def wait(self, timeout: float | None = None) -> int | None:
        """Wait until the process exits; its exit code if it is a child of the caller.

        A child is reaped and its exit status returned, or minus the number
        of the signal that killed it (``-15``); any other process returns
        ``None`` once it has exited (it need not be reaped yet), and so does
        a process that had already exited or whose pid now names another.
        ``timeout`` in seconds (``None``: no limit, 0: do not wait); when it
        expires first, :class:`~procfs.errors.TimeoutExpired` (the process
        is still running). Raises :class:`ValueError` for a negative
        timeout and :class:`~procfs.errors.ProcError` for a captured tree.
        See the module notes for how the wait stays bound to this process.
        """
        deadline = _deadline(timeout)
        exited: list[int | None] = []
        if _wait([self], deadline, lambda _handle, code: exited.append(code)):
            raise TimeoutExpired(timeout or 0.0, self.pid, self.path())
        return exited[0]

    # -- helpers -------------------------------------------------------------

    def _require_live(self, action: str) -> None:
        """Refuse an action on a root that is not a procfs (a captured tree)."""
        if not self._fs.trusted:
            path = self.path()
            raise ProcError(f"{path}: cannot {action} a process of a captured tree", path)

    def _require_own_numbering(self, action: str) -> None:
        if not _numbers_as_we_do(self):
            path = self.path()
            raise ProcError(
                f"{path}: cannot {action} by pid: {self._fs.root} numbers processes"
                " in another pid namespace than this process's",
                path,
            )


def _check_signal(sig: object) -> None:
    """Refuse what is no signal number: TypeError, or ValueError out of range."""
    if isinstance(sig, bool) or not isinstance(sig, int):
        raise TypeError(f"a signal is an int, not {type(sig).__name__}")
    if not 0 <= sig < _NSIG:
        raise ValueError(f"no signal {sig!r} (signals are 0 to {_NSIG - 1})")


#: pidfd_open(2)'s flag for a thread's pidfd, and pidfd_send_signal(2)'s for a signal to
#: that thread alone (include/uapi/linux/pidfd.h, Linux 6.9)
_PIDFD_THREAD = 0o200  # (O_EXCL)
_PIDFD_SIGNAL_THREAD = 1


class TaskActions(_Handle):
    """A signal to one thread, bound to the thread the handle stands for (see the
    module notes)."""

    __slots__ = ()

    tid: int

    def send_signal(self, sig: int) -> None:
        """Send the signal ``sig`` to this thread (its process's other threads do not
        take it; what it does, e.g. stop or kill, is still process-wide).

        Raises :class:`~procfs.errors.NotFoundError` if the thread is gone,
        :class:`~procfs.errors.PermissionDeniedError` if this process may not
        signal it, :class:`ValueError` for a number that is no signal, and
        :class:`~procfs.errors.ProcError` for a captured tree.
        """
        _check_signal(sig)
        if not self._fs.trusted:
            path = self.path()
            raise ProcError(f"{path}: cannot signal a thread of a captured tree", path)
        pidfd = -1
        if _pidfd_open is not None and _pidfd_send_signal is not None:
            try:
                pidfd = _os.pidfd_open(self.tid, _PIDFD_THREAD)
            except OSError as exc:
                if exc.errno == _errno.ESRCH:
                    raise _signal_error(self.path(), exc, sig) from None
                pidfd = -1  # (EINVAL before 6.9: no thread pidfds)
        try:
            self.stat()  # the identity: after the pidfd was opened, or right before tgkill
            if pidfd >= 0:
                _signal.pidfd_send_signal(pidfd, sig, None, _PIDFD_SIGNAL_THREAD)
            else:
                from procfs._syscall import call

                call("tgkill", self.pid, self.tid, sig)
        except OSError as exc:
            raise _signal_error(self.path(), exc, sig) from None
        finally:
            if pidfd >= 0:
                _close(pidfd)


def _signal_error(path: str, exc: OSError, sig: int) -> ProcError:
    """The ProcError of a signal that failed (its number and name in the message)."""
    described = _strsignal(sig) if sig else None
    name = f"signal {sig} ({described})" if described else f"signal {sig}"
    return from_oserror(OSError(exc.errno, f"{name}: {exc.strerror or exc}"), path)


def wait_procs(
    procs: Iterable[Process],
    timeout: float | None = None,
    callback: Callable[[ExitedProcess], object] | None = None,
) -> tuple[list[ExitedProcess], list[Process]]:
    """Wait for several processes to exit; ``(gone, alive)`` as psutil's ``wait_procs``.

    ``gone`` holds an :class:`ExitedProcess` for each process that exited
    (or was already gone), in the order the exits were seen, with its
    return code (the exit status of a child of the caller, which is reaped,
    or minus the signal that killed it; ``None`` for any other process);
    ``alive`` the handles still running when ``timeout`` (seconds; ``None``:
    until all have exited) expired, in the given order. ``callback`` is
    called with each :class:`ExitedProcess` as soon as its exit is seen.
    One wait watches every process at once (a pidfd each, see the module
    notes), so exits are seen as they happen. A handle given twice counts
    once. Raises :class:`ValueError` for a negative timeout and
    :class:`TypeError` for a callback that cannot be called.
    """
    if callback is not None and not callable(callback):
        raise TypeError(f"callback {callback!r} is not callable")
    deadline = _deadline(timeout)
    unique = list({id(proc): proc for proc in procs}.values())
    gone: list[ExitedProcess] = []

    def exited(proc: Process, code: int | None) -> None:
        record = ExitedProcess(proc, code)
        gone.append(record)
        if callback is not None:
            callback(record)

    _wait(unique, deadline, exited)
    done = {id(record.process) for record in gone}
    return gone, [proc for proc in unique if id(proc) not in done]


# -- the wait -------------------------------------------------------------------


def _deadline(timeout: float | None) -> float | None:
    """The monotonic time at which a wait of ``timeout`` seconds gives up."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"timeout must be a number of seconds or None, not {timeout!r}")
    if not timeout >= 0:
        raise ValueError(f"timeout must be at least 0 seconds, not {timeout!r}")
    return None if timeout == float("inf") else _monotonic() + timeout


def _numbers_as_we_do(handle: _Handle, dirfd: int = -1) -> bool:
    """Whether the handle's root gives processes the numbers this process's pid namespace
    gives them: its ``self`` is this process with a single pid (``NSpid``) equal to ours.
    :class:`~procfs.errors.NotFoundError` if the handle's process is gone.

    Known per procfs instance (the device of the handle's directory, ``dirfd`` if the
    caller pinned it) and calling process: neither the namespace of a procfs nor that of
    a process ever changes.
    """
    fs = handle._fs
    if not fs.trusted:
        return False
    pid = _os.getpid()
    found = _os.fstat(dirfd) if dirfd >= 0 else handle._with_dir(_os.fstat)
    key = (found.st_dev, pid)
    known = _NUMBERING.get(key)
    if known is None:
        try:
            nspid = fs.load(core.status.parse_status, "self/status").nspid
            # (before Linux 4.1, no NSpid: only the pid itself to compare)
            known = fs.readlink("self") == str(pid) if nspid is None else nspid == (pid,)
        except ProcError:  # this process is not in that namespace at all
            known = False
        _NUMBERING[key] = known
    return known


def _still_there(handle: ProcessActions, dirfd: int) -> bool:
    """Whether the handle's process has not been reaped yet (so its pid is still its own);
    ``dirfd`` is its pinned directory.

    Signal 0 through that directory when pidfd_send_signal exists (a fraction of a
    microsecond: EPERM too says that the process is there), else a ``stat`` read.
    """
    send = _pidfd_send_signal
    if send is None:
        try:
            handle.stat()
        except NotFoundError:
            return False
        return True
    try:
        send(dirfd, 0)
    except OSError as exc:
        if exc.errno == _errno.ESRCH:
            return False
        if exc.errno != _errno.EPERM:
            raise _signal_error(handle.path(), exc, 0) from None
    return True


class _Waiter:
    """One process being waited for: its place in the caller's list, its pidfd (-1: polled
    through its directory) and whether it is a child of the caller."""

    __slots__ = ("child", "handle", "index", "pidfd")

    def __init__(self, handle: ProcessActions, index: int, pidfd: int, child: bool) -> None:
        self.handle = handle
        self.index = index
        self.pidfd = pidfd
        self.child = child


def _wait(
    handles: list[H],
    deadline: float | None,
    exited: Callable[[H, int | None], None],
) -> bool:
    """Wait for ``handles`` until ``deadline`` (monotonic; None: no limit), calling
    ``exited(handle, returncode)`` for each as it exits; whether some are left."""
    for handle in handles:
        handle._require_live("wait for")
    waiters: list[_Waiter] = []
    try:
        for index, handle in enumerate(handles):
            waiter = _start(handle, index)
            if isinstance(waiter, _Waiter):
                waiters.append(waiter)
            else:
                exited(handle, waiter[0])
        for index, code in _watch(waiters, deadline):
            exited(handles[index], code)
        return any(waiter.index >= 0 for waiter in waiters)
    finally:
        for waiter in waiters:
            if waiter.pidfd >= 0:
                _close(waiter.pidfd)
                waiter.pidfd = -1


def _start(handle: ProcessActions, index: int) -> _Waiter | tuple[int | None]:
    """A waiter for ``handle``, or ``(returncode,)`` if it has exited already."""
    try:
        dirfd = handle._pin()  # one pin for the numbering and the proof
    except NotFoundError:
        return (None,)
    try:
        return _start_pinned(handle, index, dirfd)
    finally:
        handle._release()


def _start_pinned(handle: ProcessActions, index: int, dirfd: int) -> _Waiter | tuple[int | None]:
    """:func:`_start` with the handle's directory pinned (``dirfd``)."""
    global _pidfd_open
    own = _numbers_as_we_do(handle, dirfd)
    opener = _pidfd_open
    pid = handle.pid
    if own and opener is not None and _P_PIDFD is not None:
        try:
            pidfd = _POOL.opening(lambda: opener(pid))
        except OSError as exc:
            code = exc.errno
            if code == _errno.ESRCH:
                return (None,)
            if code == _errno.ENOSYS:
                _pidfd_open = None
            elif code not in (_errno.EMFILE, _errno.ENFILE):
                raise from_oserror(exc, handle.path()) from None
            pidfd = -1  # out of descriptors, or no pidfds: polled
        if pidfd >= 0:
            try:
                # after the open: the proof that the pidfd is this process
                if not _still_there(handle, dirfd):
                    _close(pidfd)
                    return (None,)
                result = _os.waitid(_P_PIDFD, pidfd, _WEXITED | _WNOHANG)
            except ChildProcessError:
                return _Waiter(handle, index, pidfd, False)
            except BaseException:
                _close(pidfd)
                raise
            if result is None:
                return _Waiter(handle, index, pidfd, True)
            _close(pidfd)
            return (_returncode(result),)
    # Polled: the identity (and zombie state) through the pinned directory; a child is
    # reaped by its number (see the module notes for what that leaves racy).
    try:
        state = handle.stat().state
    except NotFoundError:
        return (None,)
    child = False
    if own:
        try:
            status = _reap_by_pid(handle)
        except ChildProcessError:
            pass
        else:
            if status is not None:
                return (status,)
            child = True
    if not child and state in _EXITED_STATES:
        return (None,)
    return _Waiter(handle, index, -1, child)


def _watch(waiters: list[_Waiter], deadline: float | None) -> Iterator[tuple[int, int | None]]:
    """``(index, returncode)`` of each waiter whose process exits before ``deadline``.

    A waiter that is done is marked with index -1 (and its pidfd closed).
    """
    by_fd = {waiter.pidfd: waiter for waiter in waiters if waiter.pidfd >= 0}
    polled = [waiter for waiter in waiters if waiter.pidfd < 0]
    poller = _poll()
    for fd in by_fd:
        poller.register(fd, _POLLIN)
    interval = _FIRST_INTERVAL
    while True:
        for waiter in list(polled):
            found = _check(waiter)
            if found is not None:
                polled.remove(waiter)
                yield _done(waiter), found[0]
        if not by_fd and not polled:
            return
        wait = None if deadline is None else max(0.0, deadline - _monotonic())
        expired = wait == 0.0  # one last look, then give up
        if polled and not expired:
            wait = interval if wait is None else min(wait, interval)
            interval = min(interval * 2, _LAST_INTERVAL)
        elif wait is not None:
            wait = min(wait, _LONGEST_POLL)
        for fd, _events in poller.poll(None if wait is None else wait * 1000):
            waiter = by_fd.pop(fd)
            poller.unregister(fd)
            code = _reap_pidfd(waiter) if waiter.child else None
            yield _done(waiter), code
        if expired:
            return


def _done(waiter: _Waiter) -> int:
    """Close a finished waiter's pidfd and mark it done; its index."""
    if waiter.pidfd >= 0:
        _close(waiter.pidfd)
        waiter.pidfd = -1
    index, waiter.index = waiter.index, -1
    return index


def _check(waiter: _Waiter) -> tuple[int | None] | None:
    """``(returncode,)`` if a polled waiter's process has exited, else None."""
    handle = waiter.handle
    if waiter.child:
        try:
            status = _reap_by_pid(handle)
        except ChildProcessError:  # reaped by something else
            return (None,)
        return None if status is None else (status,)
    try:
        exited = handle.stat().state in _EXITED_STATES
    except NotFoundError:
        exited = True
    return (None,) if exited else None


def _reap_pidfd(waiter: _Waiter) -> int | None:
    """Reap a child whose pidfd says it exited: its return code (None if reaped elsewhere).

    (No WNOHANG: the exit is there to collect, and waitid returns at once.)
    """
    if _P_PIDFD is None:  # (never: the waiter has a pidfd)
        return None
    try:
        result = _os.waitid(_P_PIDFD, waiter.pidfd, _WEXITED)
    except ChildProcessError:
        return None
    return None if result is None else _returncode(result)


def _reap_by_pid(handle: ProcessActions) -> int | None:
    """``waitpid(pid, WNOHANG)``: the return code of an exited child, None if it runs.

    Raises :class:`ChildProcessError` if the pid names no child of the caller.
    """
    pid, status = _os.waitpid(handle.pid, _WNOHANG)
    return _os.waitstatus_to_exitcode(status) if pid else None


def _returncode(result: _os.waitid_result) -> int:
    """The return code of a reaped child: its exit status, or minus the signal that killed it."""
    if result.si_code == _os.CLD_EXITED:
        return result.si_status
    return -result.si_status
