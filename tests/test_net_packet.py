"""``/proc/net/packet``: packet sockets, from samples and sockets this test opens as root."""

from __future__ import annotations

import os
import socket

import pytest

import procfs
import procfs.net
from procfs.core import PARSERS
from procfs.core.net_packet import PacketNetEntry, parse_packet
from procfs.errors import ParseError
from tests.conftest import sample

HEADER = b"sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n"


def test_dev_machine_packet() -> None:
    """Captured with an ETH_P_ALL SOCK_RAW socket bound to lo (index 1) and an ETH_P_IP
    SOCK_DGRAM socket on every interface."""
    assert PARSERS["net/packet"] is parse_packet
    raw, dgram = parse_packet(sample("dev-machine/proc/net/packet"))
    assert raw == PacketNetEntry("00000000efa32b78", 3, 3, 0x0003, 1, True, 0, 0, 297753)
    assert dgram == PacketNetEntry("00000000dd5f8355", 3, 2, 0x0800, 0, True, 0, 0, 297754)
    assert raw.to_dict()["running"] is True
    assert parse_packet(HEADER) == []


@pytest.mark.parametrize(
    "line",
    [
        b"00000000efa32b78 3      3    0003   1     1 0      0\n",
        b"00000000efa32b7z 3      3    0003   1     1 0      0      297753\n",
        b"00000000efa32b78 3      3    0003   1     2 0      0      297753\n",
        b"00000000efa32b78 3      3    00x3   1     1 0      0      297753\n",
        b"00000000efa32b78 3      3    0003   1     1 0      0      -\n",
    ],
)
def test_bad_lines(line: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_packet(HEADER + line)
    assert info.value.lineno == 2
    with pytest.raises(ParseError):
        parse_packet(line)  # no header


@pytest.mark.skipif(os.geteuid() != 0, reason="packet sockets need root")
def test_live_socket_found_by_inode() -> None:
    lo = socket.if_nametoindex("lo")
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88CC)) as sock:
        sock.bind(("lo", 0))
        inode = os.fstat(sock.fileno()).st_ino
        (entry,) = [e for e in procfs.packet() if e.inode == inode]
        assert (entry.socket_type, entry.protocol, entry.ifindex) == (socket.SOCK_RAW, 0x88CC, lo)
        assert entry.running and entry.uid == os.geteuid()
        (owned,) = [
            row for row in procfs.sockets_with_owners(tables=["packet"]) if row.entry.inode == inode
        ]
        assert (owned.proto, owned.pid) == ("packet", os.getpid())
    assert inode not in {e.inode for e in procfs.packet()}
