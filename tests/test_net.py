"""The TCP table parsers (``net/tcp``, ``net/tcp6``), their addresses and TcpState."""

from __future__ import annotations

import contextlib
import copy
import enum
import ipaddress
import pickle
import socket
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procfs.core import PARSERS
from procfs.core._record import to_plain
from procfs.core.net import (
    SocketAddress,
    TcpNetEntry,
    TcpState,
    format_ipv6,
    parse_socket_address,
    parse_tcp,
    parse_tcp6,
    parse_tcp_table,
)
from procfs.errors import ParseError
from tests.conftest import PROMETHEUS_PROC, RUST_SAMPLES, corpus_path, sample

HEADER = (
    b"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    b"timeout inode\n"
)
HEADER6 = (
    b"  sl  local_address                         remote_address                        st "
    b"tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
)


def kernel_hex(packed: bytes, byteorder: str) -> bytes:
    """How the kernel prints an address: each 32-bit word as the host reads it, ``%08X``."""
    words = [packed[i : i + 4] for i in range(0, len(packed), 4)]
    if byteorder == "little":
        words = [word[::-1] for word in words]
    return b"".join(word.hex().upper().encode() for word in words)


def line(local: bytes, remote: bytes, state: bytes = b"0A", rest: bytes = b"") -> bytes:
    return (
        b"   0: " + local + b" " + remote + b" " + state + b" 00000000:00000000 00:00000000 "
        b"00000000  1000        0 4242" + rest + b"\n"
    )


# -- addresses ------------------------------------------------------------------


def test_rust_crate_address_fragments() -> None:
    data = corpus_path(RUST_SAMPLES / "net_tcp_address_field.fragments.txt").read_bytes()
    tokens = data.split()
    assert len(tokens) == 4
    # the crate's test was written for a little-endian host
    parsed = [parse_socket_address(token, "little") for token in tokens[:3]]
    assert parsed == [
        SocketAddress("127.0.0.1", 4660),
        SocketAddress("2a00:1450:4001:814::200e", 80),
        SocketAddress("2001:db8::123:4567:89ab:cdef", 0),
    ]
    assert [str(a) for a in parsed] == [
        "127.0.0.1:4660",
        "[2a00:1450:4001:814::200e]:80",
        "[2001:db8::123:4567:89ab:cdef]:0",
    ]
    assert [a.family for a in parsed] == [4, 6, 6]
    with pytest.raises(ParseError):
        parse_socket_address(tokens[3], "little")


@pytest.mark.parametrize(
    ("little", "big", "text"),
    [
        (b"0100007F:0016", b"7F000001:0016", "127.0.0.1:22"),
        (b"00000000:0000", b"00000000:0000", "0.0.0.0:0"),
        (b"0101A8C0:FFFF", b"C0A80101:FFFF", "192.168.1.1:65535"),
        (
            b"00000000000000000000000001000000:0016",
            b"00000000000000000000000000000001:0016",
            "[::1]:22",
        ),
        (
            b"0000000000000000FFFF00000100007F:1F90",
            b"00000000000000000000FFFF7F000001:1F90",
            "[::ffff:127.0.0.1]:8080",
        ),
        (
            b"B80D0120000000000000000001000000:0001",
            b"20010DB8000000000000000000000001:0001",
            "[2001:db8::1]:1",
        ),
    ],
)
def test_byte_orders(little: bytes, big: bytes, text: str) -> None:
    assert str(parse_socket_address(little, "little")) == text
    assert str(parse_socket_address(big, "big")) == text
    native = little if sys.byteorder == "little" else big
    assert str(parse_socket_address(native)) == text


def test_ipv4_mapped_line() -> None:
    data = HEADER6 + line(
        b"0000000000000000FFFF00000100007F:0050", b"0000000000000000FFFF00000A01A8C0:C350", b"01"
    )
    (entry,) = parse_tcp_table(data, "little")
    assert entry.local_address == SocketAddress("::ffff:127.0.0.1", 80)
    assert entry.remote_address == SocketAddress("::ffff:192.168.1.10", 50000)
    assert str(entry.local_address) == "[::ffff:127.0.0.1]:80"
    assert entry.local_address.family == 6
    assert entry.state is TcpState.ESTABLISHED


@pytest.mark.parametrize(
    ("groups", "text"),
    [
        ([0] * 8, "::"),
        ([0] * 7 + [1], "::1"),
        ([1] + [0] * 7, "1::"),
        ([0x2001, 0xDB8, 0, 0, 1, 0, 0, 1], "2001:db8::1:0:0:1"),  # first of equal runs
        ([0x2001, 0xDB8, 0, 1, 1, 1, 1, 1], "2001:db8:0:1:1:1:1:1"),  # one zero group stays
        ([0x2001, 0, 0, 1, 0, 0, 0, 1], "2001:0:0:1::1"),  # the longest run wins
        ([0xFE80, 0, 0, 0, 0xABCD, 0xEF, 0x1, 0x2], "fe80::abcd:ef:1:2"),
        ([0, 0, 0, 0, 0, 0xFFFF, 0x0A00, 0x0001], "::ffff:10.0.0.1"),
        ([0, 0, 0, 0, 0xFFFF, 0, 0x0A00, 0x0001], "::ffff:0:a00:1"),  # IPv4-translated: hex
    ],
)
def test_rfc5952(groups: list[int], text: str) -> None:
    packed = b"".join(g.to_bytes(2, "big") for g in groups)
    assert format_ipv6(packed) == text


_ZEROISH = st.lists(
    st.sampled_from([b"\0\0", b"\0\0", b"\0\0", b"\0\x01", b"\xff\xff", b"\x12\x34"]),
    min_size=8,
    max_size=8,
).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.binary(min_size=16, max_size=16), _ZEROISH))
def test_ipv6_text_matches_the_standard_library(packed: bytes) -> None:
    expected = ipaddress.IPv6Address(packed).compressed
    if packed[:12] == b"\0" * 10 + b"\xff\xff":
        expected = socket.inet_ntop(socket.AF_INET6, packed)  # glibc: ::ffff:a.b.c.d
        assert expected.startswith("::ffff:") and expected.count(".") == 3
    assert format_ipv6(packed) == expected
    for order in ("little", "big"):
        address = parse_socket_address(kernel_hex(packed, order) + b":01BB", order)
        assert address == SocketAddress(expected, 443)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=4, max_size=4))
def test_ipv4_text_matches_the_standard_library(packed: bytes) -> None:
    expected = socket.inet_ntop(socket.AF_INET, packed)
    for order in ("little", "big"):
        assert parse_socket_address(kernel_hex(packed, order) + b":0", order).ip == expected


@pytest.mark.parametrize(
    "token",
    [b"1234:1234", b"0100007F", b"0100007F:", b"0100007F:10000", b"0100007G:0016", b"-100007F:0016",
     b"0100007F0:0016", b":0016", b"0100007F:-1", b"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8:0"],
)  # fmt: skip
def test_bad_addresses(token: bytes) -> None:
    with pytest.raises(ParseError):
        parse_socket_address(token, "little")


def test_bad_byteorder_argument() -> None:
    with pytest.raises(ValueError):
        parse_socket_address(b"0100007F:0016", "middle")


# -- whole tables ------------------------------------------------------------------


def test_prometheus_tcp() -> None:
    data = corpus_path(PROMETHEUS_PROC / "net" / "tcp").read_bytes()
    entries = parse_tcp_table(data, "little")
    rest = ("1", "ffff88003d3af3c0", "100", "0", "0", "10", "0")

    def listener(ip: str, tx_queue: int, rx_queue: int) -> TcpNetEntry:
        local = SocketAddress(ip, 22)
        any4 = SocketAddress("0.0.0.0", 0)
        return TcpNetEntry(
            local, any4, TcpState.LISTEN, tx_queue, rx_queue, 0, 0, 0, 0, 0, 2740, rest
        )

    assert entries == [
        listener("10.0.0.5", 0, 1),
        listener("0.0.0.0", 1, 0),
        listener("0.0.0.0", 1, 1),
    ]
    if sys.byteorder == "little":
        assert parse_tcp(data) == entries


def test_prometheus_tcp6() -> None:
    data = corpus_path(PROMETHEUS_PROC / "net" / "tcp6").read_bytes()
    first, second = parse_tcp_table(data, "little")
    assert first.local_address == SocketAddress("::", 5355)
    assert first.remote_address == SocketAddress("::", 0)
    assert first.state is TcpState.CLOSE
    assert (first.uid, first.inode, first.extra) == (981, 21040, ("2", "0000000013726323", "0"))
    assert second.local_address == SocketAddress("fe80::56e1:adff:fe7c:6609", 51073)
    assert (second.uid, second.inode) == (1000, 11337031)
    assert (second.tx_queue, second.rx_queue, second.tr, second.tm_when) == (0, 0, 0, 0)


def test_dev_machine_tcp() -> None:
    """Captured with sockets in many states (expected values worked out from the hex)."""
    entries = parse_tcp_table(sample("dev-machine/proc/net/tcp"), "little")
    assert len(entries) == 10
    lo = "127.0.0.1"
    listener = entries[0]
    assert listener.local_address == SocketAddress(lo, 0x8555)
    assert listener.remote_address == SocketAddress("0.0.0.0", 0)
    assert listener.state is TcpState.LISTEN
    assert listener.rx_queue == 1  # one connection waiting to be accepted
    assert listener.inode == 11270
    assert listener.extra == ("2", "00000000d9677025", "100", "0", "0", "10", "0")
    fin_wait2, time_wait = entries[3], entries[4]
    assert fin_wait2.state is TcpState.FIN_WAIT2
    assert (fin_wait2.tr, fin_wait2.tm_when, fin_wait2.inode) == (3, 5985, 0)
    assert fin_wait2.extra == ("3", "000000002258c87b")
    assert time_wait.state is TcpState.TIME_WAIT
    assert time_wait.local_address == SocketAddress(lo, 58286)
    assert (time_wait.tr, time_wait.tm_when, time_wait.inode) == (3, 5989, 0)
    close_wait, established = entries[7], entries[8]
    assert close_wait.state is TcpState.CLOSE_WAIT
    assert close_wait.remote_address == SocketAddress(lo, 58280)
    assert established.state is TcpState.ESTABLISHED
    assert established.rx_queue == 100  # bytes sent by the peer, not read yet
    assert established.inode == 11272
    assert established.extra[-1] == "-1"
    assert [e.state.name for e in entries if isinstance(e.state, TcpState)].count(
        "ESTABLISHED"
    ) == 5


def test_dev_machine_tcp6() -> None:
    entries = parse_tcp_table(sample("dev-machine/proc/net/tcp6"), "little")
    got = [(str(e.local_address), str(e.remote_address), e.state, e.inode) for e in entries]
    assert got == [
        ("[::]:46403", "[::]:0", TcpState.LISTEN, 11321),
        ("[::1]:58709", "[::]:0", TcpState.LISTEN, 11318),
        ("[::1]:58709", "[::1]:53286", TcpState.ESTABLISHED, 11320),
        ("[::1]:53286", "[::1]:58709", TcpState.ESTABLISHED, 11319),
        ("[::ffff:127.0.0.1]:46403", "[::ffff:127.0.0.1]:37216", TcpState.ESTABLISHED, 11323),
    ]


def test_empty_table_is_no_sockets() -> None:
    assert parse_tcp(HEADER) == []
    assert parse_tcp6(HEADER6 + b"\n") == []


def test_unknown_state_is_kept_as_a_number() -> None:
    (entry,) = parse_tcp(HEADER + line(b"0100007F:0016", b"00000000:0000", b"3F"))
    assert entry.state == 63
    assert type(entry.state) is int
    assert entry.to_dict()["state"] == 63
    (known,) = parse_tcp(HEADER + line(b"0100007F:0016", b"00000000:0000", b"0C"))
    assert known.state is TcpState.NEW_SYN_RECV
    assert known.to_dict()["state"] == "NEW_SYN_RECV"


def test_to_dict_is_plain() -> None:
    (entry,) = parse_tcp_table(HEADER + line(b"0100007F:0016", b"0200007F:D431", b"01"), "little")
    assert entry.to_dict() == {
        "local_address": {"ip": "127.0.0.1", "port": 22},
        "remote_address": {"ip": "127.0.0.2", "port": 54321},
        "state": "ESTABLISHED",
        "tx_queue": 0,
        "rx_queue": 0,
        "tr": 0,
        "tm_when": 0,
        "retrnsmt": 0,
        "uid": 1000,
        "timeout": 0,
        "inode": 4242,
        "extra": [],
    }


@pytest.mark.parametrize(
    ("data", "lineno"),
    [
        (b"", 1),
        (b"\n", 1),
        (b"   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n", 1),
        (HEADER + b"   0: 0100007F:0016 00000000:0000 0A\n", 2),
        (HEADER + line(b"0100007F:0016", b"00000000:0000", b"ZZ"), 2),
        (HEADER + line(b"0100007F:0016", b"1234:0000"), 2),
        (HEADER + line(b"0100007F:0016", b"00000000:0000").replace(b"0: ", b"0 "), 2),
        (HEADER + line(b"0100007F:0016", b"00000000:0000").replace(b"00000000:00000000", b"0"), 2),
        (HEADER + line(b"0100007F:0016", b"00000000:0000").replace(b"4242", b"x"), 2),
        (HEADER + b"\n" + line(b"0100007F:0016", b"00000000:0000").replace(b"1000", b"-"), 3),
    ],
)
def test_bad_tables(data: bytes, lineno: int) -> None:
    for parse in (parse_tcp, parse_tcp6):
        with pytest.raises(ParseError) as info:
            parse(data)
        assert info.value.lineno == lineno
        assert info.value.path in ("net/tcp", "net/tcp6")
    with pytest.raises(ParseError) as info:
        parse_tcp(data, path="/x/net/tcp")
    assert info.value.path == "/x/net/tcp"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["little", "big"]))
def test_table_with_any_byte_order_raises_only_parse_error(junk: bytes, order: str) -> None:
    base = sample("dev-machine/proc/net/tcp6")
    for data in (junk, HEADER + junk, base[: len(junk) * 3], base.replace(b"0A", junk[:3], 1)):
        with contextlib.suppress(ParseError):
            to_plain(parse_tcp_table(data, order))


def test_registered_under_their_paths() -> None:
    assert PARSERS["net/tcp"] is parse_tcp
    assert PARSERS["net/tcp6"] is parse_tcp6


def test_live_tables_parse() -> None:
    with open("/proc/net/tcp", "rb") as f:
        entries = parse_tcp(f.read())
    assert all(entry.local_address.family == 4 for entry in entries)
    try:
        with open("/proc/net/tcp6", "rb") as f:
            entries6 = parse_tcp6(f.read())
    except FileNotFoundError:
        pytest.skip("no IPv6 in this kernel")
    assert all(entry.local_address.family == 6 for entry in entries6)


# -- TcpState ------------------------------------------------------------------


def test_tcp_state_numbers_are_the_kernels() -> None:
    assert [(state.name, state.value) for state in TcpState] == [
        ("ESTABLISHED", 1),
        ("SYN_SENT", 2),
        ("SYN_RECV", 3),
        ("FIN_WAIT1", 4),
        ("FIN_WAIT2", 5),
        ("TIME_WAIT", 6),
        ("CLOSE", 7),
        ("CLOSE_WAIT", 8),
        ("LAST_ACK", 9),
        ("LISTEN", 10),
        ("CLOSING", 11),
        ("NEW_SYN_RECV", 12),
        ("BOUND_INACTIVE", 13),
    ]


def test_tcp_state_behaves_like_an_int_enum() -> None:
    real = enum.IntEnum("TcpState", [(s.name, s.value) for s in TcpState])  # type: ignore[misc]
    for state in TcpState:
        twin = real[state.name]
        assert repr(state) == repr(twin)
        assert str(state) == str(state.value)
        if sys.version_info >= (3, 11):
            assert str(state) == str(twin)
        assert f"{state}" == f"{twin}"
        assert state == twin.value and hash(state) == hash(twin.value)
        assert TcpState(state.value) is state
        assert TcpState[state.name] is state
        assert state in TcpState
        assert pickle.loads(pickle.dumps(state)) is state
        assert copy.copy(state) is state and copy.deepcopy(state) is state
        assert to_plain(state) == state.name
    assert len(TcpState) == len(real)
    assert next(reversed(TcpState)) is TcpState.BOUND_INACTIVE
    assert set(TcpState.__members__) == set(real.__members__)
    # as in Python 3.12: a value is "in" the enum when a member has it
    assert 10 in TcpState and 99 not in TcpState  # type: ignore[operator]
    assert "LISTEN" not in TcpState  # type: ignore[operator]
    assert isinstance(TcpState.LISTEN, int) and isinstance(TcpState.LISTEN, TcpState)
    assert TcpState.LISTEN > TcpState.ESTABLISHED
    with pytest.raises(ValueError):
        TcpState(99)
    with pytest.raises(KeyError):
        TcpState["NOPE"]


def test_importing_the_parsers_does_not_import_enum() -> None:
    import subprocess

    code = "import sys, procfs.core.net; print('enum' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
