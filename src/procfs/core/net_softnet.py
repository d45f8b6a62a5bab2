"""``/proc/net/softnet_stat``: the network receive queues' counters, one line per CPU.

Each line is a row of 8-digit hexadecimal numbers (how many depends on the
kernel)::

    0000cc2e 00000000 00000001 00000000 00000000 00000000 00000000 00000000 00000000 ...

The columns are, in order: packets processed, packets dropped, times the
receive loop ran out of budget, five retired zeros (fastroute), collisions
(always 0 since 2.6.x), packets received by RPS, times the flow limit was
hit (3.11), the backlog length (5.10), the CPU's number (5.10), and the input
and process queue lengths (6.9). The kernel prints only online CPUs, so the
line number is the CPU's number only when the column is absent.
"""

from __future__ import annotations

from procfs.core._parse import parse_int, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["SoftnetStat", "parse_softnet_stat"]


class SoftnetStat(Record):
    """One CPU's line of ``/proc/net/softnet_stat`` (counts since boot).

    Attributes:
        cpu: the CPU's number (the line's index before Linux 5.10).
        processed: packets taken off this CPU's receive backlog.
        dropped: packets dropped because the backlog was full.
        time_squeezed: times the receive softirq stopped with work left
            (its packet or time budget ran out).
        cpu_collision: transmit-lock collisions; always 0 on current kernels.
        received_rps: times this CPU was woken by another to process packets
            (receive packet steering).
        flow_limit_count: times the flow limit dropped a packet (Linux 3.11;
            ``None`` before).
        backlog_len: packets in the backlog queues now (Linux 5.10).
        input_queue_len: packets in the input queue now (Linux 6.9).
        process_queue_len: packets in the process queue now (Linux 6.9).
    """

    cpu: int
    processed: int
    dropped: int
    time_squeezed: int
    cpu_collision: int | None = None
    received_rps: int | None = None
    flow_limit_count: int | None = None
    backlog_len: int | None = None
    input_queue_len: int | None = None
    process_queue_len: int | None = None


_make = SoftnetStat._make
# Positions of the record's fields after the first three (the columns 8..10,
# 11, 13, 14); column 12 is the CPU's number.
_LATER = (8, 9, 10, 11, 13, 14)


@parser("net/softnet_stat", read="table", since="2.6")
def parse_softnet_stat(data: bytes) -> list[SoftnetStat]:
    """Parse ``/proc/net/softnet_stat`` (see :class:`SoftnetStat`)."""
    out: list[SoftnetStat] = []
    for lineno, line in enumerate(data.split(b"\n"), 1):
        words = line.split()
        if not words:
            continue
        if len(words) < 3:
            raise ParseError("expected at least 3 columns", line=line, lineno=lineno)
        numbers = [parse_int(word, "counter", 16) for word in words]
        count = len(numbers)
        cpu = numbers[12] if count > 12 else len(out)
        values: list[int | None] = [cpu, numbers[0], numbers[1], numbers[2]]
        values.extend(numbers[index] if index < count else None for index in _LATER)
        out.append(_make(values))
    return out
