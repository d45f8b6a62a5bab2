"""``/proc/interrupts`` and ``/proc/softirqs``: interrupt counts per CPU.

Both files are tables whose header names a column per CPU by number
(``CPU0 CPU1 CPU3``: a missing number is a CPU not shown), followed by one
row per interrupt, ``NAME: count count ...``. Counts are read into dicts
keyed by the CPU NUMBER from the header, so offline CPUs keep their ids.

``/proc/interrupts`` (kernel/irq/proc.c and arch code) shows the online
CPUs. A numbered row (a hardware interrupt line) continues after its counts
with the interrupt chip, the hardware irq number and trigger type, and the
names of the devices using it; architecture rows (``NMI``, ``LOC``,
``RES``, ``IPI0``...) with a description. That text is kept as printed in
:attr:`Interrupt.description`. A few rows hold one system-wide count
instead of one per CPU (x86 ``ERR`` and ``MIS``, arm ``Err``)::

               CPU0       CPU1
     24:          1          0  IO-APIC   5-edge      ACPI:Ged
    LOC:      79224     101251   Local timer interrupts
    ERR:          0

``/proc/softirqs`` (2.6.31) shows every possible CPU::

                        CPU0       CPU1
              HI:          0          0
           TIMER:      21534      24800
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Interrupt", "Interrupts", "SoftIrqs", "parse_interrupts", "parse_softirqs"]


class Interrupt(Record):
    """One row of ``/proc/interrupts``.

    Attributes:
        name: the row's name without the colon: the irq number (``"24"``)
            or an architecture-specific name (``"LOC"``, ``"NMI"``, ``"IPI0"``).
        per_cpu: interrupts handled since boot by each CPU, keyed by CPU
            number; empty for a row that has one system-wide count (``ERR``).
        total: interrupts since boot: the sum of ``per_cpu``, or the
            system-wide count.
        description: the text after the counts, as printed: for an irq
            line the chip, hardware irq and trigger type and the device
            names (``"IO-APIC   5-edge      ACPI:Ged"``); for the others a
            description (``"Local timer interrupts"``); may be empty.
    """

    name: str
    per_cpu: dict[int, int]
    total: int
    description: str

    @property
    def irq(self) -> int | None:
        """The interrupt number for a numbered row, else ``None``."""
        return int(self.name) if self.name.isdigit() else None


class Interrupts(Record):
    """The content of ``/proc/interrupts``.

    Attributes:
        cpus: the CPU numbers of the header, in order (the online CPUs).
        entries: every row, by name, in the file's order.
    """

    cpus: tuple[int, ...]
    entries: dict[str, Interrupt]

    def get(self, name: str) -> Interrupt | None:
        """The row called ``name`` (``"LOC"``, ``"24"``), if there is one."""
        return self.entries.get(name)


class SoftIrqs(Record):
    """The content of ``/proc/softirqs``: softirqs run since boot, per CPU.

    Every count is a dict keyed by CPU number; a softirq the kernel does not
    list is ``None``.

    Attributes:
        cpus: the CPU numbers of the header (every possible CPU).
        hi: ``HI``: high-priority tasklets.
        timer: ``TIMER``: timer wheel expiry.
        net_tx: ``NET_TX``: network transmit completion.
        net_rx: ``NET_RX``: network receive processing.
        block: ``BLOCK``: block-device request completion.
        irq_poll: ``IRQ_POLL`` (4.5; ``BLOCK_IOPOLL`` from 2.6.32 to 4.4):
            interrupt polling for block devices.
        tasklet: ``TASKLET``: normal-priority tasklets.
        sched: ``SCHED``: scheduler load balancing.
        hrtimer: ``HRTIMER``: high-resolution timers (unused since 4.2, kept at 0).
        rcu: ``RCU`` (2.6.32): RCU callback processing.
        extra: any other row, by name.
    """

    cpus: tuple[int, ...]
    hi: dict[int, int] | None = None
    timer: dict[int, int] | None = None
    net_tx: dict[int, int] | None = None
    net_rx: dict[int, int] | None = None
    block: dict[int, int] | None = None
    irq_poll: dict[int, int] | None = None
    tasklet: dict[int, int] | None = None
    sched: dict[int, int] | None = None
    hrtimer: dict[int, int] | None = None
    rcu: dict[int, int] | None = None
    extra: dict[str, dict[int, int]] = {}

    def totals(self) -> dict[str, int]:
        """The count of each softirq over all CPUs, by kernel name (``"TIMER"``)."""
        out = {}
        for name, field in _SOFTIRQ_NAMES.items():
            if name == b"BLOCK_IOPOLL":
                continue
            counts = getattr(self, field)
            if counts is not None:
                out[name.decode()] = sum(counts.values())
        for extra_name, counts in self.extra.items():
            out[extra_name] = sum(counts.values())
        return out


_SOFTIRQ_NAMES = {
    b"HI": "hi",
    b"TIMER": "timer",
    b"NET_TX": "net_tx",
    b"NET_RX": "net_rx",
    b"BLOCK": "block",
    b"IRQ_POLL": "irq_poll",
    b"BLOCK_IOPOLL": "irq_poll",
    b"TASKLET": "tasklet",
    b"SCHED": "sched",
    b"HRTIMER": "hrtimer",
    b"RCU": "rcu",
}
_SOFTIRQ_INDEX = {name: SoftIrqs._fields.index(field) for name, field in _SOFTIRQ_NAMES.items()}


# Rows that hold one system-wide count, even on a machine with one CPU.
_SYSTEM_WIDE = frozenset(("ERR", "MIS", "Err"))


def cpu_header(line: bytes, lineno: int = 1) -> tuple[int, ...]:
    """The CPU numbers of a per-CPU table header (``CPU0 CPU1 CPU3``).

    Shared by ``interrupts`` and ``softirqs``.
    """
    cpus = []
    for token in line.split():
        if token[:3] != b"CPU" or not token[3:].isdigit():
            raise ParseError("expected a 'CPUn' column header", line=line, lineno=lineno)
        cpus.append(int(token[3:]))
    if not cpus:
        raise ParseError("no CPU column header", line=line, lineno=lineno)
    if len(set(cpus)) != len(cpus):
        raise ParseError("a CPU is listed twice", line=line, lineno=lineno)
    return tuple(cpus)


def counts_row(line: bytes, ncpus: int, lineno: int) -> tuple[str, list[int], bytes]:
    """Split a per-CPU table row into its name, its leading counts and the rest.

    At most ``ncpus`` leading numbers are counts; the rest of the line (from
    the first token that is not one) comes back as it is, without the
    surrounding blanks.
    """
    name, colon, remainder = line.partition(b":")
    name = name.strip()
    if not colon or not name or b" " in name or b"\t" in name:
        raise ParseError("expected 'NAME: counts'", line=line, lineno=lineno)
    tokens = remainder.split()
    taken = 0
    while taken < ncpus and taken < len(tokens) and tokens[taken].isdigit():
        taken += 1
    rest = remainder.split(None, taken)[taken].strip() if len(tokens) > taken else b""
    return decode(name), [int(token) for token in tokens[:taken]], rest


def _start(data: bytes) -> tuple[list[bytes], int]:
    """The file's lines and the index of its header (the first non-blank line)."""
    rows = data.split(b"\n")
    for index, row in enumerate(rows):
        if row.strip():
            return rows, index
    raise ParseError("no CPU column header")


@parser("interrupts", since="2.6")
def parse_interrupts(data: bytes) -> Interrupts:
    """Parse ``/proc/interrupts`` (see :class:`Interrupts`).

    A row with as many counts as the header has CPUs is per-CPU; a row with
    fewer (``ERR: 0``) is a system-wide count, as is a row with one count
    when a CPU came online or went offline while the file was read.
    """
    rows, start = _start(data)
    cpus = cpu_header(rows[start], start + 1)
    ncpus = len(cpus)
    entries: dict[str, Interrupt] = {}
    for lineno in range(start + 2, len(rows) + 1):
        line = rows[lineno - 1]
        if not line.strip():
            continue
        name, counts, rest = counts_row(line, ncpus, lineno)
        if not counts:
            raise ParseError("no count", line=line, lineno=lineno)
        if name in entries:
            raise ParseError(f"{name} listed twice", line=line, lineno=lineno)
        if len(counts) == ncpus and name not in _SYSTEM_WIDE:
            per_cpu = dict(zip(cpus, counts, strict=True))
        else:
            per_cpu = {}
        entries[name] = Interrupt(name, per_cpu, sum(counts), decode(rest))
    return Interrupts(cpus, entries)


@parser("softirqs", since="2.6.31")
def parse_softirqs(data: bytes) -> SoftIrqs:
    """Parse ``/proc/softirqs`` (see :class:`SoftIrqs`)."""
    rows, start = _start(data)
    cpus = cpu_header(rows[start], start + 1)
    ncpus = len(cpus)
    values: list[object] = [cpus] + [None] * (len(SoftIrqs._fields) - 2)
    extra: dict[str, dict[int, int]] = {}
    seen: set[str] = set()
    for lineno in range(start + 2, len(rows) + 1):
        line = rows[lineno - 1]
        if not line.strip():
            continue
        name, counts, rest = counts_row(line, ncpus, lineno)
        if len(counts) != ncpus or rest:
            raise ParseError(f"expected {ncpus} counts", line=line, lineno=lineno)
        if name in seen:
            raise ParseError(f"{name} listed twice", line=line, lineno=lineno)
        seen.add(name)
        per_cpu = dict(zip(cpus, counts, strict=True))
        index = _SOFTIRQ_INDEX.get(name.encode("utf-8", "surrogateescape"))
        if index is None:
            extra[name] = per_cpu
        else:
            if values[index] is not None:
                raise ParseError(f"{name} listed twice", line=line, lineno=lineno)
            values[index] = per_cpu
    values.append(extra)
    return SoftIrqs._make(values)
