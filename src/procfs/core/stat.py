"""``/proc/[pid]/stat`` and ``/proc/[pid]/task/[tid]/stat``: one line per task.

The line is ``pid (comm) state`` followed by numbers. ``comm`` is copied
unescaped by the kernel, so it may hold spaces, parentheses, newlines and
bytes that are not UTF-8; it is taken from the first ``(`` to the last ``)``
(no later field can contain ``)``). Kernels older than 3.5 print fewer
fields; those missing read as ``None``. Numbers after field 52 (none today)
are kept in ``Stat.extra``; lines after the stat line (which the kernel never
writes, but captured files sometimes hold) are ignored.

This parser is on the hot path of ``ps`` (one call per process), so it splits
the line once, checks in a few C calls that every number field is a
well-formed integer, and builds the record in one call; the numbers stay as
their bytes and are converted on attribute access (which cannot fail: they
were checked). Converting all 49 numbers up front would cost more than
reading the file.
"""

from __future__ import annotations

import sys as _sys

from procfs.core._parse import parser
from procfs.core._record import Record, digits_field
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

    from procfs.core.procstate import ProcState

__all__ = ["Stat", "parse_stat", "parse_task_stat"]

#: Fields 1..52 of the line; the first three are pid, comm and state.
_NFIELDS = 52
#: The fields every kernel since Linux 2.0 prints (through ``cnswap``, field 37).
_MIN_FIELDS = 37


class Stat(Record):
    """One task's status line from ``/proc/[pid]/stat`` (what ``ps`` shows).

    Times are in clock ticks (divide by ``ticks_per_second()``, the
    ``SC_CLK_TCK`` sysconf value); the fields marked [PT] read as 0 unless the
    reader may ptrace the task.

    Attributes:
        pid: The process ID (the thread ID for ``task/[tid]/stat``).
        comm: The command name (executable file name, at most 15 bytes; 63
            for workqueue kernel threads), decoded with ``os.fsdecode``.
        state: The state letter (``R``, ``S``, ``D``, ``Z``, ``T``, ``t``,
            ``X``, ``I``, …); see :attr:`proc_state`.
        ppid: The parent's process ID.
        pgrp: The process group ID.
        session: The session ID.
        tty_nr: The controlling terminal as an encoded device number (0 if
            none); see :attr:`tty`.
        tpgid: The foreground process group of the controlling terminal (-1 if
            none).
        flags: The kernel's ``PF_*`` flags word for the task.
        minflt: Minor page faults (served without disk I/O), count.
        cminflt: Minor faults of the waited-for children, count.
        majflt: Major page faults (that loaded a page from disk), count.
        cmajflt: Major faults of the waited-for children, count.
        utime: Time scheduled in user mode (includes guest_time), ticks.
        stime: Time scheduled in kernel mode, ticks.
        cutime: User time of the waited-for children (includes cguest_time),
            ticks (signed).
        cstime: Kernel time of the waited-for children, ticks (signed).
        priority: For real-time policies the negated priority minus one (-2 to
            -100); otherwise the kernel's nice value 0..39 (signed).
        nice: The nice value, -20 (high priority) to 19 (low).
        num_threads: Number of threads in the process.
        itrealvalue: Jiffies before the next ``SIGALRM`` from an interval
            timer; always 0 since Linux 2.6.17.
        starttime: When the process started, in ticks after system boot; see
            :meth:`starttime_datetime`.
        vsize: Virtual memory size, bytes.
        rss: Resident set size, in pages (see :meth:`rss_bytes`).
        rsslim: Soft limit on the resident set size, bytes
            (18446744073709551615 when unlimited).
        startcode: Address above which program text can run [PT].
        endcode: Address below which program text can run [PT].
        startstack: Address of the start (bottom) of the stack [PT].
        kstkesp: The saved stack pointer (ESP) [PT].
        kstkeip: The saved instruction pointer (EIP) [PT].
        signal: Pending signals bitmap (first 31 signals only; obsolete, see
            ``status``).
        blocked: Blocked signals bitmap (obsolete, as ``signal``).
        sigignore: Ignored signals bitmap (obsolete, as ``signal``).
        sigcatch: Caught signals bitmap (obsolete, as ``signal``).
        wchan: The kernel address where the task sleeps (0 or 1 on recent
            kernels; see ``/proc/[pid]/wchan``) [PT].
        nswap: Pages swapped; not maintained (0).
        cnswap: ``nswap`` of the children; not maintained (0).
        exit_signal: Signal sent to the parent when the task dies (since Linux
            2.1.22; -1 for threads).
        processor: The CPU the task last ran on (since Linux 2.2.8).
        rt_priority: Real-time priority, 1..99, or 0 for normal policies (since
            Linux 2.5.19).
        policy: Scheduling policy, a ``SCHED_*`` number (since Linux 2.5.19).
        delayacct_blkio_ticks: Aggregated block I/O delays, ticks (since Linux
            2.6.18).
        guest_time: Time spent running a virtual CPU for a guest, ticks (since
            Linux 2.6.24).
        cguest_time: ``guest_time`` of the children, ticks (since Linux 2.6.24).
        start_data: Address above which initialized and BSS data are placed
            (since Linux 3.3) [PT].
        end_data: Address below which initialized and BSS data are placed
            (since Linux 3.3) [PT].
        start_brk: Address above which the heap can grow with brk(2) (since
            Linux 3.3) [PT].
        arg_start: Address above which the command-line arguments are placed
            (since Linux 3.5) [PT].
        arg_end: Address below which the command-line arguments are placed
            (since Linux 3.5) [PT].
        env_start: Address above which the environment is placed (since Linux
            3.5) [PT].
        env_end: Address below which the environment is placed (since Linux
            3.5) [PT].
        exit_code: The exit status in waitpid(2) form (since Linux 3.5) [PT].
        extra: Numbers after field 52, which a future kernel may add (empty
            today), kept rather than dropped.
    """

    pid: int
    comm: str
    state: str
    ppid: int
    pgrp: int
    session: int
    tty_nr: int
    tpgid: int
    flags: int
    minflt: int
    cminflt: int
    majflt: int
    cmajflt: int
    utime: int
    stime: int
    cutime: int
    cstime: int
    priority: int
    nice: int
    num_threads: int
    itrealvalue: int
    starttime: int
    vsize: int
    rss: int
    rsslim: int
    startcode: int
    endcode: int
    startstack: int
    kstkesp: int
    kstkeip: int
    signal: int
    blocked: int
    sigignore: int
    sigcatch: int
    wchan: int
    nswap: int
    cnswap: int
    exit_signal: int | None = None
    processor: int | None = None
    rt_priority: int | None = None
    policy: int | None = None
    delayacct_blkio_ticks: int | None = None
    guest_time: int | None = None
    cguest_time: int | None = None
    start_data: int | None = None
    end_data: int | None = None
    start_brk: int | None = None
    arg_start: int | None = None
    arg_end: int | None = None
    env_start: int | None = None
    env_end: int | None = None
    exit_code: int | None = None
    extra: tuple[int, ...] = ()

    @property
    def proc_state(self) -> ProcState:
        """The :attr:`state` letter as a :class:`~procfs.core.procstate.ProcState`.

        Raises :class:`~procfs.errors.ParseError` for a letter it does not know.
        """
        from procfs.core.procstate import ProcState

        return ProcState(self.state)

    @property
    def tty_major(self) -> int:
        """Major device number of the controlling terminal (0 if none)."""
        return (self.tty_nr >> 8) & 0xFFF

    @property
    def tty_minor(self) -> int:
        """Minor device number of the controlling terminal."""
        tty = self.tty_nr & 0xFFFFFFFF
        return (tty & 0xFF) | ((tty >> 12) & 0xFFF00)

    @property
    def tty(self) -> tuple[int, int]:
        """``(major, minor)`` of the controlling terminal; ``(0, 0)`` if none."""
        return self.tty_major, self.tty_minor

    def rss_bytes(self, page_size: int) -> int:
        """The resident set size in bytes, given the page size (``procfs.page_size()``)."""
        return self.rss * page_size

    def starttime_datetime(self, boot_time_secs: float, ticks_per_second: int) -> datetime:
        """When the process started, as an aware UTC datetime.

        ``boot_time_secs`` is the ``btime`` of ``/proc/stat`` (seconds since
        the epoch, ``procfs.boot_time_secs()``) and ``ticks_per_second`` the
        clock tick rate (``procfs.ticks_per_second()``).
        """
        from datetime import datetime, timedelta, timezone

        if ticks_per_second <= 0:
            raise ValueError("ticks_per_second must be positive")
        micros = self.starttime * 1_000_000 // ticks_per_second
        boot = datetime.fromtimestamp(boot_time_secs, timezone.utc)
        return boot + timedelta(microseconds=micros)


for _index, _name in enumerate(Stat._fields[3:-1], 3):
    setattr(Stat, _name, digits_field(_index))
del _index, _name

_new_stat = Stat._make
#: The bytes the numbers of the line may hold (with ``-`` for a sign).
_NUMBER_BYTES = b"0123456789 \n-"
_ENCODING = _sys.getfilesystemencoding()
_ERRORS = _sys.getfilesystemencodeerrors()
#: ``None`` padding for the fields an older kernel does not print, by count.
_PAD = tuple((None,) * k for k in range(_NFIELDS - _MIN_FIELDS + 1))


@parser("[pid]/stat", "[pid]/task/[tid]/stat")
def parse_stat(data: bytes) -> Stat:
    """Parse ``/proc/[pid]/stat`` (also ``task/[tid]/stat``) into a :class:`Stat`."""
    head, found, tail = data.rpartition(b")")
    pid, found_open, comm = head.partition(b"(")
    rest = tail.split()
    if len(rest) == _NFIELDS - 2 and found_open and len(rest[0]) == 1 and tail[2:3] == b" ":
        # The usual case (Linux 3.5 onward): exactly 52 fields. The numbers are
        # kept as bytes once every one is known to be -?[0-9]+: only digits,
        # spaces and '-', and each '-' after a space and before a digit.
        body = tail[3:]
        if not body.translate(None, _NUMBER_BYTES):
            minus = body.find(b"-")
            while minus >= 0:
                if body[minus - 1 : minus] != b" " or not body[minus + 1 : minus + 2].isdigit():
                    break
                minus = body.find(b"-", minus + 1)
            else:
                # comm is decoded as os.fsdecode does, without its two extra calls.
                fields: list[object] = rest  # type: ignore[assignment]
                fields[0:1] = (int(pid), comm.decode(_ENCODING, _ERRORS), rest[0].decode())
                fields.append(())
                return _new_stat(fields)
    if not found or not found_open:
        raise ParseError("no '(comm)' in the stat line", line=data[:200])
    line_end = tail.find(b"\n")
    if line_end >= 0 and tail[line_end:].strip():
        # The kernel writes one line; a captured file may have more after it
        # (prometheus's fixture 584/stat does). The fields end with the line.
        rest = tail[:line_end].split()
    count = len(rest) + 2
    if count < _MIN_FIELDS:
        raise ParseError(f"expected at least {_MIN_FIELDS} fields, found {count}", line=data[:200])
    state = rest[0].decode()
    if len(state) != 1:
        raise ParseError("the state is not one letter", line=rest[0])
    numbers = [int(token) for token in rest[1:]]
    known = _NFIELDS - 3
    return _new_stat(
        (
            int(pid),
            comm.decode(_ENCODING, _ERRORS),
            state,
            *numbers[:known],
            *_PAD[max(0, _NFIELDS - count)],
            tuple(numbers[known:]),
        ),
    )


#: The same parser, under the name of the per-thread file it also reads.
parse_task_stat = parse_stat
