"""``/proc/schedstat``: scheduler statistics per CPU and per scheduling domain.

Present with CONFIG_SCHEDSTATS (kernel/sched/stats.c; format in the
kernel's Documentation/scheduler/sched-stats.rst)::

    version 17
    timestamp 4295347364
    cpu0 0 0 1862315 681425 1003516 624357 111395419052 18616404547 1180731
    domain0 SMT 00000000,00000003 1474 1465 3 0 ... 0
    cpu1 ...

``timestamp`` is in jiffies. Each ``cpuN`` line (one per online CPU) is
followed by one ``domainN`` line per scheduling domain the CPU belongs to,
from the innermost (SMT siblings) outwards. Formats 15, 16 and 17 are
read; others raise :class:`~procfs.errors.ParseError` (the meaning of the
columns changes with the version):

* 15 (kernels until 2024): domain lines have the CPU mask and 36 counters; the
  three groups of load-balancing counters are for an idle CPU, a busy CPU
  and a newly idle CPU, in that order.
* 16 (2024): the same counters, the first two groups swapped (busy first).
* 17 (2025): the domain name before the mask; ``lb_imbalance`` replaced by
  four counters (load, utilisation, tasks, misfit), 45 counters in all.

The per-process ``/proc/[pid]/schedstat`` is another file (another module).
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "KernelSchedstat",
    "LoadBalanceStats",
    "SchedCpu",
    "SchedDomain",
    "parse_kernel_schedstat",
]


class LoadBalanceStats(Record):
    """Load-balancing counters of a domain for one state of the balancing CPU.

    A field the file's version does not have is ``None``.

    Attributes:
        lb_count: times load balancing (``sched_balance_rq``, formerly
            ``load_balance``) ran in this domain.
        lb_balanced: times it found the load already balanced.
        lb_failed: times it tried to move tasks and failed.
        lb_imbalance: (15, 16) sum of the imbalances found.
        lb_imbalance_load: (17) sum of the load imbalances found.
        lb_imbalance_util: (17) sum of the utilisation imbalances found.
        lb_imbalance_task: (17) sum of the imbalances in number of tasks.
        lb_imbalance_misfit: (17) sum of the imbalances due to misfit tasks.
        lb_gained: tasks pulled to this CPU.
        lb_hot_gained: of those, tasks pulled although cache-hot.
        lb_nobusyq: times no busier run queue was found.
        lb_nobusyg: times a busier queue was found but no busier group.
    """

    lb_count: int
    lb_balanced: int
    lb_failed: int
    lb_imbalance: int | None
    lb_imbalance_load: int | None
    lb_imbalance_util: int | None
    lb_imbalance_task: int | None
    lb_imbalance_misfit: int | None
    lb_gained: int
    lb_hot_gained: int
    lb_nobusyq: int
    lb_nobusyg: int


class SchedDomain(Record):
    """A ``domainN`` line: a scheduling domain of the CPU whose line precedes it.

    Attributes:
        level: ``N`` of ``domainN``: 0 is the innermost domain.
        name: (17) the domain's name (``SMT``, ``MC``, ``PKG``, ``NUMA``...).
        cpumask: the CPUs the domain spans, as printed: a hex bitmap in
            comma-separated 32-bit groups (see :attr:`cpus`).
        busy: load balancing done while the CPU was busy.
        idle: load balancing done while the CPU was idle.
        newly_idle: load balancing done as the CPU was becoming idle.
        alb_count: times active load balancing was called.
        alb_failed: times it tried to move a task and failed.
        alb_pushed: times it moved a task.
        sbe_count: exec balancing (unused, 0).
        sbe_balanced: exec balancing (unused, 0).
        sbe_pushed: exec balancing (unused, 0).
        sbf_count: fork balancing (unused, 0).
        sbf_balanced: fork balancing (unused, 0).
        sbf_pushed: fork balancing (unused, 0).
        ttwu_wake_remote: wake-ups of a task that last ran on another CPU of
            this domain.
        ttwu_move_affine: wake-ups that moved a cache-cold task to the waking CPU.
        ttwu_move_balance: wake-ups that started passive balancing.
    """

    level: int
    name: str | None
    cpumask: str
    busy: LoadBalanceStats
    idle: LoadBalanceStats
    newly_idle: LoadBalanceStats
    alb_count: int
    alb_failed: int
    alb_pushed: int
    sbe_count: int
    sbe_balanced: int
    sbe_pushed: int
    sbf_count: int
    sbf_balanced: int
    sbf_pushed: int
    ttwu_wake_remote: int
    ttwu_move_affine: int
    ttwu_move_balance: int

    @property
    def cpus(self) -> list[int]:
        """The CPU numbers in :attr:`cpumask`, ascending."""
        mask = int(self.cpumask.replace(",", ""), 16)
        return [cpu for cpu in range(mask.bit_length()) if mask >> cpu & 1]


class SchedCpu(Record):
    """A ``cpuN`` line and the domain lines after it.

    Attributes:
        cpu: the CPU number.
        yld_count: times sched_yield() was called.
        array_exp: legacy O(1)-scheduler counter, always 0.
        sched_count: times schedule() was called.
        sched_goidle: times schedule() left the CPU idle.
        ttwu_count: times try_to_wake_up() was called on this CPU.
        ttwu_local: of those, wake-ups of a task on this same CPU.
        rq_cpu_time: time tasks spent running on this CPU, in NANOSECONDS.
        run_delay: time tasks spent waiting to run on this CPU, in NANOSECONDS.
        pcount: timeslices run on this CPU.
        domains: the CPU's scheduling domains, innermost first (none
            without CONFIG_SMP).
    """

    cpu: int
    yld_count: int
    array_exp: int
    sched_count: int
    sched_goidle: int
    ttwu_count: int
    ttwu_local: int
    rq_cpu_time: int
    run_delay: int
    pcount: int
    domains: tuple[SchedDomain, ...] = ()


class KernelSchedstat(Record):
    """The content of ``/proc/schedstat``.

    Attributes:
        version: the format version (15, 16 or 17).
        timestamp: when the file was produced, in jiffies since boot (plus
            the kernel's initial offset).
        cpus: the online CPUs, by CPU number.
        extra: any other line, by its first word, with the rest as text.
    """

    version: int
    timestamp: int
    cpus: dict[int, SchedCpu]
    extra: dict[str, str] = {}


_SUPPORTED = (15, 16, 17)


def _numbers(tokens: list[bytes], line: bytes, lineno: int) -> list[int]:
    for token in tokens:
        if not token.isdigit():
            raise ParseError("a counter is not a number", line=line, lineno=lineno)
    return [int(token) for token in tokens]


def _domain(version: int, fields: list[bytes], line: bytes, lineno: int) -> SchedDomain:
    level_text = fields[0][6:]
    if not level_text.isdigit():
        raise ParseError("expected 'domainN'", line=line, lineno=lineno)
    named = version >= 17
    head = 3 if named else 2
    per_type = 11 if named else 8
    expected = head + 3 * per_type + 12
    if len(fields) != expected:
        raise ParseError(
            f"version {version} domain line: expected {expected} fields, found {len(fields)}",
            line=line,
            lineno=lineno,
        )
    name = decode(fields[1]) if named else None
    cpumask = fields[head - 1]
    try:
        int(cpumask.replace(b",", b""), 16)
    except ValueError:
        raise ParseError("CPU mask is not hexadecimal", line=line, lineno=lineno) from None
    numbers = _numbers(fields[head:], line, lineno)
    groups = []
    for start in range(0, 3 * per_type, per_type):
        group: list[Any] = numbers[start : start + per_type]
        if named:
            group[3:3] = [None]
        else:
            group[4:4] = [None, None, None, None]
        groups.append(LoadBalanceStats._make(group))
    if version == 15:
        idle, busy, newly_idle = groups
    else:
        busy, idle, newly_idle = groups
    values: list[Any] = [int(level_text), name, decode(cpumask), busy, idle, newly_idle]
    values += numbers[3 * per_type :]
    return SchedDomain._make(values)


@parser("schedstat", since="2.6 (formats 15-17; CONFIG_SCHEDSTATS)")
def parse_kernel_schedstat(data: bytes) -> KernelSchedstat:
    """Parse the system-wide ``/proc/schedstat`` (versions 15 to 17)."""
    version: int | None = None
    timestamp: int | None = None
    cpus: dict[int, SchedCpu] = {}
    extra: dict[str, str] = {}
    current: list[Any] | None = None
    domains: list[SchedDomain] = []

    def finish() -> None:
        if current is not None:
            record = SchedCpu._make([*current, tuple(domains)])
            if record.cpu in cpus:
                raise ParseError(f"cpu{record.cpu} listed twice")
            cpus[record.cpu] = record

    for lineno, line in enumerate(data.split(b"\n"), 1):
        fields = line.split()
        if not fields:
            continue
        word = fields[0]
        if version is None:
            if word != b"version" or len(fields) != 2 or not fields[1].isdigit():
                raise ParseError("expected 'version N' first", line=line, lineno=lineno)
            version = int(fields[1])
            if version not in _SUPPORTED:
                raise ParseError(
                    f"unsupported schedstat version {version}", line=line, lineno=lineno
                )
        elif word == b"timestamp":
            if len(fields) != 2 or not fields[1].isdigit() or timestamp is not None:
                raise ParseError("expected one 'timestamp N' line", line=line, lineno=lineno)
            timestamp = int(fields[1])
        elif word[:3] == b"cpu" and word[3:].isdigit():
            if len(fields) != 10:
                raise ParseError(
                    f"cpu line: expected 10 fields, found {len(fields)}", line=line, lineno=lineno
                )
            finish()
            current = [int(word[3:]), *_numbers(fields[1:], line, lineno)]
            domains = []
        elif word[:6] == b"domain":
            if current is None:
                raise ParseError("domain line before any cpu line", line=line, lineno=lineno)
            domains.append(_domain(version, fields, line, lineno))
        else:
            extra[decode(word)] = decode(line.strip()[len(word) :].strip())
    finish()
    if version is None:
        raise ParseError("no 'version' line")
    if timestamp is None:
        raise ParseError("no 'timestamp' line")
    return KernelSchedstat(version, timestamp, cpus, extra)
