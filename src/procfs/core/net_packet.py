"""Packet sockets (``AF_PACKET``, as used by tcpdump and DHCP clients): ``/proc/net/packet``.

::

    sk               RefCnt Type Proto  Iface R Rmem   User   Inode
    ffff8880069a4800 3      3    0003   2     1 0      0      31843

``sk`` is the kernel address of the socket (zeros unless privileged);
``Proto`` is the Ethernet protocol number in hex (``0003`` is ``ETH_P_ALL``,
``0800`` IPv4, ``88cc`` LLDP); the other columns are decimal.
"""

from __future__ import annotations

from procfs.core._parse import parse_lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["PacketNetEntry", "parse_packet"]


class PacketNetEntry(Record):
    """One packet socket: a line of ``/proc/net/packet``.

    Attributes:
        sk: The kernel address of the socket, as printed (zeros unless the
            reader is privileged).
        ref_count: The socket's reference count (``RefCnt``).
        socket_type: ``SOCK_RAW`` (3: whole frames) or ``SOCK_DGRAM`` (2 on
            most architectures: link-layer header removed) (``Type``).
        protocol: The Ethernet protocol received (``Proto``): 3 for every
            protocol (``ETH_P_ALL``), 0x0800 for IPv4, 0 for none yet.
        ifindex: The interface the socket is bound to (``Iface``); 0 for
            every interface.
        running: Whether the socket is hooked in and receiving (``R``).
        rmem: Memory used by received packets waiting to be read, bytes
            (``Rmem``).
        uid: The user id that owns the socket (``User``).
        inode: The socket's inode number: ``socket:[inode]`` in
            ``/proc/[pid]/fd``.
    """

    sk: str
    ref_count: int
    socket_type: int
    protocol: int
    ifindex: int
    running: bool
    rmem: int
    uid: int
    inode: int


@parser("net/packet", read="table", since="2.6")
def parse_packet(data: bytes) -> list[PacketNetEntry]:
    """The packet sockets, from ``/proc/net/packet``."""
    header, _, rows = data.partition(b"\n")
    if header.split()[:1] != [b"sk"]:
        raise ParseError("expected the 'sk RefCnt Type ...' header line", line=header, lineno=1)
    return parse_lines(rows, _packet_line, "packet", first_lineno=2)


def _packet_line(line: bytes) -> PacketNetEntry:
    fields = line.split()
    if len(fields) != 9:
        raise ParseError(f"expected 9 fields, found {len(fields)}")
    sk = fields[0]
    if sk.strip(b"0123456789abcdefABCDEF"):
        raise ParseError("the socket address is not hex")
    running = int(fields[5])
    if running not in (0, 1):
        raise ParseError("the R column is not 0 or 1")
    return PacketNetEntry._make(
        (
            sk.decode("ascii"),
            int(fields[1]),
            int(fields[2]),
            int(fields[3], 16),
            int(fields[4]),
            bool(running),
            int(fields[6]),
            int(fields[7]),
            int(fields[8]),
        )
    )
