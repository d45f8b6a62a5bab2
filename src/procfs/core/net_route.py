"""Routing tables: ``/proc/net/route`` (IPv4) and ``/proc/net/ipv6_route``.

``net/route`` lists the main IPv4 table (the routes ``ip route show table
main`` shows that have a device) under a tab-separated header::

    Iface   Destination Gateway  Flags RefCnt Use Metric Mask     MTU Window IRTT
    eth0    0000A8C0    00000000 0001  0      0   0      00FFFFFF 0   0      0

Its addresses are 32-bit words in network order printed as host integers
(``%08X``), like the socket tables: on a little-endian machine
``0100A8C0`` is ``192.168.0.1``. The parsers take the byte order of the
machine that wrote the file (this machine's by default).

``net/ipv6_route`` has no header and prints every address as 32 hex digits
in network order, byte after byte (no word swapping), with prefix lengths,
metric, counters and flags in hex::

    fe800000000000000000000000000000 40 00000000000000000000000000000000 00 \\
    00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
"""

from __future__ import annotations

import sys as _sys

from procfs.core._parse import decode, parse_lines, parser
from procfs.core._record import Record
from procfs.core.net import _ip, _little, format_ipv6
from procfs.errors import ParseError

__all__ = [
    "RTF_ADDRCONF",
    "RTF_CACHE",
    "RTF_DEFAULT",
    "RTF_DYNAMIC",
    "RTF_EXPIRES",
    "RTF_GATEWAY",
    "RTF_HOST",
    "RTF_LOCAL",
    "RTF_MODIFIED",
    "RTF_NONEXTHOP",
    "RTF_REJECT",
    "RTF_UP",
    "Ipv6RouteEntry",
    "RouteEntry",
    "parse_ipv6_route",
    "parse_route",
    "parse_route_table",
]

_NATIVE: str = _sys.byteorder

# Route flags (include/uapi/linux/route.h, include/uapi/linux/ipv6_route.h).
#: The route is usable.
RTF_UP = 0x0001
#: The destination is reached through a gateway.
RTF_GATEWAY = 0x0002
#: A host route (the destination is one address).
RTF_HOST = 0x0004
#: Created dynamically by an ICMP redirect.
RTF_DYNAMIC = 0x0010
#: Modified dynamically by an ICMP redirect.
RTF_MODIFIED = 0x0020
#: A route that rejects packets (unreachable, prohibit, blackhole).
RTF_REJECT = 0x0200
#: IPv6: a default route learned from a router advertisement.
RTF_DEFAULT = 0x00010000
#: IPv6: a route made by address autoconfiguration.
RTF_ADDRCONF = 0x00040000
#: IPv6: a route without a next hop.
RTF_NONEXTHOP = 0x00200000
#: IPv6: a route with an expiry time.
RTF_EXPIRES = 0x00400000
#: IPv6: a cached route (an exception such as a learned path MTU).
RTF_CACHE = 0x01000000
#: IPv6: a route to a local address.
RTF_LOCAL = 0x80000000


class RouteEntry(Record):
    """One IPv4 route: a line of ``/proc/net/route``.

    Attributes:
        iface: The interface packets for this route leave by (``Iface``;
            ``*`` for a route without one).
        destination: The destination network or host, dotted quad.
        gateway: The next hop, dotted quad; ``0.0.0.0`` for a directly
            connected destination.
        flags: ``RTF_*`` bits: :data:`RTF_UP`, :data:`RTF_GATEWAY`,
            :data:`RTF_HOST`, :data:`RTF_REJECT`...
        refcnt: References to the route (``RefCnt``; always 0 today).
        use: Lookups of the route (``Use``; always 0 today).
        metric: The route's priority (``Metric``; ``ip route``'s ``metric``).
        mask: The destination's netmask, dotted quad.
        mtu: The MTU for TCP over this route (``MTU``; the route's ``advmss``
            plus 40 when set), 0 when unset.
        window: The TCP window clamp for this route, bytes (0 when unset).
        irtt: The initial round-trip time for TCP over this route,
            milliseconds (0 when unset).
    """

    iface: str
    destination: str
    gateway: str
    flags: int
    refcnt: int
    use: int
    metric: int
    mask: str
    mtu: int
    window: int
    irtt: int

    @property
    def prefix_len(self) -> int:
        """The length of the netmask in bits (``24`` for ``255.255.255.0``)."""
        bits = 0
        for part in self.mask.split("."):
            bits += bin(int(part)).count("1")
        return bits

    @property
    def is_default(self) -> bool:
        """Whether this is a default route (destination and mask ``0.0.0.0``)."""
        return self.destination == "0.0.0.0" and self.mask == "0.0.0.0"


class Ipv6RouteEntry(Record):
    """One IPv6 route: a line of ``/proc/net/ipv6_route``.

    Attributes:
        destination: The destination network (RFC 5952 text).
        destination_prefix_len: Its prefix length in bits.
        source: The source prefix of a source-specific route (``::`` when
            none, or without ``CONFIG_IPV6_SUBTREES``).
        source_prefix_len: Its prefix length in bits (0 when none).
        next_hop: The gateway (``::`` for a route without one).
        metric: The route's priority (``ip -6 route``'s ``metric``).
        refcnt: References to the route.
        use: Lookups of the route (always 0 on recent kernels).
        flags: ``RTF_*`` bits: :data:`RTF_UP`, :data:`RTF_GATEWAY`,
            :data:`RTF_REJECT`, :data:`RTF_ADDRCONF`, :data:`RTF_CACHE`,
            :data:`RTF_LOCAL`...
        iface: The interface, or ``None`` for a route without one.
    """

    destination: str
    destination_prefix_len: int
    source: str
    source_prefix_len: int
    next_hop: str
    metric: int
    refcnt: int
    use: int
    flags: int
    iface: str | None


def parse_route_table(data: bytes, byteorder: str = _NATIVE) -> list[RouteEntry]:
    """The routes of a ``net/route`` file written on a ``byteorder`` host.

    :func:`parse_route` is this function for the running machine.
    """
    little = _little(byteorder)
    header, _, rows = data.partition(b"\n")
    if header.split()[:1] != [b"Iface"]:
        raise ParseError("expected the 'Iface Destination ...' header line", line=header, lineno=1)

    def route(line: bytes) -> RouteEntry:
        fields = line.split()
        if len(fields) != 11:
            raise ParseError(f"expected 11 fields, found {len(fields)}")
        return RouteEntry._make(
            (
                decode(fields[0]),
                _ipv4(fields[1], little),
                _ipv4(fields[2], little),
                int(fields[3], 16),
                int(fields[4]),
                int(fields[5]),
                int(fields[6]),
                _ipv4(fields[7], little),
                int(fields[8]),
                int(fields[9]),
                int(fields[10]),
            )
        )

    return parse_lines(rows, route, "route", first_lineno=2)


def _ipv4(token: bytes, little: bool) -> str:
    if len(token) != 8:
        raise ParseError(f"an IPv4 address has 8 hex digits, not {len(token)}")
    return _ip(token, little)


@parser("net/route", read="table", since="2.6")
def parse_route(data: bytes) -> list[RouteEntry]:
    """The IPv4 routes, from ``/proc/net/route`` (this machine's byte order)."""
    return parse_route_table(data)


def _ipv6(token: bytes) -> str:
    if len(token) != 32:
        raise ParseError(f"an IPv6 address has 32 hex digits, not {len(token)}")
    return format_ipv6(bytes.fromhex(token.decode("ascii")))


@parser("net/ipv6_route", read="table", since="2.6")
def parse_ipv6_route(data: bytes) -> list[Ipv6RouteEntry]:
    """The IPv6 routes, from ``/proc/net/ipv6_route`` (the same on any byte order)."""
    addresses: dict[bytes, str] = {}

    def route(line: bytes) -> Ipv6RouteEntry:
        fields = line.split()
        count = len(fields)
        if count not in (9, 10):
            raise ParseError(f"expected 10 fields, found {count}")
        texts = []
        for token in (fields[0], fields[2], fields[4]):
            text = addresses.get(token)
            if text is None:
                text = addresses[token] = _ipv6(token)
            texts.append(text)
        return Ipv6RouteEntry._make(
            (
                texts[0],
                _prefix(fields[1]),
                texts[1],
                _prefix(fields[3]),
                texts[2],
                int(fields[5], 16),
                int(fields[6], 16),
                int(fields[7], 16),
                int(fields[8], 16),
                decode(fields[9]) if count == 10 else None,
            )
        )

    return parse_lines(data, route, "ipv6_route")


def _prefix(token: bytes) -> int:
    length = int(token, 16)
    if not 0 <= length <= 128:
        raise ParseError("prefix length out of range")
    return length
