"""The IPv4 neighbour (ARP) table: ``/proc/net/arp``.

::

    IP address       HW type     Flags       HW address            Mask     Device
    192.168.224.1    0x1         0x2         00:50:56:c0:00:08     *        ens33

Addresses are printed as text (dotted quad, colon-separated hex), so unlike
the socket tables this file reads the same on any byte order.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = [
    "ATF_COM",
    "ATF_DONTPUB",
    "ATF_NETMASK",
    "ATF_PERM",
    "ATF_PUBL",
    "ATF_USETRAILERS",
    "ArpEntry",
    "parse_arp",
    "parse_ipv4",
]

#: ``Flags`` bits (``include/uapi/linux/if_arp.h``): the entry is complete (resolved).
ATF_COM = 0x02
#: A permanent (static) entry.
ATF_PERM = 0x04
#: A published (proxy ARP) entry.
ATF_PUBL = 0x08
#: Trailers requested (obsolete).
ATF_USETRAILERS = 0x10
#: A proxy entry that uses a netmask.
ATF_NETMASK = 0x20
#: Do not answer for this address.
ATF_DONTPUB = 0x40


class ArpEntry(Record):
    """One neighbour: a line of ``/proc/net/arp``.

    Attributes:
        ip_address: The neighbour's IPv4 address, dotted quad.
        hw_type: The hardware type (``ARPHRD_*`` of ``linux/if_arp.h``): 1
            for Ethernet, 32 for InfiniBand, 772 for loopback...
        flags: ``ATF_*`` bits: :data:`ATF_COM` once the hardware address is
            known, :data:`ATF_PERM` for a static entry, :data:`ATF_PUBL` for a
            proxy entry.
        hw_address: The hardware (MAC) address as printed, lower-case hex
            bytes joined by ``:``; all zeros while unresolved. ``None`` if
            the kernel printed none (hardware without addresses).
        mask: Always ``*`` (a netmask existed for proxy entries long ago).
        device: The interface name (``*`` for a proxy entry without one).
    """

    ip_address: str
    hw_type: int
    flags: int
    hw_address: str | None
    mask: str
    device: str

    @property
    def complete(self) -> bool:
        """Whether the hardware address is resolved (``ATF_COM``)."""
        return bool(self.flags & ATF_COM)

    @property
    def permanent(self) -> bool:
        """Whether the entry is static (``ATF_PERM``)."""
        return bool(self.flags & ATF_PERM)


def parse_ipv4(token: bytes) -> str:
    """Check a dotted-quad address (``192.168.0.1``) and return it as text."""
    parts = token.split(b".")
    if len(parts) != 4 or not all(
        part.isdigit() and len(part) <= 3 and int(part) <= 255 for part in parts
    ):
        raise ParseError("not a dotted-quad IPv4 address", line=token)
    return token.decode("ascii")


@parser("net/arp", read="table", since="2.6")
def parse_arp(data: bytes) -> list[ArpEntry]:
    """The neighbour table, from ``/proc/net/arp``."""
    rows = data.split(b"\n")
    if not rows[0].startswith(b"IP address"):
        raise ParseError(
            "expected the 'IP address HW type ...' header line", line=rows[0], lineno=1
        )
    out: list[ArpEntry] = []
    make = ArpEntry._make
    for lineno in range(1, len(rows)):
        fields = rows[lineno].split()
        if not fields:
            continue
        try:
            count = len(fields)
            if count == 6:
                hw_address: str | None = fields[3].decode("ascii")
            elif count == 5 and fields[3] == b"*":  # an empty hardware address, then the mask
                hw_address = None
            else:
                raise ParseError(f"expected 6 fields, found {count}")
            out.append(
                make(
                    (
                        parse_ipv4(fields[0]),
                        int(fields[1], 16),
                        int(fields[2], 16),
                        hw_address,
                        decode(fields[-2]),
                        decode(fields[-1]),
                    )
                )
            )
        except ParseError as exc:
            exc.line = rows[lineno].decode("utf-8", "backslashreplace")
            exc.lineno = lineno + 1
            raise
        except ValueError as exc:  # int(), or a hardware address that is not ASCII
            raise ParseError(
                f"a column is not a number ({exc})", line=rows[lineno], lineno=lineno + 1
            ) from None
    return out
