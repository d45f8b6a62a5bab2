"""Scheduler files of a process: ``schedstat``, ``sched`` and ``autogroup``.

``/proc/[pid]/schedstat`` (CONFIG_SCHED_INFO) holds three numbers: time
spent on the CPU, time spent waiting on a run queue (both in nanoseconds
since Linux 2.6.23, jiffies before), and the number of time slices run::

    411605849 93680043 79

``/proc/[pid]/sched`` (CONFIG_SCHED_DEBUG) is the scheduler's debugging
view of the task: a header line with the command name, the pid and the
number of threads, a line of dashes, then ``name : value`` lines. Values
with a fractional part are milliseconds printed with nanosecond precision
(``se.sum_exec_runtime : 1234.567890``); they are given here as integer
NANOSECONDS, exactly. The set of names depends on the kernel version and
configuration, so they are kept in a mapping; lines of other shapes (the
NUMA lines ``current_node=0, numa_group_id=0``) are kept as text.

``/proc/[pid]/autogroup`` (CONFIG_SCHED_AUTOGROUP, Linux 2.6.38) names the
task group the process was put in for its session and the group's nice
value: ``/autogroup-19 nice 0``.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Autogroup", "Sched", "SchedStat", "parse_autogroup", "parse_sched", "parse_schedstat"]


class SchedStat(Record):
    """Scheduler statistics of a task, from ``/proc/[pid]/schedstat``.

    Attributes:
        sum_exec_runtime: Time spent running on a CPU, nanoseconds (jiffies
            before Linux 2.6.23).
        run_delay: Time spent runnable but waiting for a CPU, nanoseconds
            (jiffies before Linux 2.6.23).
        pcount: Number of time slices run on a CPU.
    """

    sum_exec_runtime: int
    run_delay: int
    pcount: int


class Autogroup(Record):
    """The task group of a process's session, from ``/proc/[pid]/autogroup``.

    Attributes:
        id: The autogroup's number (``/autogroup-<id>``).
        nice: The group's nice value, which weighs the whole group's share of
            the CPU against other groups (-20 to 19).
    """

    id: int
    nice: int


class Sched(Record):
    """The scheduler's debugging view of a task, from ``/proc/[pid]/sched``.

    Attributes:
        comm: The command name in the header line.
        pid: The pid in the header (as seen from the reader's pid namespace).
        threads: The number of threads of the process (``#threads``), or
            ``None`` on kernels whose header lacks it.
        values: Every ``name : value`` line, by name (``"nr_switches"``,
            ``"se.vruntime"``, ``"policy"``, ...). Values printed with a
            fractional part (milliseconds) are in NANOSECONDS; the others
            are the integers as printed.
        extra: Lines of any other shape, as text.
    """

    comm: str
    pid: int
    threads: int | None
    values: dict[str, int]
    extra: list[str]

    @property
    def nr_switches(self) -> int | None:
        """Context switches (voluntary and involuntary)."""
        return self.values.get("nr_switches")

    @property
    def nr_voluntary_switches(self) -> int | None:
        """Context switches because the task blocked."""
        return self.values.get("nr_voluntary_switches")

    @property
    def nr_involuntary_switches(self) -> int | None:
        """Context switches because the task was preempted."""
        return self.values.get("nr_involuntary_switches")

    @property
    def sum_exec_runtime(self) -> int | None:
        """Time spent on a CPU (``se.sum_exec_runtime``), nanoseconds."""
        return self.values.get("se.sum_exec_runtime")

    @property
    def policy(self) -> int | None:
        """The scheduling policy number (0 SCHED_OTHER, 1 SCHED_FIFO, 2 SCHED_RR, ...)."""
        return self.values.get("policy")

    @property
    def prio(self) -> int | None:
        """The kernel's priority of the task (120 is nice 0 under SCHED_OTHER)."""
        return self.values.get("prio")


@parser(
    "[pid]/schedstat",
    "[pid]/task/[tid]/schedstat",
    read="single",
    record=SchedStat,
    since="2.6 (CONFIG_SCHED_INFO)",
)
def parse_schedstat(data: bytes) -> SchedStat:
    """Parse ``/proc/[pid]/schedstat``: three numbers."""
    fields = data.split()
    if len(fields) != 3:
        raise ParseError(f"expected 3 numbers, found {len(fields)}", line=data[:200])
    if not all(field.isdigit() for field in fields):
        raise ParseError("schedstat values must be unsigned integers", line=data[:200])
    return SchedStat(int(fields[0]), int(fields[1]), int(fields[2]))


@parser("[pid]/autogroup", read="single", since="2.6.38 (CONFIG_SCHED_AUTOGROUP)")
def parse_autogroup(data: bytes) -> Autogroup | None:
    """Parse ``/proc/[pid]/autogroup``: ``/autogroup-<id> nice <n>``.

    ``None`` for the empty file of a task outside any autogroup (a kernel
    thread).
    """
    if not data:
        return None
    fields = data.split()
    if len(fields) != 3 or fields[1] != b"nice" or not fields[0].startswith(b"/autogroup-"):
        raise ParseError("expected '/autogroup-<id> nice <n>'", line=data[:200])
    number = fields[0][11:]
    if not number.isdigit():
        raise ParseError("the autogroup id is not a number", line=data[:200])
    nice = fields[2]
    if not nice.lstrip(b"-").isdigit():
        raise ParseError("the nice value is not a number", line=data[:200])
    return Autogroup(int(number), int(nice))


def _number(raw: bytes) -> int:
    """An integer, or milliseconds with a fraction (``12.345678``) as nanoseconds."""
    whole, dot, fraction = raw.partition(b".")
    if not dot:
        return int(whole)
    if not fraction.isdigit() or len(fraction) > 6:
        raise ValueError(f"malformed number {raw!r}")
    negative = whole.startswith(b"-")
    millis = int(whole) if whole not in (b"-", b"") else 0
    nanos = int(fraction.ljust(6, b"0"))
    if negative:
        return millis * 1_000_000 - nanos
    return millis * 1_000_000 + nanos


def _header(line: bytes) -> tuple[str, int, int | None]:
    # "comm (pid, #threads: n)"; comm may hold anything, so split at the last " ("
    head, sep, tail = line.rpartition(b" (")
    if not sep or not tail.endswith(b")"):
        raise ParseError("malformed header line (expected 'comm (pid, #threads: n)')", line=line)
    inner = tail[:-1]
    pid, comma, threads = inner.partition(b",")
    if not pid.strip().isdigit():
        raise ParseError("the pid in the header is not a number", line=line)
    count: int | None = None
    if comma:
        label, _, number = threads.partition(b":")
        if label.strip() != b"#threads" or not number.strip().isdigit():
            raise ParseError("malformed '#threads' in the header", line=line)
        count = int(number)
    return decode(head), int(pid), count


# One record (sched_open: single_open): the first short read is all of it.
@parser("[pid]/sched", "[pid]/task/[tid]/sched", read="single", since="2.6 (CONFIG_SCHED_DEBUG)")
def parse_sched(data: bytes) -> Sched:
    """Parse ``/proc/[pid]/sched`` (see the module notes on units)."""
    rows = lines(data)
    if not rows:
        raise ParseError("empty sched file")
    comm, pid, threads = _header(rows[0])
    values: dict[str, int] = {}
    extra: list[str] = []
    for lineno, line in enumerate(rows[1:], 2):
        stripped = line.strip()
        if not stripped or stripped.strip(b"-") == b"":
            continue
        name, colon, value = line.partition(b":")
        name = name.strip()
        value = value.strip()
        if colon and name and b" " not in name and value and b" " not in value:
            try:
                values[decode(name)] = _number(value)
            except ValueError:
                raise ParseError(
                    f"value of {decode(name)} is not a number", line=line, lineno=lineno
                ) from None
        else:
            extra.append(decode(stripped))
    return Sched(comm, pid, threads, values, extra)
