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
``children`` file exists only per thread, and :meth:`Process.child_pids`
joins those of all its threads (:meth:`Process.children` gives handles; see
:mod:`procfs.process_relations` for the family and the open things).

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

from procfs import core
from procfs._fs import Root, is_pid
from procfs._fs import default_root as _default_fs
from procfs.core.stat import parse_stat
from procfs.process_actions import ProcessActions, TaskActions
from procfs.process_info import ProcessInfo
from procfs.process_relations import ProcessRelations, children_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from procfs.core.mountstats import MountStat
    from procfs.core.pid_values import CoredumpFilter
    from procfs.core.sched import Autogroup
    from procfs.core.stat import Stat
    from procfs.root import ProcFS

__all__ = ["Process", "ProcessFiles", "Task"]


class Process(ProcessActions, ProcessRelations, ProcessInfo):
    """A handle on one process under a procfs root.

    ``Process(pid)`` checks that the process exists (raising
    :class:`~procfs.errors.NotFoundError` otherwise) and binds the handle to
    it; see the module notes on identity. Each method reads its file afresh.
    """

    __slots__ = ()

    def __init__(self, pid: int, fs: ProcFS | None = None, *, _check: bool = True) -> None:
        self.pid = int(pid)
        """The process ID."""
        self._fs = fs if fs is not None else _default_fs()
        self._rel = str(self.pid)
        self._prefix = self._fs.path(self._rel) + "/"
        self._dirfd = -1
        self._busy = []
        self._start_time = None
        self._inode = None
        self._settled = False
        self._cpu_last = None
        if _check:  # pin (which checks that it exists), then leave it idle in the pool
            self._pin()
            self._release()

    @classmethod
    def myself(cls, fs: ProcFS | None = None) -> Process:
        """The calling process (``/proc/self``)."""
        fs = fs if fs is not None else _default_fs()
        return cls(fs.self_pid(), fs)

    @classmethod
    def bound(cls, pid: int, start_time: int, fs: ProcFS | None = None) -> Process:
        """A handle on the process ``pid`` that started at ``start_time`` (``stat``
        field 22, clock ticks), as a scan read it; nothing is read now.

        Its first read raises :class:`~procfs.errors.NotFoundError` if that
        process has exited, even if its pid now names another one.
        """
        handle = cls(pid, fs, _check=False)
        handle._start_time = start_time
        return handle

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


class Task(TaskActions, ProcessInfo):
    """A handle on one thread of a process, ``/proc/[pid]/task/[tid]``.

    It has the per-file methods of :class:`Process` that a thread directory
    offers (``stat()``, ``status()``, ``schedstat()``, ``syscall()``,
    ``wchan()``, ...), reading the thread's own files; see the module notes
    on identity. ``pid`` is the process (thread group) id, ``tid`` the
    thread's.
    """

    __slots__ = ("process", "tid")

    process: Process
    """The handle of the process this thread belongs to."""
    tid: int
    """The thread ID."""

    def __init__(self, process: Process, tid: int, *, _check: bool = True) -> None:
        self.process = process
        self.pid = process.pid
        """The process ID of the thread's process (its thread group ID)."""
        self.tid = int(tid)
        """The thread ID."""
        self._fs = process._fs
        self._rel = f"{process.pid}/task/{self.tid}"
        self._prefix = self._fs.path(self._rel) + "/"
        self._dirfd = -1
        self._busy = []
        self._start_time = None
        self._inode = None
        self._settled = False
        self._cpu_last = None
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

    def child_pids(self) -> list[int]:
        """The pids of the children this thread created (``children``, CONFIG_PROC_CHILDREN)."""
        return core.pid_values.parse_children(self.read("children"), self._prefix + "children")

    def children(self) -> list[Process]:
        """Handles on the children this thread created (``children``, CONFIG_PROC_CHILDREN),
        each bound to its start time; see :meth:`Process.children`. (Breaking change: this
        gave pids before, as :meth:`child_pids` does now.)"""
        return children_of(self._fs, self.pid, self.process.stat().starttime, self.child_pids())


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
