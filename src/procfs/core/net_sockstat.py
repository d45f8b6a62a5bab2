"""Socket counts: ``/proc/net/sockstat`` (IPv4) and ``/proc/net/sockstat6`` (IPv6).

::

    sockets: used 1602
    TCP: inuse 35 orphan 0 tw 4 alloc 59 mem 22
    UDP: inuse 12 mem 62
    UDPLITE: inuse 0
    RAW: inuse 0
    FRAG: inuse 0 memory 0

``sockstat6`` has the same lines for ``TCP6``, ``UDP6``, ``UDPLITE6``,
``RAW6`` and ``FRAG6``, and no ``sockets:`` line; one record type serves
both, with the ``6`` dropped from the protocol names. Each line is a
protocol name and ``key value`` pairs; keys this module does not know are
kept, as are protocol lines it does not know.

The counts are those of the reading process's network namespace, except
``orphan``, ``alloc`` and ``mem``, which count the whole system (older
kernels also counted ``sockets: used`` and ``tw`` system-wide).
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["SockStat", "SockStatProtocol", "parse_sockstat", "parse_sockstat6"]


class SockStatProtocol(Record):
    """The counts of one protocol: a line of ``sockstat`` or ``sockstat6``.

    Attributes:
        inuse: Sockets of the protocol in use (TCP: not counting TIME_WAIT).
        orphan: TCP only: sockets no longer attached to a process, closing.
        tw: TCP only: sockets in TIME_WAIT.
        alloc: TCP only: sockets allocated (all states, orphans included).
        mem: TCP and UDP: memory used by the protocol's buffers, in PAGES
            (of the machine that wrote the file; this is the number that the
            ``net.ipv4.tcp_mem`` / ``udp_mem`` limits are compared with).
        memory: FRAG only: memory used by IP fragments waiting to be
            reassembled, bytes.
        extra: Any other ``key value`` pair on the line, by key.
    """

    inuse: int | None = None
    orphan: int | None = None
    tw: int | None = None
    alloc: int | None = None
    mem: int | None = None
    memory: int | None = None
    extra: dict[str, int] = {}


class SockStat(Record):
    """Socket counts by protocol, from ``sockstat`` or ``sockstat6``.

    Attributes:
        sockets_used: Sockets in use of every kind (the ``sockets: used``
            line of ``sockstat``); ``None`` for ``sockstat6``.
        tcp: ``TCP`` (``TCP6``) counts.
        udp: ``UDP`` (``UDP6``) counts.
        udplite: ``UDPLITE`` (``UDPLITE6``) counts; ``None`` before Linux
            2.6.20.
        raw: ``RAW`` (``RAW6``) counts.
        frag: ``FRAG`` (``FRAG6``) counts: reassembly queues and their memory.
        extra: Any other protocol line, by its name as printed
            (``MPTCP``...).
    """

    sockets_used: int | None
    tcp: SockStatProtocol | None
    udp: SockStatProtocol | None
    udplite: SockStatProtocol | None
    raw: SockStatProtocol | None
    frag: SockStatProtocol | None
    extra: dict[str, SockStatProtocol] = {}


_KEYS = {name.encode(): index for index, name in enumerate(SockStatProtocol._fields[:-1])}
_PROTOCOLS = {b"TCP": 1, b"UDP": 2, b"UDPLITE": 3, b"RAW": 4, b"FRAG": 5}


def _parse(data: bytes, suffix: bytes) -> SockStat:
    values: list[object] = [None] * 6
    extra: dict[str, SockStatProtocol] = {}
    seen = 0
    for lineno, line in enumerate(data.split(b"\n"), 1):
        name, colon, rest = line.partition(b":")
        if not colon:
            if line.strip():
                raise ParseError("expected 'PROTOCOL: key value ...'", line=line, lineno=lineno)
            continue
        name = name.strip()
        pairs = rest.split()
        if not name or len(pairs) % 2:
            raise ParseError("expected 'PROTOCOL: key value ...'", line=line, lineno=lineno)
        counts: dict[bytes, int] = {}
        try:
            for index in range(0, len(pairs), 2):
                counts[pairs[index]] = int(pairs[index + 1])
        except ValueError:
            raise ParseError("a count is not an integer", line=line, lineno=lineno) from None
        seen += 1
        if name == b"sockets":
            used = counts.pop(b"used", None)
            if used is None or counts:
                raise ParseError("expected 'sockets: used N'", line=line, lineno=lineno)
            values[0] = used
            continue
        fields: list[object] = [None] * 6
        others: dict[str, int] = {}
        for key, number in counts.items():
            position = _KEYS.get(key)
            if position is None:
                others[decode(key)] = number
            else:
                fields[position] = number
        fields.append(others)
        protocol = SockStatProtocol._make(fields)
        base = name[: -len(suffix)] if suffix and name.endswith(suffix) else name
        slot = _PROTOCOLS.get(base) if base != name or not suffix else None
        if slot is None:
            extra[decode(name)] = protocol
        else:
            values[slot] = protocol
    if not seen:
        raise ParseError("no counts")
    values.append(extra)
    return SockStat._make(values)


@parser("net/sockstat", read="single", since="2.6")
def parse_sockstat(data: bytes) -> SockStat:
    """The IPv4 socket counts, from ``/proc/net/sockstat``."""
    return _parse(data, b"")


@parser("net/sockstat6", read="single", since="2.6")
def parse_sockstat6(data: bytes) -> SockStat:
    """The IPv6 socket counts, from ``/proc/net/sockstat6`` (``TCP6`` is :attr:`SockStat.tcp`)."""
    return _parse(data, b"6")
