"""``/proc/stat``: kernel and system statistics since boot.

::

    cpu  2902 0 1419 89490 133 0 21 8 0 0
    cpu0 544 0 739 45673 7 0 3 1 0 0
    intr 95514 0 0 ...
    ctxt 193401
    btime 1795858626
    processes 5257
    procs_running 1
    procs_blocked 0
    softirq 54765 0 9750 4 1526 7621 0 3 19011 0 16850

CPU times are in clock ticks (USER_HZ, see :func:`procfs.ticks_per_second`,
almost always 100 per second). The number of columns of a ``cpu`` line
grew with the kernel: 4 in 2.4, 7 from 2.6.0 (iowait, irq, softirq), 8
from 2.6.11 (steal), 9 from 2.6.24 (guest), 10 from 2.6.33 (guest_nice);
the columns a kernel lacks are ``None``.

The ``intr`` line has a count per interrupt number (hundreds of them): an
:class:`IrqCounts` read from digits keeps them as text and converts them
when :attr:`IrqCounts.counts` is read (equality and ``to_dict()`` see the
numbers). Likewise a :class:`CpuTime` read from a file in the layout of
Linux 2.6.33 onward keeps its times as digits and converts the one read.
"""

from __future__ import annotations

from procfs.core._parse import MAX_DIGITS, decode, long_number_at, parse_int, parser
from procfs.core._record import Lazy, Record
from procfs.core.boot_time import parse_boot_time
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CpuTime", "IrqCounts", "KernelStats", "parse_boot_time", "parse_kernel_stats"]


class CpuTime(Record):
    """Time one CPU (or all CPUs together) spent in each state, in clock ticks.

    Attributes:
        user: time in user mode (includes ``guest``).
        nice: time in user mode at low priority (nice > 0; includes ``guest_nice``).
        system: time in kernel mode.
        idle: time idle (the idle task).
        iowait: (2.5.41) time idle while I/O was outstanding; not reliable
            (a CPU does not wait for I/O, a task does).
        irq: (2.6.0) time servicing hardware interrupts.
        softirq: (2.6.0) time servicing software interrupts.
        steal: (2.6.11) time stolen by the hypervisor for other guests.
        guest: (2.6.24) time running a virtual CPU of a guest under this kernel.
        guest_nice: (2.6.33) time running a niced guest.
        extra: columns after ``guest_nice``, should a future kernel add some.
    """

    user: int
    nice: int
    system: int
    idle: int
    iowait: int | None = None
    irq: int | None = None
    softirq: int | None = None
    steal: int | None = None
    guest: int | None = None
    guest_nice: int | None = None
    extra: tuple[int, ...] = ()

    # The fast reading keeps the digits of the times; a field converts on access.
    __lazy__ = Lazy(int, extra=None)


def _counts(raw: bytes) -> list[int]:
    """Counts kept as the text of the line (the digits after the total)."""
    return list(map(int, raw.split()))


class IrqCounts(Record):
    """An ``intr`` or ``softirq`` line: a total and one count per interrupt.

    Attributes:
        total: interrupts serviced since boot, of every kind.
        counts: the count of each interrupt, by number (``intr``: hardware
            interrupt lines, then architecture-specific ones; ``softirq``:
            HI, TIMER, NET_TX, NET_RX, BLOCK, IRQ_POLL, TASKLET, SCHED,
            HRTIMER, RCU on current kernels).
    """

    total: int
    counts: list[int]

    # The fast reading keeps a long line of counts as its text, converted on access.
    __lazy__ = Lazy(counts=_counts)


class KernelStats(Record):
    """The content of ``/proc/stat``.

    Attributes:
        total: time of all CPUs together (the ``cpu`` line), in ticks.
        cpus: time of each CPU (``cpuN`` lines), keyed by CPU number; offline
            CPUs are missing, so the keys need not be contiguous.
        ctxt: context switches since boot.
        btime: boot time, in seconds since the Unix epoch.
        processes: processes and threads created since boot (forks and clones).
        procs_running: (2.5.45) tasks runnable now.
        procs_blocked: (2.5.45) tasks blocked waiting for I/O now.
        intr: interrupts since boot (the ``intr`` line).
        softirq: (2.6.31) software interrupts since boot (the ``softirq`` line).
        extra: any other line, by its first word, with the rest of the line as
            text (2.4's ``page``, ``swap``, ``disk_io:``...).
    """

    total: CpuTime
    cpus: dict[int, CpuTime]
    ctxt: int
    btime: int
    processes: int
    procs_running: int | None = None
    procs_blocked: int | None = None
    intr: IrqCounts | None = None
    softirq: IrqCounts | None = None
    extra: dict[str, str] = {}


def _cpu_time(fields: list[bytes], line: bytes, lineno: int) -> CpuTime:
    count = len(fields)
    if count < 5:
        raise ParseError("a cpu line needs at least 4 times", line=line, lineno=lineno)
    try:
        values: list[Any] = list(map(int, fields[1:11]))
        if count > 11:
            values.append(tuple(map(int, fields[11:])))
    except ValueError:
        raise ParseError("a cpu time is not an integer", line=line, lineno=lineno) from None
    if count < 11:
        values += _CPU_PAD[count]
    elif count == 11:
        values.append(())
    return _new_cpu_time(values)


_new_cpu_time = CpuTime._make
# The fields a shorter cpu line (old kernels) lacks, by its number of words.
_CPU_PAD = {count: (None,) * (11 - count) + ((),) for count in range(5, 11)}


_new_irq_counts = IrqCounts._make


def _digit_counts(rest: bytes) -> IrqCounts | None:
    """The counts after ``intr`` or ``softirq``, kept as text if only digits and spaces.

    The ``intr`` line has a count per interrupt number, hundreds of them,
    which few readers look at: they are converted when read. ``None`` for
    anything else, a number of more than MAX_DIGITS digits included (the
    strict reading then judges the line).
    """
    if rest.translate(None, b"0123456789 ") or long_number_at(rest) >= 0:
        return None
    total, _, counts = rest.lstrip(b" ").partition(b" ")
    if not total:
        return None
    return _new_irq_counts((int(total), counts))


def _irq_counts(fields: list[bytes], line: bytes, lineno: int) -> IrqCounts:
    if len(fields) < 2:
        raise ParseError("no total", line=line, lineno=lineno)
    try:
        numbers = [int(field) for field in fields[1:]]
    except ValueError:
        raise ParseError("a count is not an integer", line=line, lineno=lineno) from None
    return IrqCounts(numbers[0], numbers[1:])


def _single(fields: list[bytes], line: bytes, lineno: int) -> int:
    if len(fields) != 2:
        raise ParseError("expected one value", line=line, lineno=lineno)
    try:
        return int(fields[1])
    except ValueError:
        return parse_int(fields[1], decode(fields[0]))  # raises, naming the line


_SINGLE = (b"ctxt", b"btime", b"processes", b"procs_running", b"procs_blocked")
#: The longest ``cpuN`` line the fast reading keeps as digits (times of up to
#: MAX_DIGITS digits), so that every time it keeps converts.
_LONGEST_CPU_LINE = 16 + 10 * (MAX_DIGITS + 1)


@parser("stat", read="single", since="2.6")
def parse_kernel_stats(data: bytes) -> KernelStats:
    """Parse ``/proc/stat`` (see :class:`KernelStats`).

    A file in the layout of Linux 2.6.33 onward is read here: the ``cpu``
    and ``cpuN`` lines with 10 times each (kept as digits, converted when
    read), then the ``intr``, ``ctxt``, ``btime``, ``processes``,
    ``procs_running``, ``procs_blocked`` and ``softirq`` lines, each with its
    digits after one space. Anything else goes to the line-by-line reading,
    which names the line at fault.
    """
    lines = data.split(b"\n")
    if lines.pop() or len(lines) < 8:
        return _parse_strict(data)
    intr, ctxt, btime, processes, running, blocked, softirq = lines[-7:]
    if not (
        intr.startswith(b"intr ")
        and ctxt.startswith(b"ctxt ")
        and btime.startswith(b"btime ")
        and processes.startswith(b"processes ")
        and running.startswith(b"procs_running ")
        and blocked.startswith(b"procs_blocked ")
        and softirq.startswith(b"softirq ")
    ):
        return _parse_strict(data)
    total = None
    cpus: dict[int, CpuTime] = {}
    for line in lines[:-7]:
        times: list[Any] = line.split()
        name = times[0] if times else b""
        del times[:1]
        if (
            len(times) != 10
            or not name.startswith(b"cpu")
            or not b"".join(times).isdigit()
            or len(line) > _LONGEST_CPU_LINE
        ):
            return _parse_strict(data)
        times.append(())
        if name == b"cpu":
            total = _new_cpu_time(times)
        elif name[3:].isdigit():
            cpus[int(name[3:])] = _new_cpu_time(times)
        else:
            return _parse_strict(data)
    intr_counts = _digit_counts(intr[5:])
    softirq_counts = _digit_counts(softirq[8:])
    if total is None or intr_counts is None or softirq_counts is None:
        return _parse_strict(data)
    try:
        return _new_kernel_stats(
            (
                total,
                cpus,
                int(ctxt[5:]),
                int(btime[6:]),
                int(processes[10:]),
                int(running[14:]),
                int(blocked[14:]),
                intr_counts,
                softirq_counts,
                {},
            )
        )
    except ValueError:
        return _parse_strict(data)


def _parse_strict(data: bytes) -> KernelStats:
    """The line-by-line reading of any layout (names the line at fault)."""
    total: CpuTime | None = None
    cpus: dict[int, CpuTime] = {}
    single: dict[bytes, int] = {}
    intr: IrqCounts | None = None
    softirq: IrqCounts | None = None
    extra: dict[str, str] = {}
    for lineno, line in enumerate(data.split(b"\n"), 1):
        if line[:5] == b"intr ":
            found = _digit_counts(line[5:])
            if found is not None:
                intr = found
                continue
        elif line[:8] == b"softirq ":
            found = _digit_counts(line[8:])
            if found is not None:
                softirq = found
                continue
        fields = line.split()
        if not fields:
            continue
        name = fields[0]
        if name[:3] == b"cpu":
            if name == b"cpu":
                total = _cpu_time(fields, line, lineno)
            elif name[3:].isdigit():
                cpus[int(name[3:])] = _cpu_time(fields, line, lineno)
            else:
                raise ParseError("unknown cpu line", line=line, lineno=lineno)
        elif name in _SINGLE:
            single[name] = _single(fields, line, lineno)
        elif name == b"intr":
            intr = _irq_counts(fields, line, lineno)
        elif name == b"softirq":
            softirq = _irq_counts(fields, line, lineno)
        else:
            extra[decode(name)] = decode(line.strip()[len(name) :].strip())
    if total is None:
        raise ParseError("no 'cpu' line")
    try:
        ctxt, btime, processes = single[b"ctxt"], single[b"btime"], single[b"processes"]
    except KeyError as exc:
        raise ParseError(f"no {exc.args[0].decode()!r} line") from None
    return _new_kernel_stats(
        (
            total,
            cpus,
            ctxt,
            btime,
            processes,
            single.get(b"procs_running"),
            single.get(b"procs_blocked"),
            intr,
            softirq,
            extra,
        )
    )


_new_kernel_stats = KernelStats._make
