"""``/proc/net/sockstat`` and ``sockstat6``: samples, and live counts against the socket tables."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

import procfs
import procfs.net
from procfs.core import PARSERS
from procfs.core.net import TcpState
from procfs.core.net_sockstat import SockStat, SockStatProtocol, parse_sockstat, parse_sockstat6
from procfs.errors import ParseError
from tests.conftest import sample


def test_prometheus_sockstat_matches_the_go_test() -> None:
    stat = parse_sockstat(sample("prometheus-fixtures/proc/net/sockstat"))
    assert stat == SockStat(
        1602,
        SockStatProtocol(35, 0, 4, 59, 22, None, {}),
        SockStatProtocol(12, None, None, None, 62, None, {}),
        SockStatProtocol(0),
        SockStatProtocol(0),
        SockStatProtocol(0, memory=0),
        {},
    )


def test_prometheus_sockstat6_matches_the_go_test() -> None:
    stat = parse_sockstat6(sample("prometheus-fixtures/proc/net/sockstat6"))
    assert stat.sockets_used is None  # IPv6 has no "sockets: used" line
    assert stat.tcp == SockStatProtocol(17)
    assert (stat.udp, stat.udplite, stat.raw) == (
        SockStatProtocol(9),
        SockStatProtocol(0),
        SockStatProtocol(1),
    )
    assert stat.frag == SockStatProtocol(0, memory=0)
    assert stat.to_dict()["tcp"] == {
        "inuse": 17, "orphan": None, "tw": None, "alloc": None, "mem": None, "memory": None,
        "extra": {},
    }  # fmt: skip


def test_the_go_parse_cases() -> None:
    """Test_parseSockstat: an IPv4 and an IPv6 file; a bad line and bad pairs fail."""
    ipv4 = parse_sockstat(
        b"sockets: used 1591\nTCP: inuse 32 orphan 0 tw 0 alloc 58 mem 13\nUDP: inuse 8 mem 115\n"
        b"UDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n"
    )
    assert ipv4.sockets_used == 1591
    assert ipv4.tcp == SockStatProtocol(32, 0, 0, 58, 13)
    assert ipv4.udp == SockStatProtocol(8, mem=115)
    ipv6 = parse_sockstat6(b"TCP6: inuse 24\nUDP6: inuse 9\nUDPLITE6: inuse 0\nRAW6: inuse 1\n")
    assert (ipv6.tcp, ipv6.raw, ipv6.frag) == (SockStatProtocol(24), SockStatProtocol(1), None)
    for bad in (b"sockets: used\n", b"TCP: inuse 32 orphan\n"):
        with pytest.raises(ParseError) as info:
            parse_sockstat(bad)
        assert info.value.lineno == 1


def test_dev_machine_sockstat() -> None:
    stat = PARSERS["net/sockstat"](sample("dev-machine/proc/net/sockstat"))
    assert isinstance(stat, SockStat)
    assert stat.sockets_used == 4037
    assert stat.tcp == SockStatProtocol(4002, 0, 27, 4002, 267)
    assert stat.raw == SockStatProtocol(2)  # the two raw sockets in net/raw
    stat6 = parse_sockstat6(sample("dev-machine/proc/net/sockstat6"))
    assert stat6.udp == SockStatProtocol(4)  # the four sockets in net/udp6
    assert stat6.raw == SockStatProtocol(1)


def test_unknown_keys_and_protocols_are_kept() -> None:
    stat = parse_sockstat(b"TCP: inuse 1 orphan 0 pressure 1\nMPTCP: inuse 3\nTCP6: inuse 9\n")
    assert stat.tcp == SockStatProtocol(1, 0, extra={"pressure": 1})
    assert stat.extra == {"MPTCP": SockStatProtocol(3), "TCP6": SockStatProtocol(9)}
    assert stat.sockets_used is None and stat.udp is None
    stat6 = parse_sockstat6(b"TCP: inuse 1\nTCP6: inuse 2\n")
    assert stat6.tcp == SockStatProtocol(2)
    assert stat6.extra == {"TCP": SockStatProtocol(1)}


@pytest.mark.parametrize(
    ("data", "lineno"),
    [
        (b"", None),
        (b"\n\n", None),
        (b"TCP inuse 1\n", 1),
        (b"TCP: inuse x\n", 1),
        (b"UDP: inuse 1\n: inuse 1\n", 2),
        (b"sockets: used 1 free 2\n", 1),
    ],
)
def test_bad_files(data: bytes, lineno: int | None) -> None:
    for parse in (parse_sockstat, parse_sockstat6):
        with pytest.raises(ParseError) as info:
            parse(data)
        assert info.value.lineno == lineno


# -- live -------------------------------------------------------------------------------------


@pytest.fixture
def held() -> Iterator[list[socket.socket]]:
    """Three TCP sockets (a listener, both ends of a connection) and a bound UDP socket."""
    sockets: list[socket.socket] = []
    try:
        listener = socket.socket()
        sockets.append(listener)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        sockets.append(socket.create_connection(listener.getsockname()))
        sockets.append(listener.accept()[0])
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sockets.append(udp)
        udp.bind(("127.0.0.1", 0))
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


def test_live_counts_cover_held_sockets(held: list[socket.socket]) -> None:
    stat = procfs.sockstat()
    assert stat.tcp is not None and stat.tcp.inuse is not None and stat.tcp.inuse >= 3
    assert stat.udp is not None and stat.udp.inuse is not None and stat.udp.inuse >= 1
    assert stat.sockets_used is not None and stat.sockets_used >= len(held)


_NOT_COUNTED = (TcpState.TIME_WAIT, TcpState.SYN_RECV, TcpState.NEW_SYN_RECV)


def test_live_counts_match_the_socket_tables(held: list[socket.socket]) -> None:
    """``inuse`` counts the full sockets the tables list (TIME_WAIT and requests aside)."""
    for _attempt in range(5):
        stat = procfs.sockstat()
        tcp = [e for e in procfs.tcp() if e.state not in _NOT_COUNTED]
        udp = procfs.udp()
        again = procfs.sockstat()
        assert stat.tcp is not None and stat.udp is not None
        if stat == again and (stat.tcp.inuse, stat.udp.inuse) == (len(tcp), len(udp)):
            break
    else:
        pytest.fail(f"sockstat {stat.tcp}, {stat.udp}; tables: {len(tcp)} TCP, {len(udp)} UDP")
    try:
        stat6 = procfs.sockstat6()
    except procfs.NotFoundError:
        return
    for _attempt in range(5):
        stat6 = procfs.sockstat6()
        udp6 = procfs.udp6()
        if stat6.udp is not None and stat6.udp.inuse == len(udp6):
            break
    else:
        pytest.fail(f"sockstat6 {stat6.udp}; {len(udp6)} sockets in net/udp6")
