"""``/proc/net/route`` and ``/proc/net/ipv6_route``, against samples and ``ip route``."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

import procfs
import procfs.net
from procfs.core import PARSERS
from procfs.core.net_route import (
    RTF_GATEWAY,
    RTF_HOST,
    RTF_LOCAL,
    RTF_NONEXTHOP,
    RTF_REJECT,
    RTF_UP,
    Ipv6RouteEntry,
    RouteEntry,
    parse_ipv6_route,
    parse_route,
    parse_route_table,
)
from procfs.errors import ParseError
from tests.conftest import sample

IP = shutil.which("ip")
needs_ip = pytest.mark.skipif(IP is None, reason="ip (iproute2) is not installed")


def test_dev_machine_route() -> None:
    """``ip route`` said: default via 192.0.2.1 dev eth0; 192.0.2.0/24 dev eth0."""
    default, lan = parse_route_table(sample("dev-machine/proc/net/route"), "little")
    assert default == RouteEntry("eth0", "0.0.0.0", "192.0.2.1", 3, 0, 0, 0, "0.0.0.0", 0, 0, 0)
    assert default.is_default and default.prefix_len == 0
    assert default.flags == RTF_UP | RTF_GATEWAY
    assert (lan.destination, lan.prefix_len, lan.gateway, lan.flags) == (
        "192.0.2.0",
        24,
        "0.0.0.0",
        RTF_UP,
    )
    assert not lan.is_default
    if sys.byteorder == "little":
        assert parse_route(sample("dev-machine/proc/net/route")) == [default, lan]


def test_big_endian_route() -> None:
    """Hand-written for an s390x host: the words are printed most significant byte first."""
    data = sample("handmade/net_route.s390x-big-endian.txt")
    default, lan, net10, host, reject = parse_route_table(data, "big")
    assert (default.gateway, default.metric, default.is_default) == ("192.168.0.1", 100, True)
    assert (lan.destination, lan.mask, lan.prefix_len) == ("192.168.0.0", "255.255.255.0", 24)
    assert (net10.destination, net10.gateway, net10.prefix_len) == ("10.0.0.0", "10.0.0.254", 8)
    assert (net10.mtu, net10.window, net10.irtt, net10.iface) == (1500, 65535, 300, "eth1")
    assert (host.destination, host.prefix_len) == ("198.51.100.7", 32)
    assert host.flags == RTF_UP | RTF_GATEWAY | RTF_HOST
    assert (reject.iface, reject.flags) == ("*", RTF_UP | RTF_REJECT)
    # read as little-endian, the same file gives the bytes reversed
    assert parse_route_table(data, "little")[1].destination == "0.0.168.192"


def test_route_to_dict() -> None:
    entry = parse_route_table(sample("dev-machine/proc/net/route"), "little")[1]
    assert entry.to_dict() == {
        "iface": "eth0",
        "destination": "192.0.2.0",
        "gateway": "0.0.0.0",
        "flags": 1,
        "refcnt": 0,
        "use": 0,
        "metric": 0,
        "mask": "255.255.255.0",
        "mtu": 0,
        "window": 0,
        "irtt": 0,
    }


ROUTE_HEADER = (
    b"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
)


@pytest.mark.parametrize(
    "row",
    [
        b"eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0",
        b"eth0\t0000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
        b"eth0\t00000000\t010200C0000000000000000000000000\t0003\t0\t0\t0\t00000000\t0\t0\t0",
        b"eth0\t00000000\t010200CX\t0003\t0\t0\t0\t00000000\t0\t0\t0",
        b"eth0\t00000000\t010200C0\t0003\t0\t0\tx\t00000000\t0\t0\t0",
    ],
)
def test_bad_routes(row: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_route(ROUTE_HEADER + row + b"\n")
    assert (info.value.lineno, info.value.path) == (2, "net/route")
    with pytest.raises(ParseError):
        parse_route(row)  # no header
    with pytest.raises(ValueError):
        parse_route_table(ROUTE_HEADER, "middle")


def test_dev_machine_ipv6_route() -> None:
    """``ip -6 route show table all`` gave these routes (and the file adds the null route)."""
    entries = parse_ipv6_route(sample("dev-machine/proc/net/ipv6_route"))
    got = [
        (e.destination, e.destination_prefix_len, e.next_hop, e.metric, e.iface) for e in entries
    ]
    assert got == [
        ("fd00::", 64, "::", 256, "eth0"),
        ("fe80::", 64, "::", 256, "eth0"),
        ("::", 0, "fd00::1", 1024, "eth0"),
        ("::1", 128, "::", 0, "lo"),
        ("fd00::2", 128, "::", 0, "eth0"),
        ("fe80::fc:ff:fe00:1", 128, "::", 0, "eth0"),
        ("ff00::", 8, "::", 256, "eth0"),
        ("::", 0, "::", 0xFFFFFFFF, "lo"),
    ]
    assert entries[2].flags == RTF_UP | RTF_GATEWAY
    assert entries[3].flags == RTF_LOCAL | RTF_NONEXTHOP | RTF_UP
    assert entries[7].flags & RTF_REJECT
    assert all(e.source == "::" and e.source_prefix_len == 0 and e.use == 0 for e in entries)
    assert entries[0].to_dict() == {
        "destination": "fd00::",
        "destination_prefix_len": 64,
        "source": "::",
        "source_prefix_len": 0,
        "next_hop": "::",
        "metric": 256,
        "refcnt": 1,
        "use": 0,
        "flags": 1,
        "iface": "eth0",
    }


def test_ipv6_route_is_network_order_without_word_swapping() -> None:
    line = (
        b"20010db8000000000000000000000000 30 20010db8000100000000000000000000 40 "
        b"fe800000000000000000000000000001 00000400 00000002 00000000 00000003\n"
    )
    assert PARSERS["net/ipv6_route"] is parse_ipv6_route
    (entry,) = parse_ipv6_route(line)  # no device: "%8s" of ""
    assert entry == Ipv6RouteEntry(
        "2001:db8::", 0x30, "2001:db8:1::", 0x40, "fe80::1", 1024, 2, 0, 3, None
    )


@pytest.mark.parametrize(
    "line",
    [
        b"fd00 40 00000000000000000000000000000000 00 00000000000000000000000000000000 0 0 0 1 lo",
        b"fd000000000000000000000000000000 81 00000000000000000000000000000000 00 "
        b"00000000000000000000000000000000 00000100 00000001 00000000 00000001 lo",
        b"fd000000000000000000000000000000 40 0000000000000000000000000000000g 00 "
        b"00000000000000000000000000000000 00000100 00000001 00000000 00000001 lo",
        b"fd000000000000000000000000000000 40",
    ],
)
def test_bad_ipv6_routes(line: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_ipv6_route(b"\n" + line + b"\n")
    assert info.value.lineno == 2


def ip_routes(*args: str) -> list[list[str]]:
    assert IP is not None
    text = subprocess.run([IP, *args], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in text.splitlines() if line and not line[0].isspace()]


_ROUTE_TYPES = {"unicast", "local", "broadcast", "multicast", "unreachable", "blackhole",
                "prohibit", "throw", "anycast", "nat"}  # fmt: skip


def after(fields: list[str], word: str) -> str | None:
    return fields[fields.index(word) + 1] if word in fields else None


@needs_ip
def test_live_ipv4_routes_match_ip_route() -> None:
    ours = {(e.destination, e.prefix_len, e.gateway, e.iface) for e in procfs.route()}
    theirs = set()
    for fields in ip_routes("-4", "route", "show", "table", "main"):
        if fields[0] in _ROUTE_TYPES:
            if fields[0] != "unicast":
                continue  # reject routes have no device here
            fields = fields[1:]
        destination, _, prefix = fields[0].partition("/")
        if destination == "default":
            destination, prefix = "0.0.0.0", "0"
        device = after(fields, "dev")
        if device is None:
            continue  # a multipath route: several next hops on the next lines
        theirs.add((destination, int(prefix or 32), after(fields, "via") or "0.0.0.0", device))
    assert ours >= theirs
    assert len(ours - theirs) <= 1  # a route may come or go between the two reads


@needs_ip
def test_live_ipv6_routes_match_ip_route() -> None:
    try:
        entries = procfs.ipv6_route()
    except procfs.NotFoundError:
        pytest.skip("no IPv6 in this kernel")
    ours = {
        (e.destination, e.destination_prefix_len, e.next_hop, e.metric, e.iface) for e in entries
    }
    theirs = set()
    for fields in ip_routes("-6", "route", "show", "table", "all"):
        if fields[0] in _ROUTE_TYPES:
            fields = fields[1:]
        destination, _, prefix = fields[0].partition("/")
        if destination == "default":
            destination, prefix = "::", "0"
        device, metric = after(fields, "dev"), after(fields, "metric")
        if device is None or metric is None:
            continue
        theirs.add(
            (destination, int(prefix or 128), after(fields, "via") or "::", int(metric), device)
        )
    assert theirs, "ip -6 route listed nothing"
    missing = theirs - ours
    assert len(missing) <= 1, missing  # a route may come or go between the two reads
