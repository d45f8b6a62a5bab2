"""``/proc/net/arp``: the IPv4 neighbour table, against samples and ``ip neigh``."""

from __future__ import annotations

import shutil
import subprocess

import pytest

import procfs
import procfs.net
from procfs.core import PARSERS
from procfs.core.net_arp import ATF_COM, ATF_PERM, ArpEntry, parse_arp, parse_ipv4
from procfs.errors import ParseError
from tests.conftest import sample

HEADER = b"IP address       HW type     Flags       HW address            Mask     Device\n"


def test_prometheus_arp_matches_the_go_test() -> None:
    resolved, unresolved = parse_arp(sample("prometheus-fixtures/proc/net/arp"))
    assert resolved == ArpEntry("192.168.224.1", 1, 2, "00:50:56:c0:00:08", "*", "ens33")
    assert resolved.complete and not resolved.permanent
    assert unresolved == ArpEntry("192.168.224.2", 1, 0, "00:00:00:00:00:00", "*", "ens33")
    assert not unresolved.complete


def test_dev_machine_arp() -> None:
    (gateway,) = parse_arp(sample("dev-machine/proc/net/arp"))
    assert gateway.to_dict() == {
        "ip_address": "192.0.2.1",
        "hw_type": 1,
        "flags": ATF_COM,
        "hw_address": "02:fc:00:00:00:05",
        "mask": "*",
        "device": "eth0",
    }


def test_kernel_layouts() -> None:
    """arp_format_neigh_entry and arp_format_pneigh_entry in net/ipv4/arp.c."""
    data = (
        HEADER
        + b"10.0.0.1         0x1         0x6         52:54:00:12:34:56     *        br-lan\n"
        + b"10.0.0.9         0x1         0xc         00:00:00:00:00:00     *        *\n"
        + b"10.0.0.7         0x300       0x2                               *        tun0\n"
    )
    assert PARSERS["net/arp"] is parse_arp
    static, proxy, tunnel = parse_arp(data)
    assert static.permanent and static.complete and static.flags == ATF_PERM | ATF_COM
    assert static.device == "br-lan"
    assert proxy.flags == 0xC and proxy.device == "*"
    assert tunnel.hw_type == 0x300 and tunnel.hw_address is None
    assert parse_arp(HEADER) == []


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"192.168.0.1 0x1 0x2 00:11:22:33:44:55 * eth0\n",  # no header
        HEADER + b"192.168.0.1 0x1 0x2 00:11:22:33:44:55 *\n",
        HEADER + b"192.168.0.256 0x1 0x2 00:11:22:33:44:55 * eth0\n",
        HEADER + b"192.168.0 0x1 0x2 00:11:22:33:44:55 * eth0\n",
        HEADER + b"192.168.0.1 0xg 0x2 00:11:22:33:44:55 * eth0\n",
        HEADER + b"192.168.0.1 0x1 0x2 00:11:22:33:44:\xff * eth0\n",
        HEADER + b"192.168.0.1 0x1 0x2 00:11 22:33:44:55 * eth0 x\n",
    ],
)
def test_bad_tables(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_arp(data, path="/x/net/arp")
    assert info.value.path == "/x/net/arp"
    if data.startswith(HEADER):
        assert info.value.lineno == 2


def test_parse_ipv4() -> None:
    assert parse_ipv4(b"0.0.0.0") == "0.0.0.0"
    for bad in (b"1.2.3", b"1.2.3.4.5", b"1..3.4", b"+1.2.3.4", b"1.2.3.0004", b"a.b.c.d"):
        with pytest.raises(ParseError):
            parse_ipv4(bad)


IP = shutil.which("ip")


@pytest.mark.skipif(IP is None, reason="ip (iproute2) is not installed")
def test_live_table_matches_ip_neigh() -> None:
    """Same neighbours as ``ip -4 neigh`` (which, like the file, leaves out NOARP entries)."""
    assert IP is not None
    for _attempt in range(3):
        ours = {(e.ip_address, e.device): e for e in procfs.arp()}
        text = subprocess.run([IP, "-4", "neigh", "show"], capture_output=True, text=True).stdout
        theirs: dict[tuple[str, str], str | None] = {}
        for line in text.splitlines():
            fields = line.split()
            if "dev" not in fields:
                continue
            lladdr = fields[fields.index("lladdr") + 1] if "lladdr" in fields else None
            theirs[(fields[0], fields[fields.index("dev") + 1])] = lladdr
        if set(ours) == set(theirs):
            break
    else:
        pytest.fail(f"ours: {sorted(ours)}; ip: {sorted(theirs)}")
    if not ours:
        pytest.skip("the neighbour table is empty")
    for key, lladdr in theirs.items():
        if lladdr is not None:  # ip omits the all-zero address of unresolved entries
            assert ours[key].hw_address == lladdr
            assert ours[key].complete
