"""``/proc/net/snmp``, ``net/netstat`` and ``net/snmp6``: samples, ``nstat``, live counters."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess

import pytest

import procfs
import procfs.net
from procfs.core import PARSERS
from procfs.core.net_snmp import (
    _ICMP,
    _IP,
    _TCP,
    _UDP,
    Netstat,
    SnmpIcmp,
    SnmpIp,
    SnmpTcp,
    SnmpUdp,
    _columns,
    header_value_pairs,
    parse_netstat,
    parse_snmp,
    parse_snmp6,
)
from procfs.errors import ParseError
from tests.conftest import sample

# -- the header/value line pairs -------------------------------------------------------------


def test_header_value_pairs() -> None:
    data = b"A: x y\nA: 1 -2\n\nB:\nB:\nC: z\nC: 3\nA: w\nA: 4\n"
    assert header_value_pairs(data) == {"A": {"x": 1, "y": -2, "w": 4}, "B": {}, "C": {"z": 3}}
    assert header_value_pairs(b"") == {}


@pytest.mark.parametrize(
    ("data", "lineno"),
    [
        (b"A: x y\n", 1),  # no values
        (b"A: x y\nB: 1 2\n", 2),  # values of another section
        (b"A: x y\nA: 1\n", 2),
        (b"A: x y\nA: 1 2 3\n", 2),
        (b"A: x y\nA: 1 two\n", 2),
        (b"A: x x\nA: 1 2\n", 1),  # a repeated name
        (b"no colon\nno colon\n", 1),
        (b"A B: x\nA B: 1\n", 1),
        (b": x\n: 1\n", 1),
    ],
)
def test_bad_pairs(data: bytes, lineno: int) -> None:
    with pytest.raises(ParseError) as info:
        header_value_pairs(data)
    assert info.value.lineno == lineno


def test_field_names_are_the_kernel_names_in_snake_case() -> None:
    """Each record field is its kernel column name in snake case (``ReasmOKs``: ``reasm_oks``)."""
    special = {"ReasmOKs": "reasm_oks", "FragOKs": "frag_oks"}

    def snake(name: str) -> str:
        return (
            special.get(name)
            or re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()
        )

    assert snake("InHdrErrors") == "in_hdr_errors" and snake("DefaultTTL") == "default_ttl"
    for record, mapping in ((SnmpIp, _IP), (SnmpIcmp, _ICMP), (SnmpTcp, _TCP), (SnmpUdp, _UDP)):
        for column, (index, _required) in mapping.items():
            assert record._fields[index] == snake(column), column
        assert len(mapping) == len(record._fields) - 1
    with pytest.raises(AssertionError):
        _columns(SnmpUdp, "InDatagrams")


# -- net/snmp ----------------------------------------------------------------------------------


def test_rust_sample_debian_6_8() -> None:
    """The Rust crate's test_snmp_debian_6_8_12 sample: newer columns, IcmpMsg, MaxConn -1."""
    snmp = parse_snmp(sample("rust-procfs-samples/net_snmp.debian-6.8.12.txt"))
    assert snmp.ip.forwarding == 1 and snmp.ip.default_ttl == 64
    assert (snmp.ip.in_receives, snmp.ip.in_addr_errors, snmp.ip.out_no_routes) == (
        58881328,
        1,
        1855,
    )
    assert snmp.ip.out_transmits == 12449667 and snmp.ip.extra == {}
    assert (snmp.icmp.in_msgs, snmp.icmp.in_errors, snmp.icmp.in_csum_errors) == (16667, 83, 0)
    assert (snmp.icmp.out_rate_limit_global, snmp.icmp.out_rate_limit_host) == (2, 81)
    assert snmp.icmp.out_dest_unreachs == 21854
    assert snmp.icmp_msg == {"InType3": 16667, "OutType3": 21854}
    tcp = snmp.tcp
    assert (tcp.rto_algorithm, tcp.rto_min, tcp.rto_max, tcp.max_conn) == (1, 200, 120000, -1)
    assert (tcp.active_opens, tcp.passive_opens, tcp.curr_estab, tcp.in_csum_errors) == (
        88170, 33742, 9, 0
    )  # fmt: skip
    assert snmp.udp == SnmpUdp(48327329, 21522, 6981741, 9605045, 6981727, 9497, 14, 478236, 0, {})
    assert snmp.udp_lite == SnmpUdp(0, 0, 0, 0, 0, 0, 0, 0, 0, {})
    assert snmp.extra == {}


def test_rust_sample_without_icmp_msg() -> None:
    """The crate's issue #310: no IcmpMsg pair on a host that never counted an ICMP message."""
    snmp = parse_snmp(sample("rust-procfs-samples/net_snmp.no-IcmpMsg-issue310.txt"))
    assert snmp.icmp_msg == {}
    assert snmp.ip.forwarding == 2
    assert (snmp.tcp.active_opens, snmp.tcp.out_rsts, snmp.udp.ignored_multi) == (177, 94, 745)


def test_linux_2_6_32_lacks_newer_columns() -> None:
    snmp = parse_snmp(sample("handmade/net_snmp.linux-2.6.32.txt"))
    assert snmp.ip.out_transmits is None
    assert snmp.icmp.in_csum_errors is None and snmp.icmp.out_rate_limit_host is None
    assert (snmp.icmp.in_msgs, snmp.icmp.in_dest_unreachs, snmp.icmp.out_echo_reps) == (
        120,
        110,
        10,
    )
    assert snmp.icmp_msg == {"InType3": 110, "InType8": 10, "OutType0": 10, "OutType3": 115}
    assert snmp.tcp.in_csum_errors is None and snmp.tcp.out_rsts == 2310
    assert snmp.udp == SnmpUdp(98270, 115, 0, 98571, 0, 0, None, None, None, {})
    assert snmp.udp_lite is not None and snmp.udp_lite.in_datagrams == 0


def test_new_columns_and_sections_are_kept() -> None:
    data = sample("handmade/net_snmp.linux-2.6.32.txt")
    data = data.replace(b"OutRsts\n", b"OutRsts NewThing\n").replace(b" 2310\n", b" 2310 -7\n")
    data += b"Sctp: CurrEstab ActiveEstabs\nSctp: 2 5\n"
    data = data.replace(b"UdpLite:", b"Gone:")
    snmp = parse_snmp(data)
    assert snmp.tcp.extra == {"NewThing": -7}
    assert snmp.extra == {"Sctp": {"CurrEstab": 2, "ActiveEstabs": 5}, "Gone": {
        "InDatagrams": 0, "NoPorts": 0, "InErrors": 0, "OutDatagrams": 0, "RcvbufErrors": 0,
        "SndbufErrors": 0,
    }}  # fmt: skip
    assert snmp.udp_lite is None
    plain = snmp.to_dict()
    assert plain["tcp"]["extra"] == {"NewThing": -7} and plain["udp_lite"] is None
    assert json.loads(json.dumps(plain)) == plain


@pytest.mark.parametrize(
    "change",
    [
        (b"Ip:", b"Xp:"),  # a required section missing
        (b"RtoAlgorithm", b"RtoWhat"),  # a required column missing
        (b"Udp: 98270", b"Udp: x"),
    ],
)
def test_bad_snmp(change: tuple[bytes, bytes]) -> None:
    data = sample("handmade/net_snmp.linux-2.6.32.txt").replace(*change)
    with pytest.raises(ParseError) as info:
        PARSERS["net/snmp"](data, path="/x/net/snmp")
    assert info.value.path == "/x/net/snmp"


def test_dev_machine_snmp() -> None:
    snmp = parse_snmp(sample("dev-machine/proc/net/snmp"))
    assert (snmp.ip.in_receives, snmp.ip.out_transmits) == (20731, 19764)
    assert (snmp.tcp.active_opens, snmp.tcp.curr_estab, snmp.tcp.estab_resets) == (4839, 4000, 4206)
    assert snmp.icmp_msg == {"InType3": 1}
    assert snmp.to_dict()["udp"] == {
        "in_datagrams": 48, "no_ports": 0, "in_errors": 0, "out_datagrams": 50,
        "rcvbuf_errors": 0, "sndbuf_errors": 0, "in_csum_errors": 0, "ignored_multi": 0,
        "mem_errors": 0, "extra": {},
    }  # fmt: skip


# -- net/netstat ------------------------------------------------------------------------------


def test_dev_machine_netstat() -> None:
    counters = parse_netstat(sample("dev-machine/proc/net/netstat"))
    assert len(counters.tcp_ext) == 135  # the header's 136 fields, less "TcpExt:"
    assert (counters.tcp_ext["TW"], counters.tcp_ext["TWRecycled"]) == (719, 0)
    assert counters.ip_ext is not None
    assert (counters.ip_ext["InOctets"], counters.ip_ext["InNoECTPkts"]) == (99888039, 20731)
    assert counters.mptcp_ext is not None and counters.mptcp_ext["MPCapableSYNRX"] == 0
    assert counters.extra == {}


def test_netstat_sections_may_be_missing() -> None:
    data = b"TcpExt: SyncookiesSent TW\nTcpExt: 1 2\nTlsExt: A\nTlsExt: 3\n"
    assert parse_netstat(data) == Netstat({"SyncookiesSent": 1, "TW": 2}, None, None, {
        "TlsExt": {"A": 3}
    })  # fmt: skip
    with pytest.raises(ParseError):
        parse_netstat(b"IpExt: InOctets\nIpExt: 1\n")
    with pytest.raises(ParseError):
        parse_netstat(b"TcpExt: TW\n")


# -- net/snmp6 --------------------------------------------------------------------------------


def test_dev_machine_snmp6() -> None:
    snmp6 = parse_snmp6(sample("dev-machine/proc/net/snmp6"))
    assert (len(snmp6.ip6), len(snmp6.icmp6), len(snmp6.udp6)) == (33, 40, 9)
    assert snmp6.udp_lite6 is not None and len(snmp6.udp_lite6) == 8
    assert (snmp6.ip6["InReceives"], snmp6.ip6["OutRequests"], snmp6.ip6["InOctets"]) == (
        1417, 1426, 105856
    )  # fmt: skip
    assert (snmp6.icmp6["InMsgs"], snmp6.icmp6["OutMsgs"], snmp6.icmp6["InType1"]) == (1, 9, 1)
    assert snmp6.udp6["InDatagrams"] == 0 and snmp6.extra == {}


def test_snmp6_other_names() -> None:
    snmp6 = parse_snmp6(b"ifIndex 2\nIp6InReceives 5\nUdp6 7\nSctp6InSCTPPacks 1\n")
    assert snmp6.ip6 == {"InReceives": 5}
    assert snmp6.udp_lite6 is None and snmp6.icmp6 == {}
    assert snmp6.extra == {"ifIndex": 2, "Udp6": 7, "Sctp6InSCTPPacks": 1}


@pytest.mark.parametrize("data", [b"", b"\n", b"Ip6InReceives\n", b"Ip6InReceives x\n", b"a 1 2\n"])
def test_bad_snmp6(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_snmp6(data)


# -- live ---------------------------------------------------------------------------------------


def test_live_active_opens_grow_with_a_connect() -> None:
    before = procfs.snmp()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        with socket.create_connection(listener.getsockname()):
            pass
    after = procfs.snmp()
    assert after.tcp.active_opens >= before.tcp.active_opens + 1
    assert after.tcp.passive_opens >= before.tcp.passive_opens + 1
    assert after.ip.out_requests > before.ip.out_requests
    ext = procfs.netstat_counters()
    assert ext.ip_ext is not None and ext.ip_ext["InOctets"] > 0


NSTAT = shutil.which("nstat")


@pytest.mark.skipif(NSTAT is None, reason="nstat (iproute2) is not installed")
def test_live_counters_match_nstat() -> None:
    """``nstat -asz`` reads the same three files with its own parser."""
    assert NSTAT is not None

    def ours() -> dict[str, int]:
        out: dict[str, int] = {}
        snmp = procfs.snmp()
        for prefix, section in (("Ip", snmp.ip), ("Icmp", snmp.icmp), ("Tcp", snmp.tcp),
                                ("Udp", snmp.udp), ("UdpLite", snmp.udp_lite)):  # fmt: skip
            if section is None:
                continue
            for name, value in section.to_dict().items():
                if name != "extra" and value is not None:
                    out[prefix + name.title().replace("_", "")] = value
        for name, value in snmp.icmp_msg.items():
            out["IcmpMsg" + name] = value
        ext = procfs.netstat_counters()
        for prefix, counters in (("TcpExt", ext.tcp_ext), ("IpExt", ext.ip_ext),
                                 ("MPTcpExt", ext.mptcp_ext)):  # fmt: skip
            out.update({prefix + name: value for name, value in (counters or {}).items()})
        try:
            snmp6 = procfs.snmp6()
        except procfs.NotFoundError:
            return out
        for prefix, group in (("Ip6", snmp6.ip6), ("Icmp6", snmp6.icmp6), ("Udp6", snmp6.udp6),
                              ("UdpLite6", snmp6.udp_lite6)):  # fmt: skip
            out.update({prefix + name: value for name, value in (group or {}).items()})
        return out

    before = ours()
    result = subprocess.run([NSTAT, "-asz", "--json"], capture_output=True, text=True, check=True)
    theirs: dict[str, int] = json.loads(result.stdout)["kernel"]
    after = ours()
    # our snake_case names map back to the kernel's for all but a few (OKs, TTL)
    fixed = {"IpReasmOks": "IpReasmOKs", "IpFragOks": "IpFragOKs", "IpDefaultTtl": "IpDefaultTTL"}
    before = {fixed.get(k, k): v for k, v in before.items()}
    after = {fixed.get(k, k): v for k, v in after.items()}
    compared = 0
    for name, value in theirs.items():
        if name not in before or name in ("TcpMaxConn", "TcpCurrEstab"):
            continue  # a counter of another file, or not a counter
        assert before[name] <= value <= after[name], name
        compared += 1
    assert compared >= 0.9 * len(theirs)
    assert compared > 100
