"""``/proc/net/if_inet6``: IPv6 addresses, against samples and ``ip -6 addr``."""

from __future__ import annotations

import shutil
import subprocess

import pytest

import procfs
import procfs.net
from procfs.core import PARSERS
from procfs.core.net_if_inet6 import (
    IFA_F_DEPRECATED,
    IFA_F_NODAD,
    IFA_F_PERMANENT,
    IFA_F_TENTATIVE,
    IfInet6Entry,
    parse_if_inet6,
)
from procfs.errors import ParseError
from tests.conftest import sample


def test_dev_machine_if_inet6() -> None:
    """``ip -6 addr`` said: ::1/128 scope host on lo; fd00::2/64 nodad and fe80::fc:ff:fe00:1/64
    scope link on eth0 (index 4)."""
    assert PARSERS["net/if_inet6"] is parse_if_inet6
    site, loopback, link = parse_if_inet6(sample("dev-machine/proc/net/if_inet6"))
    assert site == IfInet6Entry("fd00::2", 4, 64, 0x00, IFA_F_PERMANENT | IFA_F_NODAD, "eth0")
    assert loopback == IfInet6Entry("::1", 1, 128, 0x10, IFA_F_PERMANENT, "lo")
    assert link == IfInet6Entry("fe80::fc:ff:fe00:1", 4, 64, 0x20, IFA_F_PERMANENT, "eth0")
    assert [e.scope_name for e in (site, loopback, link)] == ["global", "host", "link"]
    assert link.to_dict() == {
        "address": "fe80::fc:ff:fe00:1",
        "ifindex": 4,
        "prefix_len": 64,
        "scope": 32,
        "flags": 128,
        "iface": "eth0",
    }


def test_hex_columns() -> None:
    """Every number is hex: interface index 0x12c is 300; flags 0x60 tentative and deprecated."""
    line = b"20010db8000000000000000000000abc 12c 30 00 60 veth-long-nam\n"
    (entry,) = parse_if_inet6(line)
    assert (entry.address, entry.ifindex, entry.prefix_len) == ("2001:db8::abc", 300, 48)
    assert entry.flags == IFA_F_TENTATIVE | IFA_F_DEPRECATED
    assert entry.iface == "veth-long-nam"
    assert IfInet6Entry("::", 1, 0, 0x05, 0, "x").scope_name == "0x5"


@pytest.mark.parametrize(
    "line",
    [
        b"00000000000000000000000000000001 01 80 10 80\n",
        b"0000000000000000000000000000001 01 80 10 80 lo\n",
        b"0000000000000000000000000000000g 01 80 10 80 lo\n",
        b"00000000000000000000000000000001 01 81 10 80 lo\n",
        b"00000000000000000000000000000001 zz 80 10 80 lo\n",
    ],
)
def test_bad_lines(line: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_if_inet6(b"\n" + line)
    assert info.value.lineno == 2


IP = shutil.which("ip")


@pytest.mark.skipif(IP is None, reason="ip (iproute2) is not installed")
def test_live_addresses_match_ip_addr() -> None:
    assert IP is not None
    try:
        ours = {
            (e.ifindex, e.iface, e.address, e.prefix_len, e.scope_name) for e in procfs.if_inet6()
        }
    except procfs.NotFoundError:
        pytest.skip("no IPv6 in this kernel")
    text = subprocess.run([IP, "-6", "-o", "addr", "show"], capture_output=True, text=True).stdout
    theirs = set()
    for line in text.splitlines():
        fields = line.split()
        address, _, prefix = fields[3].partition("/")
        iface = fields[1].split("@")[0]
        theirs.add((int(fields[0].rstrip(":")), iface, address, int(prefix), fields[5]))
    assert ours == theirs
    if any(e.iface == "lo" for e in procfs.if_inet6()):
        assert (1, "lo", "::1", 128, "host") in ours
