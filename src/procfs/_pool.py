"""The pool of pinned ``/proc/[pid]`` directory descriptors (see :mod:`procfs.process`).

A handle pins its directory by putting the descriptor here; :data:`POOL`
keeps at most :meth:`DirPool.limit` of them, closing the least recently used
idle ones. What a handle must offer the pool (:class:`Pinned`): ``_dirfd``,
its pinned descriptor or -1, which only the pool sets to -1, and ``_busy``,
one item per read in progress (list.append and list.pop are atomic, so a
read ends without the lock); the pool never closes a busy handle's descriptor.

The budget counts what the application already has open (see
:func:`_budget`); running out of descriptors anyway, :meth:`DirPool.opening`
closes the idle ones, measures again and retries once.

Nothing here waits for the lock where it may already be held: a handle that
dies (its weak reference's callback, run by the garbage collector at any
allocation, possibly inside the pool's own critical section) closes its
descriptor only if it gets the lock at once, and otherwise leaves it to the
next pin; a fork waits for the lock (a few seconds at most) so that the
child gets a consistent pool and a lock of its own.

:func:`boottime_ns` and :func:`settled` serve the identity check of a handle
that pins its directory again (see :mod:`procfs.process`).
"""

from __future__ import annotations

import errno as _errno
import os as _os
from _thread import allocate_lock as _allocate_lock
from _weakref import ref as _ref
from time import CLOCK_BOOTTIME as _CLOCK_BOOTTIME
from time import clock_gettime_ns as _clock_gettime_ns

from procfs._fs import default_root
from procfs.errors import ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Protocol, TypeVar

    T = TypeVar("T")

    class Pinned(Protocol):
        """What the pool needs of a handle."""

        _dirfd: int
        _busy: list[None]


__all__ = ["POOL", "DirPool", "boottime_ns", "settled"]

#: The most descriptors the pool keeps, whatever the limit.
MAX_CAPACITY = 256
#: How long a fork waits for another thread to leave the pool (seconds).
_FORK_WAIT = 5.0
#: Out of descriptors: the process's (RLIMIT_NOFILE) or the system's.
_OUT_OF_DESCRIPTORS = (_errno.EMFILE, _errno.ENFILE)
_close = _os.close


def boottime_ns() -> int:
    """Now on the clock that process start times are counted on (CLOCK_BOOTTIME), ns."""
    return _clock_gettime_ns(_CLOCK_BOOTTIME)


_TICK_NS = 1_000_000_000 // _os.sysconf("SC_CLK_TCK")


def settled(start_ticks: int, observed_ns: int) -> bool:
    """Whether a process seen alive at ``observed_ns`` (:func:`boottime_ns`) with start
    time ``start_ticks`` is the only one its pid can ever name with that start time.

    True once the observation is past the clock tick of the start: the process
    held the pid then, so any later holder starts after that tick.
    """
    return observed_ns >= (start_ticks + 1) * _TICK_NS


def _budget() -> int:
    """How many descriptors the pool may keep, given the limit and what is open now.

    At most 1/8 of the soft limit and a quarter of the descriptors still free
    (at least one, at most :data:`MAX_CAPACITY`).
    """
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):
        soft = 1024
    if soft < 0:  # RLIM_INFINITY
        soft = 1 << 20
    try:
        in_use = len(default_root().listdir("self/fd"))
    except ProcError as exc:  # no descriptor left to list with, or no procfs at /proc
        in_use = soft if exc.errno in _OUT_OF_DESCRIPTORS else 0
    return max(1, min(MAX_CAPACITY, soft // 8, (soft - in_use) // 4))


class _Entry(_ref["Pinned"]):
    """The pool's record of one pinned descriptor: a weak reference to its handle.

    The entry owns the descriptor ``fd`` (-1 once closed): only the pool
    closes it, with the lock held. ``key`` is its place in the table
    (the handle's ``id``).
    """

    __slots__ = ("fd", "key")

    fd: int
    key: int


class DirPool:
    """The least-recently-used set of pinned process and thread directory descriptors.

    ``handles`` maps ``id(handle)`` to its entry, least recently used first;
    ``lock`` guards it and every handle's ``_dirfd``. The fast path of a pin
    (a handle already pinned) is the caller's: with the lock held, move the
    entry to the end and mark the handle busy.
    """

    def __init__(self) -> None:
        self.lock = _allocate_lock()
        self.handles: dict[int, _Entry] = {}
        #: the most descriptors kept (0: not measured yet, see :meth:`limit`)
        self.capacity = 0
        # entries whose handle died while the lock was taken: closed by the next pin
        self._dead: list[_Entry] = []
        self._forking = False
        _os.register_at_fork(
            before=self._before_fork,
            after_in_parent=self._after_fork_in_parent,
            after_in_child=self._after_fork_in_child,
        )

    def limit(self) -> int:
        """The most descriptors the pool keeps (measured at the first use, see :func:`_budget`)."""
        if not self.capacity:
            self.capacity = _budget()
        return self.capacity

    def install(self, handle: Pinned, fd: int, busy: bool) -> int:
        """Pin ``fd`` (a checked directory descriptor) for ``handle``; the descriptor in use.

        If another thread pinned the handle meanwhile, ``fd`` is closed and
        that one is kept. With ``busy`` the handle is marked busy (the caller
        releases it). Idle descriptors beyond the limit are closed.
        """
        with self.lock:
            if handle._dirfd >= 0:
                _close(fd)
            else:
                key = id(handle)
                stale = self.handles.pop(key, None)  # a dead handle's, at the same address
                if stale is not None:
                    self._close(stale)
                entry = _Entry(handle, self._died)
                entry.fd = fd
                entry.key = key
                self.handles[key] = entry
                handle._dirfd = fd
                limit = self.capacity or self.limit()
                if len(self.handles) > limit:
                    self._evict(limit)
            if busy:
                handle._busy.append(None)
            if self._dead:
                self._drain()
            return handle._dirfd

    def unpin(self, handle: Pinned) -> None:
        """Close ``handle``'s descriptor now (if it has one and no read is using it)."""
        with self.lock:
            entry = self.handles.get(id(handle))
            if entry is not None and entry() is handle and not handle._busy:
                del self.handles[entry.key]
                handle._dirfd = -1
                self._close(entry)

    def relieve(self) -> bool:
        """Make room after running out of descriptors: close every idle one and measure
        the budget again. Whether any descriptor was closed (worth trying again)."""
        with self.lock:
            self._drain()
            before = len(self.handles)
            self._evict(0)
            closed = len(self.handles) < before
            self.capacity = _budget()
        return closed

    def opening(self, opener: Callable[[], T]) -> T:
        """``opener()``, tried once more after :meth:`relieve` if it ran out of descriptors.

        ``opener`` raises an :class:`OSError` (or a
        :class:`~procfs.errors.ResourceLimitError`, which is one) on failure.
        """
        try:
            return opener()
        except OSError as exc:
            if exc.errno not in _OUT_OF_DESCRIPTORS or not self.relieve():
                raise
        return opener()

    # -- with the lock held ------------------------------------------------

    def _evict(self, limit: int) -> None:
        """Close the least recently used idle descriptors beyond ``limit``."""
        excess = len(self.handles) - limit
        if excess <= 0:
            return
        victims: list[tuple[_Entry, Pinned | None]] = []
        for entry in self.handles.values():  # oldest first; stop at the first idle ones
            handle = entry()
            if handle is None or not handle._busy:
                victims.append((entry, handle))
                if len(victims) == excess:
                    break
        for entry, handle in victims:
            del self.handles[entry.key]
            if handle is not None:
                handle._dirfd = -1
            self._close(entry)

    def _drain(self) -> None:
        """Close the descriptors of the handles that died while the lock was taken."""
        while self._dead:
            self._forget(self._dead.pop())

    def _forget(self, entry: _Entry) -> None:
        """Drop the entry of a dead handle and close its descriptor."""
        if self.handles.get(entry.key) is entry:
            del self.handles[entry.key]
        self._close(entry)

    @staticmethod
    def _close(entry: _Entry, close: Callable[[int], None] = _os.close) -> None:
        # (``close`` bound here: it is still there when a handle dies at interpreter exit)
        if entry.fd >= 0:
            fd, entry.fd = entry.fd, -1
            close(fd)

    # -- without waiting for the lock ----------------------------------------

    def _died(self, entry: Any) -> None:
        """The weak reference callback of a dead handle (run by the garbage collector,
        maybe while this thread holds the lock: it must not wait for it)."""
        if self.lock.acquire(False):
            try:
                self._forget(entry)
            finally:
                self.lock.release()
        else:
            self._dead.append(entry)

    def _before_fork(self) -> None:
        # Waits for a thread in the pool to leave it; gives up (rather than hang) if
        # this very thread holds the lock (a finalizer that forks).
        self._forking = self.lock.acquire(timeout=_FORK_WAIT)

    def _after_fork_in_parent(self) -> None:
        if self._forking:
            self._forking = False
            self.lock.release()

    def _after_fork_in_child(self) -> None:
        self.lock = _allocate_lock()
        if self._forking:
            self._forking = False
            return
        # The pool may be half updated: forget every descriptor (the child keeps
        # them open) rather than close one that may no longer be the pool's.
        for entry in self.handles.values():
            handle = entry()
            if handle is not None:
                handle._dirfd = -1
            entry.fd = -1
        self.handles.clear()
        self._dead.clear()


#: The pool of every handle.
POOL = DirPool()
