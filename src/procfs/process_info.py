"""What a psutil user asks of a process or thread: CPU, memory, ids, counters.

The methods of :class:`ProcessInfo` (so of :class:`~procfs.process.Process`
and :class:`~procfs.process.Task`) answer as psutil's ``Process`` methods of
the same names do, with the same units (seconds, bytes, percent), as
records rather than namedtuples. Each reads its files afresh through the
handle's pinned directory, so every answer is about the process the handle
stands for (see :mod:`procfs.process` on identity).

Each of these answers is defined once, in :data:`ATTRIBUTES`: the fields it
needs (``"stat.utime"``, as :meth:`procfs.scan.ScanFiles.scan_fields` names
them) and the function that makes the answer of their values. A method reads
those fields through the handle; :meth:`ProcessInfo.as_dict` reads each file
once for all the names asked; :meth:`procfs.processes.ProcessIterFiles.process_iter_info`
reads them in one scan of every process.
"""

from __future__ import annotations

import errno as _errno
import os as _os
import time as _time

from procfs import core
from procfs._fs import DEFAULT_ROOT
from procfs._handle import _Handle
from procfs.core._record import Record
from procfs.errors import NotFoundError, PermissionDeniedError, ProcError, from_oserror
from procfs.users import user_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, TypeVar

    from procfs.ioprio import IoPriorityClass
    from procfs.root import ProcFS
    from procfs.tty import TtyNames

    T = TypeVar("T")
    #: An answer: the fields it needs and the function of their values that makes it.
    Spec = tuple[tuple[str, ...], Callable[["Context", Sequence[Any]], T]]

__all__ = [
    "ATTRIBUTES",
    "STATE_NAMES",
    "Context",
    "CtxSwitches",
    "Executable",
    "Ids",
    "IoCounters",
    "IoPriority",
    "MemoryFullInfo",
    "MemoryInfo",
    "ProcessCpuTimes",
    "ProcessInfo",
]

#: psutil's name of each ``stat`` state letter (``ProcessInfo.state_name``).
STATE_NAMES = {
    "R": "running",
    "S": "sleeping",
    "D": "disk-sleep",
    "T": "stopped",
    "t": "tracing-stop",
    "Z": "zombie",
    "X": "dead",
    "x": "dead",
    "K": "wake-kill",
    "W": "waking",
    "I": "idle",
    "P": "parked",
}


class ProcessCpuTimes(Record):
    """The CPU time a process (or thread) used, in seconds (psutil's ``pcputimes``).

    Attributes:
        user: Time spent in user mode (``utime``), seconds.
        system: Time spent in kernel mode (``stime``), seconds.
        children_user: User time of the children waited for (``cutime``), seconds.
        children_system: Kernel time of the children waited for (``cstime``), seconds.
        iowait: Time spent waiting for block I/O (``delayacct_blkio_ticks``;
            0 unless delay accounting is on, Linux 2.6.18), seconds.
    """

    user: float
    system: float
    children_user: float
    children_system: float
    iowait: float


class MemoryInfo(Record):
    """Memory use of a process from ``statm``, in bytes (psutil's ``pmem``).

    Attributes:
        rss: Resident set size: the memory in RAM, bytes.
        vms: Virtual memory size: everything mapped, bytes.
        shared: Resident memory backed by files or shared memory, bytes.
        text: Code (the text segment), bytes.
        lib: Always 0 since Linux 2.6, bytes.
        data: Data plus stack (not necessarily resident), bytes.
        dirty: Always 0 since Linux 2.6, bytes.
    """

    rss: int
    vms: int
    shared: int
    text: int
    lib: int
    data: int
    dirty: int


class MemoryFullInfo(Record):
    """:class:`MemoryInfo` plus the counters of ``smaps_rollup`` (psutil's ``pfullmem``), bytes.

    Attributes:
        rss: Resident set size, bytes.
        vms: Virtual memory size, bytes.
        shared: Resident memory backed by files or shared memory, bytes.
        text: Code, bytes.
        lib: Always 0 since Linux 2.6, bytes.
        data: Data plus stack, bytes.
        dirty: Always 0 since Linux 2.6, bytes.
        uss: Unique set size: memory mapped by this process only
            (``Private_Clean + Private_Dirty + Private_Hugetlb``), what its
            exit would free, bytes.
        pss: Proportional set size: resident memory with each page divided
            by the number of processes mapping it, bytes.
        swap: Anonymous memory swapped out, bytes.
    """

    rss: int
    vms: int
    shared: int
    text: int
    lib: int
    data: int
    dirty: int
    uss: int
    pss: int
    swap: int


class Ids(Record):
    """The user or group ids of a process, from ``status`` (psutil's ``puids``/``pgids``).

    Attributes:
        real: The real id: who started the process.
        effective: The effective id: what permission checks use.
        saved: The saved set id: what the process may switch back to.
    """

    real: int
    effective: int
    saved: int


class CtxSwitches(Record):
    """Context switches of a process (or thread), from ``status`` (psutil's ``pctxsw``).

    Attributes:
        voluntary: Times it gave up the CPU (to wait for something).
        involuntary: Times the scheduler took the CPU from it.
    """

    voluntary: int
    involuntary: int


class IoCounters(Record):
    """I/O counters of a process, from ``io`` (psutil's ``pio``).

    Attributes:
        read_count: Read system calls (``syscr``).
        write_count: Write system calls (``syscw``).
        read_bytes: Bytes fetched from storage (``read_bytes``).
        write_bytes: Bytes sent to storage (``write_bytes``).
        read_chars: Bytes passed to read calls, cached or not (``rchar``).
        write_chars: Bytes passed to write calls (``wchar``).
    """

    read_count: int
    write_count: int
    read_bytes: int
    write_bytes: int
    read_chars: int
    write_chars: int


class IoPriority(Record):
    """The I/O scheduling class and level of a process or thread (psutil's ``pionice``).

    Attributes:
        ioclass: The class: none (follows the CPU nice value), real time,
            best effort or idle.
        value: The level within the class, 0 (highest) to 7; 0 for the
            classes without levels.
    """

    ioclass: IoPriorityClass
    value: int


class Executable(Record):
    """The executed program, from the ``exe`` link.

    Attributes:
        path: Its path, without the ``" (deleted)"`` the kernel appends once
            the file is unlinked (or replaced, as by a package upgrade).
        deleted: True when the file was unlinked since the process started it.
    """

    path: str
    deleted: bool


_monotonic = _time.monotonic
_new_cpu_times = ProcessCpuTimes._make
_new_memory_info = MemoryInfo._make


class Context:
    """What the answers need besides the fields: the root's constants and the handle.

    One context serves a whole scan; each constant is read at its first use.
    """

    __slots__ = ("_boot", "_page", "_terminals", "_ticks", "_total", "fs", "handle")

    def __init__(self, fs: ProcFS, handle: ProcessInfo | None = None) -> None:
        self.fs = fs
        self.handle: ProcessInfo | None = handle
        self._ticks = 0
        self._page = 0
        self._boot: float | None = None
        self._total = 0
        self._terminals: TtyNames | None = None

    @property
    def ticks(self) -> int:
        """Clock ticks per second."""
        if not self._ticks:
            self._ticks = self.fs.ticks_per_second()
        return self._ticks

    @property
    def page_size(self) -> int:
        """The page size, bytes."""
        if not self._page:
            self._page = self.fs.page_size()
        return self._page

    @property
    def boot_time(self) -> float:
        """The boot time, seconds since the epoch."""
        if self._boot is None:
            self._boot = float(self.fs.boot_time_secs())
        return self._boot

    @property
    def mem_total(self) -> int:
        """``MemTotal`` of ``meminfo``, bytes."""
        if not self._total:
            self._total = self.fs.meminfo().mem_total
        return self._total

    def terminal(self, tty_nr: int) -> str | None:
        """The path of the terminal ``tty_nr`` (``/dev/pts/3``), or None."""
        if not tty_nr:
            return None
        if self._terminals is None:
            from procfs.tty import TtyNames

            self._terminals = TtyNames(self.fs)
        name = self._terminals.name(tty_nr)
        return None if name is None else "/dev/" + name

    def username(self, uid: int) -> str:
        """The name of the user ``uid``, or the uid as text when it has none."""
        return user_name(uid)

    def the_handle(self) -> ProcessInfo:
        """The handle the answer is about."""
        assert self.handle is not None
        return self.handle


# -- the answers: (fields, function of the context and the fields' values) -----


def first_value(context: Context, values: Sequence[Any]) -> Any:
    return values[0]


def _cpu_times(context: Context, values: Sequence[Any]) -> ProcessCpuTimes:
    ticks = context.ticks
    utime, stime, cutime, cstime, blkio = values
    return _new_cpu_times(
        (utime / ticks, stime / ticks, cutime / ticks, cstime / ticks, (blkio or 0) / ticks)
    )


def _cpu_percent(context: Context, values: Sequence[Any]) -> float:
    handle = context.handle
    assert handle is not None
    now = _monotonic()
    used: int = values[0] + values[1]  # clock ticks
    last = handle._cpu_last
    handle._cpu_last = (now, used)
    if last is None or now <= last[0] or used == last[1]:
        return 0.0  # (an idle process: 0.0, without the costly round)
    return round((used - last[1]) / (context._ticks or context.ticks) / (now - last[0]) * 100, 1)


def _memory_info(context: Context, values: Sequence[Any]) -> MemoryInfo:
    page = context.page_size
    size, resident, shared, text, lib, data, dt = values
    return _new_memory_info(
        (
            resident * page,
            size * page,
            shared * page,
            text * page,
            lib * page,
            data * page,
            dt * page,
        )
    )


def _memory_percent(context: Context, values: Sequence[Any]) -> float:
    resident: int = values[0]
    return resident * context.page_size / context.mem_total * 100


def _ids(context: Context, values: Sequence[Any]) -> Ids:
    return Ids(*values)


def _needed(values: Sequence[int | None], what: str) -> Sequence[int]:
    """The values, or NotFoundError when the kernel does not print them."""
    if None in values:
        raise NotFoundError(f"this kernel does not report {what}")
    return values  # type: ignore[return-value]


def _ctx_switches(context: Context, values: Sequence[Any]) -> CtxSwitches:
    return CtxSwitches(*_needed(values, "context switches"))


def _io_counters(context: Context, values: Sequence[Any]) -> IoCounters:
    return IoCounters(*_needed(values, "these I/O counters"))


def _create_time(context: Context, values: Sequence[Any]) -> float:
    start: int = values[0]
    return context.boot_time + start / context.ticks


def _terminal(context: Context, values: Sequence[Any]) -> str | None:
    return context.terminal(values[0])


def _username(context: Context, values: Sequence[Any]) -> str:
    return context.username(values[0])


def _state_name(context: Context, values: Sequence[Any]) -> str:
    return STATE_NAMES.get(values[0], "?")


def _affinity(context: Context, values: Sequence[Any]) -> list[int]:
    cpus: Sequence[int] | None = values[0]
    if cpus is None:
        raise NotFoundError("this kernel does not report Cpus_allowed_list (2.6.26)")
    return list(cpus)


def _called(method: Callable[[ProcessInfo], T]) -> Spec[T]:
    """The answer of a method that reads no scanned field (a link, a system call)."""
    return (), lambda context, values: method(context.the_handle())


_MEMORY_FIELDS = tuple(f"statm.{name}" for name in core.statm.StatM._fields)
_PID: Spec[int] = (("pid",), first_value)
_NAME: Spec[str] = (("stat.comm",), first_value)
_PPID: Spec[int] = (("stat.ppid",), first_value)
_STATE: Spec[str] = (("stat.state",), _state_name)
_CPU_TIMES: Spec[ProcessCpuTimes] = (
    ("stat.utime", "stat.stime", "stat.cutime", "stat.cstime", "stat.delayacct_blkio_ticks"),
    _cpu_times,
)
_CPU_PERCENT: Spec[float] = (("stat.utime", "stat.stime"), _cpu_percent)
_CPU_NUM: Spec[int | None] = (("stat.processor",), first_value)
_CREATE_TIME: Spec[float] = (("stat.starttime",), _create_time)
_NICE: Spec[int] = (("stat.nice",), first_value)
_NUM_THREADS: Spec[int] = (("stat.num_threads",), first_value)
_TERMINAL: Spec[str | None] = (("stat.tty_nr",), _terminal)
_MEMORY_INFO: Spec[MemoryInfo] = (_MEMORY_FIELDS, _memory_info)
_UIDS: Spec[Ids] = (("status.ruid", "status.euid", "status.suid"), _ids)
_GIDS: Spec[Ids] = (("status.rgid", "status.egid", "status.sgid"), _ids)
_USERNAME: Spec[str] = (("status.ruid",), _username)
_CTX_SWITCHES: Spec[CtxSwitches] = (
    ("status.voluntary_ctxt_switches", "status.nonvoluntary_ctxt_switches"),
    _ctx_switches,
)
_AFFINITY: Spec[list[int]] = (("status.cpus_allowed_list",), _affinity)
_IO_COUNTERS: Spec[IoCounters] = (
    ("io.syscr", "io.syscw", "io.read_bytes", "io.write_bytes", "io.rchar", "io.wchar"),
    _io_counters,
)
_CMDLINE: Spec[list[str]] = (("cmdline",), first_value)

_memory_percent_rss: Spec[float] = (("statm.resident",), _memory_percent)


def _methods() -> dict[str, Spec[Any]]:
    """The answers that are methods of the handle, by name (built once the class exists)."""
    return {
        "exe": _called(ProcessInfo.exe),
        "cwd": _called(_Handle.cwd),
        "environ": _called(_Handle.environ),
        "executable": _called(ProcessInfo.executable),
        "num_fds": _called(ProcessInfo.num_fds),
        "memory_full_info": _called(ProcessInfo.memory_full_info),
        "ionice": _called(ProcessInfo.ionice),
    }


#: The names :meth:`ProcessInfo.as_dict` and ``process_iter_info`` accept (psutil's
#: names; ``name`` is ``comm``, ``status`` is :meth:`ProcessInfo.state_name`), each
#: with the fields it needs and how its answer is made of them.
ATTRIBUTES: dict[str, Spec[Any]] = {
    "pid": _PID,
    "name": _NAME,
    "ppid": _PPID,
    "status": _STATE,
    "cmdline": _CMDLINE,
    "create_time": _CREATE_TIME,
    "cpu_times": _CPU_TIMES,
    "cpu_percent": _CPU_PERCENT,
    "cpu_num": _CPU_NUM,
    "cpu_affinity": _AFFINITY,
    "nice": _NICE,
    "num_threads": _NUM_THREADS,
    "terminal": _TERMINAL,
    "memory_info": _MEMORY_INFO,
    "memory_percent": _memory_percent_rss,
    "uids": _UIDS,
    "gids": _GIDS,
    "username": _USERNAME,
    "num_ctx_switches": _CTX_SWITCHES,
    "io_counters": _IO_COUNTERS,
}

#: What reads each file a field may come from, through a handle.
_FILES: dict[str, Callable[[_Handle], Any]] = {
    "stat": _Handle.stat,
    "status": _Handle.status,
    "statm": _Handle.statm,
    "io": _Handle.io,
    "cmdline": _Handle.cmdline,
}


def attribute_names(attrs: Iterable[str] | None) -> list[str]:
    """The names asked for (all of :data:`ATTRIBUTES` for None), checked."""
    if attrs is None:
        return list(ATTRIBUTES)
    if isinstance(attrs, str):
        raise TypeError(f"attrs must be a sequence of names, not the string {attrs!r}")
    names = list(dict.fromkeys(attrs))
    unknown = [name for name in names if name not in ATTRIBUTES]
    if unknown:
        raise ValueError(
            f"unknown attribute name(s) {', '.join(map(repr, unknown))};"
            f" valid names: {', '.join(sorted(ATTRIBUTES))}"
        )
    return names


def _check_live(handle: _Handle, what: str) -> None:
    """Refuse a system call by pid for a process of a captured tree or of another pid
    namespace's procfs: its pid names nothing, or another process, here."""
    fs = handle._fs
    if fs.root == DEFAULT_ROOT:
        return
    try:
        ours = fs.trusted and fs.self_pid() == _os.getpid()
    except ProcError:
        ours = False
    if not ours:
        path = handle.path()
        raise NotFoundError(
            f"{what}: {path} is not a process of this system (a captured tree, or a procfs"
            " of another pid namespace): system calls by pid cannot reach it",
            path,
        )


def syscall_error(exc: OSError, what: str) -> Exception:
    """A system call's OSError as a typed error (EINVAL: a ValueError)."""
    if exc.errno == _errno.EINVAL:
        return ValueError(f"{what}: {exc.strerror or exc}")
    return from_oserror(exc, what)


class ProcessInfo(_Handle):
    """What a psutil user asks of a process or thread: CPU, memory, ids, counters.

    Every answer is read afresh. The setters (:meth:`nice`,
    :meth:`cpu_affinity`, :meth:`rlimit`, :meth:`ionice` with a value) act
    by pid, since Linux has no form of these calls that takes a pidfd: each
    checks right before its call that the pid still names this process, but
    a process that exits between that check and the call, and whose pid is
    reused meanwhile, would see the newcomer changed. Those calls and the
    syscall-based getters (:meth:`rlimit`, :meth:`ionice`) need a root whose
    pids are this system's (the live ``/proc``, or another procfs mount of this
    pid namespace): for a captured tree or another pid namespace's procfs they
    raise :class:`~procfs.errors.NotFoundError`.
    """

    __slots__ = ()

    # -- reading the fields of the answers ----------------------------------

    def _get(self, spec: Spec[T]) -> T:
        """One answer, read through this handle."""
        fields, make = spec
        context = Context(self._fs, self)
        return make(context, self._values(fields, {}))

    def _values(self, fields: Sequence[str], records: dict[str, Any]) -> list[Any]:
        """The values of ``fields`` (``"stat.utime"``), reading each file at most once
        (``records`` keeps the files read, by name)."""
        out: list[Any] = []
        for field in fields:
            if field == "pid":
                out.append(self.pid)
                continue
            file, _, name = field.partition(".")
            record = records.get(file)
            if record is None:
                record = records[file] = _FILES[file](self)
            out.append(getattr(record, name) if name else record)
        return out

    def _id(self) -> int:
        """The id the system calls take: the pid of a process, the tid of a thread."""
        tid: int = getattr(self, "tid", self.pid)
        return tid

    def _checked_id(self, what: str) -> int:
        """Check the identity (``stat``) right before a system call, and give its id."""
        _check_live(self, what)
        self.stat()
        return self._id()

    # -- CPU ------------------------------------------------------------------

    def cpu_times(self) -> ProcessCpuTimes:
        """The CPU time used, in seconds: user, system, children's and block I/O wait.

        From ``stat`` (``utime``, ``stime``, ``cutime``, ``cstime``,
        ``delayacct_blkio_ticks``) in clock ticks, divided by the root's
        :meth:`~procfs.system.SystemFiles.ticks_per_second`.
        """
        return self._get(_CPU_TIMES)

    def cpu_percent(self, interval: float | None = None) -> float:
        """The CPU use, percent of one CPU, as psutil computes it (above 100 on several CPUs).

        With ``interval`` None (or 0), the user + system time used since the
        last call on this handle, over the wall time between the two calls
        (a monotonic clock); the first call returns 0.0 (a baseline). With
        ``interval`` > 0, blocks that many seconds and measures over them.
        Rounded to one decimal.
        """
        if interval is not None and interval < 0:
            raise ValueError(f"interval is not positive (got {interval!r})")
        if interval:
            self._get(_CPU_PERCENT)
            _time.sleep(interval)
        return self._get(_CPU_PERCENT)

    def cpu_num(self) -> int:
        """The CPU the task last ran on (``processor`` of ``stat``, Linux 2.2.8)."""
        found = self._get(_CPU_NUM)
        if found is None:
            raise NotFoundError(f"{self.path('stat')}: no processor field")
        return found

    # -- memory ---------------------------------------------------------------

    def memory_info(self) -> MemoryInfo:
        """Memory use in bytes (``statm`` times the page size), as psutil's ``memory_info``."""
        return self._get(_MEMORY_INFO)

    def memory_full_info(self) -> MemoryFullInfo:
        """:meth:`memory_info` plus uss, pss and swap, bytes, from ``smaps_rollup``.

        Before Linux 4.14 (no ``smaps_rollup``) the counters of ``smaps`` are
        summed instead. Reading them makes the kernel walk the page tables:
        much slower than :meth:`memory_info`. Needs ptrace access (root or
        the owner).
        """
        info = self.memory_info()
        try:
            usage = self.smaps_rollup().usage
            uss = (usage.private_clean or 0) + (usage.private_dirty or 0)
            uss += usage.private_hugetlb or 0
            pss, swap = usage.pss or 0, usage.swap or 0
        except NotFoundError:
            if not self.is_alive():
                raise
            uss = pss = swap = 0
            for entry in self.smaps():
                mapping = entry.usage
                uss += (mapping.private_clean or 0) + (mapping.private_dirty or 0)
                uss += mapping.private_hugetlb or 0
                pss += mapping.pss or 0
                swap += mapping.swap or 0
        return MemoryFullInfo(
            info.rss, info.vms, info.shared, info.text, info.lib, info.data, info.dirty,
            uss, pss, swap,
        )  # fmt: skip

    def memory_percent(self, memtype: str = "rss") -> float:
        """``memtype`` of :meth:`memory_full_info` as a percent of ``MemTotal``.

        ``memtype`` is a field of :class:`MemoryInfo` (read from ``statm``
        alone) or :class:`MemoryFullInfo` (``uss``, ``pss``, ``swap``: read
        from ``smaps_rollup`` too); another name raises ValueError.
        """
        if MemoryInfo.has_field(memtype):
            value: int = getattr(self.memory_info(), memtype)
        elif MemoryFullInfo.has_field(memtype):
            value = getattr(self.memory_full_info(), memtype)
        else:
            raise ValueError(
                f"memtype must be one of {', '.join(MemoryFullInfo._fields)}, not {memtype!r}"
            )
        return value / Context(self._fs).mem_total * 100

    # -- identity and ownership ---------------------------------------------

    def state_name(self) -> str:
        """psutil's name of the state: ``running``, ``sleeping``, ``disk-sleep``,
        ``stopped``, ``tracing-stop``, ``zombie``, ``dead``, ``wake-kill``, ``waking``,
        ``idle``, ``parked`` (``"?"`` for a letter unknown here)."""
        return self._get(_STATE)

    def is_running(self) -> bool:
        """Whether the process is alive and still the one this handle stands for.

        A zombie counts as running, as in psutil. (The handle checks the
        start time of the pid at every read, see :mod:`procfs.process`.)
        """
        return self.is_alive()

    def create_time(self) -> float:
        """When the process started, seconds since the epoch (boot time + ``starttime``).

        The boot time is ``btime`` of the root's ``stat``, so the answer moves
        with the system clock as psutil's does.
        """
        return self._get(_CREATE_TIME)

    def terminal(self) -> str | None:
        """The controlling terminal's path (``"/dev/pts/3"``), or None without one.

        From ``tty_nr`` of ``stat``, named as ``ps`` names it (see
        :mod:`procfs.tty`). psutil names only the ``/dev/tty*`` and
        ``/dev/pts/*`` nodes; this also names ``/dev/console``.
        """
        return self._get(_TERMINAL)

    def uids(self) -> Ids:
        """The real, effective and saved user ids, from ``status``."""
        return self._get(_UIDS)

    def gids(self) -> Ids:
        """The real, effective and saved group ids, from ``status``."""
        return self._get(_GIDS)

    def username(self) -> str:
        """The name of the real user (the password database), or the uid as text if it has none."""
        return self._get(_USERNAME)

    def exe(self) -> str:
        """The path of the executed program (the ``exe`` link), without a ``" (deleted)"``.

        :meth:`executable` tells whether the file was deleted. A kernel thread
        has none (:class:`~procfs.errors.NotFoundError`; psutil gives ``""``).
        """
        return self.executable().path

    def executable(self) -> Executable:
        """The executed program's path and whether it was deleted since (the ``exe`` link)."""
        target = core.fd.parse_fd_target(_os.fsencode(self.readlink("exe")))
        if target.kind == "memfd":
            return Executable(f"/memfd:{target.name}", target.deleted)
        if target.kind == "path" and target.path is not None:
            return Executable(target.path, target.deleted)
        return Executable(target.raw, target.deleted)

    # -- counters -------------------------------------------------------------

    def num_fds(self) -> int:
        """The number of open file descriptors (see :meth:`fd_count`)."""
        return self.fd_count()

    def num_threads(self) -> int:
        """The number of threads of the process (``num_threads`` of ``stat``)."""
        return self._get(_NUM_THREADS)

    def num_ctx_switches(self) -> CtxSwitches:
        """Voluntary and involuntary context switches, from ``status`` (Linux 2.6.23)."""
        return self._get(_CTX_SWITCHES)

    def io_counters(self) -> IoCounters:
        """I/O calls and bytes, from ``io`` (root or the owner only; CONFIG_TASK_IO_ACCOUNTING)."""
        return self._get(_IO_COUNTERS)

    # -- scheduling and limits: getters and setters ---------------------------

    def nice(self, value: int | None = None) -> int:
        """The nice value (-20 to 19, ``nice`` of ``stat``); with ``value``, set it first.

        Setting uses setpriority(2) by pid (tid for a thread; see the class
        notes on what stays racy). Lowering it needs CAP_SYS_NICE
        (:class:`~procfs.errors.PermissionDeniedError`). Returns the value read
        after the change.
        """
        if value is not None:
            what = f"setpriority(pid {self._id()})"
            target = self._checked_id(what)
            try:
                _os.setpriority(_os.PRIO_PROCESS, target, value)
            except OSError as exc:
                raise syscall_error(exc, what) from None
        return self._get(_NICE)

    def cpu_affinity(self, cpus: Iterable[int] | None = None) -> list[int]:
        """The CPUs the task may run on, sorted (``Cpus_allowed_list`` of ``status``).

        With ``cpus``, sets them first with sched_setaffinity(2) by pid (tid
        for a thread; see the class notes), then returns what the kernel
        kept. An empty or invalid set raises ValueError.
        """
        if cpus is not None:
            wanted = set(cpus)
            if not wanted:
                raise ValueError("cpu_affinity needs at least one CPU")
            what = f"sched_setaffinity(pid {self._id()})"
            target = self._checked_id(what)
            try:
                _os.sched_setaffinity(target, wanted)
            except OSError as exc:
                raise syscall_error(exc, what) from None
        return self._get(_AFFINITY)

    def rlimit(self, resource: int, limits: tuple[int, int] | None = None) -> tuple[int, int]:
        """The (soft, hard) limit of ``resource`` (a ``resource.RLIMIT_*``), by prlimit(2).

        ``resource.RLIM_INFINITY`` (-1) for no limit. With ``limits``, sets
        them and returns the previous ones (as prlimit does). Raising a
        hard limit needs CAP_SYS_RESOURCE. Acts by pid (see the class notes);
        the limits are the process's, shared by its threads.
        """
        import resource as _resource

        what = f"prlimit(pid {self.pid})"
        _check_live(self, what)
        self.stat()
        try:
            if limits is None:
                return _resource.prlimit(self.pid, resource)
            return _resource.prlimit(self.pid, resource, limits)
        except OSError as exc:
            raise syscall_error(exc, what) from None

    def ionice(
        self, ioclass: IoPriorityClass | int | None = None, value: int | None = None
    ) -> IoPriority:
        """The I/O scheduling class and level, by ioprio_get(2); with ``ioclass``, set them.

        ``ioclass`` is a :class:`~procfs.ioprio.IoPriorityClass` (NONE, RT,
        BE, IDLE). ``value`` (0 to 7) goes with RT and BE only (4 when not
        given, as psutil); RT needs CAP_SYS_ADMIN. Setting (ioprio_set(2) by
        pid, tid for a thread; see the class notes) returns the new priority.
        """
        from procfs import ioprio

        target = self._checked_id("ioprio")
        if ioclass is None:
            if value is not None:
                raise ValueError("ionice: a value needs an ioclass")
            return ioprio.ioprio_get(target)
        ioprio.ioprio_set(target, ioclass, value)
        return ioprio.ioprio_get(target)

    # -- several at once ------------------------------------------------------

    def as_dict(self, attrs: Iterable[str] | None = None, ad_value: Any = None) -> dict[str, Any]:
        """Several answers at once, by psutil's names (all of :data:`ATTRIBUTES` for None).

        The names are those of the methods here (``cpu_times``, ``username``,
        ``io_counters``, ``exe``, ``num_fds``, ...), plus ``pid``, ``name``
        (:meth:`comm`; psutil lengthens a 15-character name from the command
        line), ``ppid``, ``cmdline``, ``cwd``, ``environ`` and ``status``
        (psutil's status string, :meth:`state_name`; :meth:`status` stays the
        ``status`` file). Each file is read once for all the names.

        An answer that cannot be read (a permission denied, a file or link the
        process lacks, such as a kernel thread's ``exe``) is ``ad_value``; a
        process that has exited raises :class:`~procfs.errors.NotFoundError`.
        An unknown name raises ValueError.
        """
        names = attribute_names(attrs)
        context = Context(self._fs, self)
        records: dict[str, Any] = {}
        failed: dict[str, ProcError] = {}
        out: dict[str, Any] = {}
        for name in names:
            fields, make = ATTRIBUTES[name]
            try:
                files = {field.partition(".")[0] for field in fields} - {"pid"}
                error = next((failed[file] for file in files if file in failed), None)
                if error is not None:
                    raise error
                try:
                    values = self._values(fields, records)
                except ProcError as exc:
                    for file in files - set(records):
                        failed[file] = exc
                    raise
                out[name] = make(context, values)
            except (NotFoundError, PermissionDeniedError) as exc:
                if isinstance(exc, NotFoundError) and not self.is_alive():
                    raise
                out[name] = ad_value
        return out


ATTRIBUTES.update(_methods())
