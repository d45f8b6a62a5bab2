"""IPv6 addresses of the interfaces: ``/proc/net/if_inet6``.

One line per address, no header::

    fe8000000000000000fc00fffe000001 04 40 20 80     eth0

The address is 32 hex digits in network order, byte after byte; then, all
in hex, the interface index, the prefix length, the scope and the flags,
and the interface name.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.core.net import format_ipv6
from procfs.errors import ParseError

__all__ = [
    "IFA_F_DADFAILED",
    "IFA_F_DEPRECATED",
    "IFA_F_NODAD",
    "IFA_F_OPTIMISTIC",
    "IFA_F_PERMANENT",
    "IFA_F_TEMPORARY",
    "IFA_F_TENTATIVE",
    "IfInet6Entry",
    "parse_if_inet6",
]

# Address flags (include/uapi/linux/if_addr.h); the file shows the low 8 bits.
#: A temporary (privacy) address.
IFA_F_TEMPORARY = 0x01
#: Duplicate address detection is off for the address.
IFA_F_NODAD = 0x02
#: Optimistic duplicate address detection (usable while DAD runs).
IFA_F_OPTIMISTIC = 0x04
#: Duplicate address detection failed.
IFA_F_DADFAILED = 0x08
#: A deprecated address (its preferred lifetime is over).
IFA_F_DEPRECATED = 0x20
#: Duplicate address detection has not finished yet.
IFA_F_TENTATIVE = 0x40
#: A permanent (configured) address, not one learned from the network.
IFA_F_PERMANENT = 0x80

_SCOPES = {0x00: "global", 0x10: "host", 0x20: "link", 0x40: "site", 0x80: "compatv4"}


class IfInet6Entry(Record):
    """One IPv6 address of an interface: a line of ``/proc/net/if_inet6``.

    Attributes:
        address: The address (RFC 5952 text).
        ifindex: The interface index (as in ``ip link``).
        prefix_len: The prefix length, bits.
        scope: The address scope bits (``IPV6_ADDR_SCOPE_*``-style values
            of the kernel's ``ipv6_addr_scope``): 0x00 global, 0x10 host
            (loopback), 0x20 link, 0x40 site; see :attr:`scope_name`.
        flags: The low 8 bits of the address flags, ``IFA_F_*``:
            :data:`IFA_F_PERMANENT`, :data:`IFA_F_TENTATIVE`,
            :data:`IFA_F_DEPRECATED`, :data:`IFA_F_TEMPORARY`...
        iface: The interface name.
    """

    address: str
    ifindex: int
    prefix_len: int
    scope: int
    flags: int
    iface: str

    @property
    def scope_name(self) -> str:
        """The scope as ``ip -6 addr`` names it (``global``, ``host``, ``link``, ...)."""
        return _SCOPES.get(self.scope, hex(self.scope))


@parser("net/if_inet6", read="table", since="2.6")
def parse_if_inet6(data: bytes) -> list[IfInet6Entry]:
    """The IPv6 addresses of the interfaces, from ``/proc/net/if_inet6``."""
    out: list[IfInet6Entry] = []
    make = IfInet6Entry._make
    for lineno, line in enumerate(data.split(b"\n"), 1):
        fields = line.split()
        if not fields:
            continue
        try:
            if len(fields) != 6:
                raise ParseError(f"expected 6 fields, found {len(fields)}")
            if len(fields[0]) != 32:
                raise ParseError("an IPv6 address has 32 hex digits")
            prefix_len = int(fields[2], 16)
            if not 0 <= prefix_len <= 128:
                raise ParseError("prefix length out of range")
            out.append(
                make(
                    (
                        format_ipv6(bytes.fromhex(fields[0].decode("ascii"))),
                        int(fields[1], 16),
                        prefix_len,
                        int(fields[3], 16),
                        int(fields[4], 16),
                        decode(fields[5]),
                    )
                )
            )
        except ParseError as exc:
            exc.line = line.decode("utf-8", "backslashreplace")
            exc.lineno = lineno
            raise
        except ValueError as exc:  # int(), bytes.fromhex() or a non-ASCII address
            raise ParseError(
                f"a column is not a hex number ({exc})", line=line, lineno=lineno
            ) from None
    return out
