"""``/proc/pressure/{cpu,memory,io,irq}``: pressure stall information (PSI).

Each file has up to two lines, one per kind of stall::

    some avg10=0.00 avg60=0.00 avg300=0.00 total=0
    full avg10=0.00 avg60=0.00 avg300=0.00 total=0

``some`` is the share of time in which at least one task was stalled on the
resource, ``full`` the share in which every non-idle task was stalled at
once. Which lines a file has depends on the resource and the kernel:

* ``memory`` and ``io`` have both (since 4.20, CONFIG_PSI);
* ``cpu`` has only ``some`` from 4.20 to 5.12 and both since 5.13 (the
  system-wide ``full`` line of ``cpu`` is always zero);
* ``irq`` (6.1, CONFIG_IRQ_TIME_ACCOUNTING) has only ``full``.

A line the file lacks is ``None``. cgroup v2 ``cpu.pressure``,
``memory.pressure``, ``io.pressure`` and ``irq.pressure`` files have the
same format; :func:`parse_pressure` reads them too (see
:func:`procfs.system.cgroup_pressure`).
"""

from __future__ import annotations

from procfs.core._parse import decode, parse_decimal, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Pressure", "PressureRecord", "parse_pressure"]


class PressureRecord(Record):
    """One line (``some`` or ``full``) of a pressure file.

    Attributes:
        avg10: share of wall-clock time, in percent (0 to 100), during which
            tasks were stalled, averaged over the last 10 seconds.
        avg60: the same over the last 60 seconds.
        avg300: the same over the last 300 seconds.
        total: total time tasks were stalled since boot (or since the cgroup
            was created), in MICROSECONDS; it only grows.
        extra: any other ``key=value`` pair of the line, as text (none on
            current kernels).
    """

    avg10: float
    avg60: float
    avg300: float
    total: int
    extra: dict[str, str] = {}


class Pressure(Record):
    """The content of one pressure file; a line the file lacks is ``None``.

    Attributes:
        some: time in which at least one task was stalled (``None`` in
            ``pressure/irq``).
        full: time in which all non-idle tasks were stalled at once (``None``
            in ``pressure/cpu`` before 5.13).
    """

    some: PressureRecord | None = None
    full: PressureRecord | None = None


_NEEDED = (b"avg10", b"avg60", b"avg300", b"total")


def _record(fields: list[bytes], line: bytes, lineno: int) -> PressureRecord:
    values: dict[bytes, bytes] = {}
    for field in fields:
        key, equals, value = field.partition(b"=")
        if not equals or not key:
            raise ParseError("expected key=value", line=line, lineno=lineno)
        if key in values:
            raise ParseError(f"{decode(key)} given twice", line=line, lineno=lineno)
        values[key] = value
    for key in _NEEDED:
        if key not in values:
            raise ParseError(f"no {key.decode()}", line=line, lineno=lineno)
    total = values.pop(b"total")
    if not total.isdigit():
        raise ParseError("total is not an integer", line=line, lineno=lineno)
    return PressureRecord(
        parse_decimal(values.pop(b"avg10"), "average", line, lineno),
        parse_decimal(values.pop(b"avg60"), "average", line, lineno),
        parse_decimal(values.pop(b"avg300"), "average", line, lineno),
        int(total),
        {decode(key): decode(value) for key, value in values.items()},
    )


@parser(
    "pressure/cpu",
    "pressure/memory",
    "pressure/io",
    "pressure/irq",
    read="single",
    since="4.20 (CONFIG_PSI; cpu full 5.13, irq 6.1)",
)
def parse_pressure(data: bytes) -> Pressure:
    """Parse a PSI file: ``/proc/pressure/*`` or a cgroup v2 ``*.pressure`` file."""
    some: PressureRecord | None = None
    full: PressureRecord | None = None
    for lineno, line in enumerate(data.split(b"\n"), 1):
        fields = line.split()
        if not fields:
            continue
        kind = fields[0]
        if kind == b"some":
            if some is not None:
                raise ParseError("second 'some' line", line=line, lineno=lineno)
            some = _record(fields[1:], line, lineno)
        elif kind == b"full":
            if full is not None:
                raise ParseError("second 'full' line", line=line, lineno=lineno)
            full = _record(fields[1:], line, lineno)
        else:
            raise ParseError("line is neither 'some' nor 'full'", line=line, lineno=lineno)
    if some is None and full is None:
        raise ParseError("no 'some' or 'full' line")
    return Pressure(some, full)
