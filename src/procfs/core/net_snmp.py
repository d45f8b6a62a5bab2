"""Protocol counters: ``/proc/net/snmp``, ``/proc/net/netstat`` and ``/proc/net/snmp6``.

``net/snmp`` and ``net/netstat`` come as pairs of lines, a header naming
the columns and a line of values, each starting with the section name::

    Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens ...
    Tcp: 1 200 120000 -1 88170 ...

:func:`header_value_pairs` reads that layout for both. A section may be
missing (``IcmpMsg`` appears only once an ICMP message was counted) and
kernels add columns over the years: every column is kept, by its kernel
name, whether or not a record field names it. Values are signed
(``Tcp MaxConn`` is -1).

``net/snmp6`` has one ``Name value`` line per counter (``Ip6InReceives
1309``); its counters are grouped by their prefix (``Ip6``, ``Icmp6``,
``Udp6``, ``UdpLite6``).

The counters are those of the network namespace of the reading process.
Their meanings are in RFC 1213 (IP, ICMP, TCP, UDP), RFC 4293 and the
kernel's Documentation/networking/snmp_counter.rst.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    _Section = TypeVar("_Section", bound=Record)

__all__ = [
    "Netstat",
    "Snmp",
    "Snmp6",
    "SnmpIcmp",
    "SnmpIp",
    "SnmpTcp",
    "SnmpUdp",
    "header_value_pairs",
    "parse_netstat",
    "parse_snmp",
    "parse_snmp6",
]


def header_value_pairs(data: bytes) -> dict[str, dict[str, int]]:
    """Read ``Section: Name Name ...`` / ``Section: value value ...`` line pairs.

    Returns ``{section: {column: value}}`` in file order. The two lines of a
    pair must name the same section and have as many columns; values are
    (signed) decimal integers. A section that appears twice is merged.
    """
    rows = data.split(b"\n")
    if rows and not rows[-1]:
        rows.pop()
    out: dict[str, dict[str, int]] = {}
    index = 0
    count = len(rows)
    while index < count:
        header = rows[index]
        if not header.strip():
            index += 1
            continue
        name, colon, names = header.partition(b":")
        if not colon or not name or b" " in name.strip():
            raise ParseError("expected 'Section: Name ...'", line=header, lineno=index + 1)
        if index + 1 >= count:
            raise ParseError(
                "a header line without its line of values", line=header, lineno=index + 1
            )
        line = rows[index + 1]
        value_name, colon, values = line.partition(b":")
        if not colon or value_name != name:
            raise ParseError(f"expected the values of {decode(name)}", line=line, lineno=index + 2)
        columns = names.split()
        numbers = values.split()
        if len(columns) != len(numbers):
            raise ParseError(
                f"{len(columns)} names but {len(numbers)} values", line=line, lineno=index + 2
            )
        try:
            section = {
                decode(column): int(number) for column, number in zip(columns, numbers, strict=True)
            }
        except ValueError:
            raise ParseError("a value is not an integer", line=line, lineno=index + 2) from None
        if len(section) != len(columns):
            raise ParseError("a column name is repeated", line=header, lineno=index + 1)
        key = decode(name.strip())
        if key in out:
            out[key].update(section)
        else:
            out[key] = section
        index += 2
    return out


class SnmpIp(Record):
    """The ``Ip:`` section of ``/proc/net/snmp`` (RFC 1213 ``ip`` group, IPv4).

    Attributes:
        forwarding: 1 if the host forwards datagrams (a router), 2 if not
            (``net.ipv4.ip_forward``).
        default_ttl: The TTL given to datagrams this host sends.
        in_receives: Datagrams received, errors included.
        in_hdr_errors: Datagrams discarded for errors in their IP header.
        in_addr_errors: Datagrams discarded because their destination was
            not a valid address here.
        forw_datagrams: Datagrams forwarded (or tried to).
        in_unknown_protos: Datagrams for this host of an unsupported protocol.
        in_discards: Received datagrams discarded without error (no memory).
        in_delivers: Datagrams delivered to IP user protocols (ICMP included).
        out_requests: Datagrams local protocols handed to IP for sending.
        out_discards: Outgoing datagrams discarded without error.
        out_no_routes: Datagrams discarded for want of a route.
        reasm_timeout: Seconds fragments are held for reassembly.
        reasm_reqds: Fragments received that needed reassembly.
        reasm_oks: Datagrams reassembled.
        reasm_fails: Reassembly failures.
        frag_oks: Datagrams fragmented.
        frag_fails: Datagrams that needed fragmenting but could not be.
        frag_creates: Fragments generated.
        out_transmits: Datagrams handed to the devices (Linux 6.3 onward;
            ``None`` before).
        extra: Any other column, by its kernel name.
    """

    forwarding: int
    default_ttl: int
    in_receives: int
    in_hdr_errors: int
    in_addr_errors: int
    forw_datagrams: int
    in_unknown_protos: int
    in_discards: int
    in_delivers: int
    out_requests: int
    out_discards: int
    out_no_routes: int
    reasm_timeout: int
    reasm_reqds: int
    reasm_oks: int
    reasm_fails: int
    frag_oks: int
    frag_fails: int
    frag_creates: int
    out_transmits: int | None = None
    extra: dict[str, int] = {}


class SnmpIcmp(Record):
    """The ``Icmp:`` section of ``/proc/net/snmp`` (messages, in and out, by type).

    Attributes:
        in_msgs: ICMP messages received, errors included.
        in_errors: Messages received with ICMP-specific errors (bad length,
            bad checksum...).
        in_csum_errors: Messages received with a bad checksum (Linux 3.10
            onward; ``None`` before).
        in_dest_unreachs: Destination Unreachable messages received.
        in_time_excds: Time Exceeded messages received.
        in_parm_probs: Parameter Problem messages received.
        in_src_quenchs: Source Quench messages received.
        in_redirects: Redirect messages received.
        in_echos: Echo requests received.
        in_echo_reps: Echo replies received.
        in_timestamps: Timestamp requests received.
        in_timestamp_reps: Timestamp replies received.
        in_addr_masks: Address Mask requests received.
        in_addr_mask_reps: Address Mask replies received.
        out_msgs: ICMP messages sent (or tried to), errors included.
        out_errors: Messages not sent for ICMP-internal problems.
        out_rate_limit_global: Messages not sent because of the global rate
            limit (Linux 6.0 onward; ``None`` before).
        out_rate_limit_host: Messages not sent because of the per-host rate
            limit (Linux 6.0 onward; ``None`` before).
        out_dest_unreachs: Destination Unreachable messages sent.
        out_time_excds: Time Exceeded messages sent.
        out_parm_probs: Parameter Problem messages sent.
        out_src_quenchs: Source Quench messages sent.
        out_redirects: Redirect messages sent.
        out_echos: Echo requests sent.
        out_echo_reps: Echo replies sent.
        out_timestamps: Timestamp requests sent.
        out_timestamp_reps: Timestamp replies sent.
        out_addr_masks: Address Mask requests sent.
        out_addr_mask_reps: Address Mask replies sent.
        extra: Any other column, by its kernel name.
    """

    in_msgs: int
    in_errors: int
    in_csum_errors: int | None
    in_dest_unreachs: int
    in_time_excds: int
    in_parm_probs: int
    in_src_quenchs: int
    in_redirects: int
    in_echos: int
    in_echo_reps: int
    in_timestamps: int
    in_timestamp_reps: int
    in_addr_masks: int
    in_addr_mask_reps: int
    out_msgs: int
    out_errors: int
    out_rate_limit_global: int | None
    out_rate_limit_host: int | None
    out_dest_unreachs: int
    out_time_excds: int
    out_parm_probs: int
    out_src_quenchs: int
    out_redirects: int
    out_echos: int
    out_echo_reps: int
    out_timestamps: int
    out_timestamp_reps: int
    out_addr_masks: int
    out_addr_mask_reps: int
    extra: dict[str, int] = {}


class SnmpTcp(Record):
    """The ``Tcp:`` section of ``/proc/net/snmp`` (RFC 1213 ``tcp`` group).

    Attributes:
        rto_algorithm: How the retransmission timeout is computed: 1 (other;
            what Linux reports).
        rto_min: The smallest retransmission timeout, milliseconds.
        rto_max: The largest retransmission timeout, milliseconds.
        max_conn: The limit on connections; -1 (dynamic) on Linux.
        active_opens: Connections opened by this side (transitions from
            CLOSED to SYN-SENT: one per connect(2)).
        passive_opens: Connections accepted (LISTEN to SYN-RCVD).
        attempt_fails: Connection attempts that failed.
        estab_resets: Connections reset from ESTABLISHED or CLOSE-WAIT.
        curr_estab: Connections now ESTABLISHED or CLOSE-WAIT (a gauge).
        in_segs: Segments received, errors included.
        out_segs: Segments sent, retransmissions excluded.
        retrans_segs: Segments retransmitted.
        in_errs: Segments received in error.
        out_rsts: Segments sent with RST.
        in_csum_errors: Segments received with a bad checksum (Linux 3.10
            onward; ``None`` before).
        extra: Any other column, by its kernel name.
    """

    rto_algorithm: int
    rto_min: int
    rto_max: int
    max_conn: int
    active_opens: int
    passive_opens: int
    attempt_fails: int
    estab_resets: int
    curr_estab: int
    in_segs: int
    out_segs: int
    retrans_segs: int
    in_errs: int
    out_rsts: int
    in_csum_errors: int | None = None
    extra: dict[str, int] = {}


class SnmpUdp(Record):
    """The ``Udp:`` (or ``UdpLite:``) section of ``/proc/net/snmp``.

    Attributes:
        in_datagrams: Datagrams delivered to sockets.
        no_ports: Datagrams received for a port nothing listens on.
        in_errors: Datagrams received that could not be delivered for other
            reasons (full receive buffers, bad checksums...).
        out_datagrams: Datagrams sent.
        rcvbuf_errors: Datagrams dropped because a receive buffer was full
            (``None`` on old kernels without the column).
        sndbuf_errors: Datagrams not sent because the send buffer was full
            (``None`` on old kernels without the column).
        in_csum_errors: Datagrams received with a bad checksum (Linux 3.10
            onward; ``None`` before).
        ignored_multi: Multicast or broadcast datagrams no socket wanted
            (Linux 3.19 onward; ``None`` before).
        mem_errors: Datagrams dropped for want of socket memory (recent
            kernels; ``None`` on those without the column).
        extra: Any other column, by its kernel name.
    """

    in_datagrams: int
    no_ports: int
    in_errors: int
    out_datagrams: int
    rcvbuf_errors: int | None = None
    sndbuf_errors: int | None = None
    in_csum_errors: int | None = None
    ignored_multi: int | None = None
    mem_errors: int | None = None
    extra: dict[str, int] = {}


class Snmp(Record):
    """The IPv4 protocol counters of ``/proc/net/snmp``, section by section.

    Attributes:
        ip: The ``Ip:`` section.
        icmp: The ``Icmp:`` section.
        icmp_msg: The ``IcmpMsg:`` section: counts by ICMP type, named
            ``InType3``, ``OutType0``...; only types seen so far are listed,
            and the section is absent (empty here) until one is.
        tcp: The ``Tcp:`` section.
        udp: The ``Udp:`` section.
        udp_lite: The ``UdpLite:`` section (``None`` before Linux 2.6.20).
        extra: Any other section, as ``{column: value}``, by its name.
    """

    ip: SnmpIp
    icmp: SnmpIcmp
    icmp_msg: dict[str, int]
    tcp: SnmpTcp
    udp: SnmpUdp
    udp_lite: SnmpUdp | None = None
    extra: dict[str, dict[str, int]] = {}


def _columns(record: type[Record], spec: str) -> dict[str, tuple[int, bool]]:
    """Kernel column name -> (field index, required), from a spec in field order.

    ``spec`` lists the kernel's names of the record's fields (all but
    ``extra``), ``?`` marking the columns a kernel may lack.
    """
    names = spec.split()
    if len(names) != len(record._fields) - 1:
        raise AssertionError(f"{record.__name__}: the spec does not match the fields")
    return {name.rstrip("?"): (index, name[-1] != "?") for index, name in enumerate(names)}


_IP = _columns(
    SnmpIp,
    "Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos "
    "InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs "
    "ReasmFails FragOKs FragFails FragCreates OutTransmits?",
)
_ICMP = _columns(
    SnmpIcmp,
    "InMsgs InErrors InCsumErrors? InDestUnreachs InTimeExcds InParmProbs InSrcQuenchs "
    "InRedirects InEchos InEchoReps InTimestamps InTimestampReps InAddrMasks InAddrMaskReps "
    "OutMsgs OutErrors OutRateLimitGlobal? OutRateLimitHost? OutDestUnreachs OutTimeExcds "
    "OutParmProbs OutSrcQuenchs OutRedirects OutEchos OutEchoReps OutTimestamps "
    "OutTimestampReps OutAddrMasks OutAddrMaskReps",
)
_TCP = _columns(
    SnmpTcp,
    "RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets "
    "CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors?",
)
_UDP = _columns(
    SnmpUdp,
    "InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors? SndbufErrors? InCsumErrors? "
    "IgnoredMulti? MemErrors?",
)


def _section(
    record: type[_Section], name: str, spec: dict[str, tuple[int, bool]], columns: dict[str, int]
) -> _Section:
    """A section record from its columns; unknown columns go to ``extra``."""
    values: list[object] = [None] * len(spec)
    extra: dict[str, int] = {}
    for column, value in columns.items():
        where = spec.get(column)
        if where is None:
            extra[column] = value
        else:
            values[where[0]] = value
    for column, (index, required) in spec.items():
        if required and values[index] is None:
            raise ParseError(f"the {name}: section has no {column} column")
    values.append(extra)
    return record._make(values)


@parser("net/snmp", read="single", since="2.6")
def parse_snmp(data: bytes) -> Snmp:
    """The IPv4 protocol counters, from ``/proc/net/snmp``."""
    sections = header_value_pairs(data)
    for required in ("Ip", "Icmp", "Tcp", "Udp"):
        if required not in sections:
            raise ParseError(f"no {required}: section")
    lite = sections.pop("UdpLite", None)
    return Snmp(
        _section(SnmpIp, "Ip", _IP, sections.pop("Ip")),
        _section(SnmpIcmp, "Icmp", _ICMP, sections.pop("Icmp")),
        sections.pop("IcmpMsg", {}),
        _section(SnmpTcp, "Tcp", _TCP, sections.pop("Tcp")),
        _section(SnmpUdp, "Udp", _UDP, sections.pop("Udp")),
        _section(SnmpUdp, "UdpLite", _UDP, lite) if lite is not None else None,
        sections,
    )


class Netstat(Record):
    """The extended protocol counters of ``/proc/net/netstat``.

    Each section maps the kernel's column names to their values (``nstat``
    prints them joined: ``TcpExtListenOverflows``). There are well over a
    hundred ``TcpExt`` counters and each kernel release adds some, so they
    are not record fields; see the kernel's
    Documentation/networking/snmp_counter.rst for their meanings.

    Attributes:
        tcp_ext: ``TcpExt``: TCP details (``ListenOverflows``,
            ``ListenDrops``, ``TCPTimeouts``, ``TCPSynRetrans``, ``TW``...).
        ip_ext: ``IpExt``: IP details (``InOctets``, ``OutOctets``,
            ``InNoECTPkts``...); ``None`` if the kernel has no such section.
        mptcp_ext: ``MPTcpExt``: Multipath TCP counters (Linux 5.6 onward,
            with MPTCP built in); ``None`` without.
        extra: Any other section, by its name.
    """

    tcp_ext: dict[str, int]
    ip_ext: dict[str, int] | None = None
    mptcp_ext: dict[str, int] | None = None
    extra: dict[str, dict[str, int]] = {}


@parser("net/netstat", read="single", since="2.6")
def parse_netstat(data: bytes) -> Netstat:
    """The extended protocol counters, from ``/proc/net/netstat``."""
    sections = header_value_pairs(data)
    tcp_ext = sections.pop("TcpExt", None)
    if tcp_ext is None:
        raise ParseError("no TcpExt: section")
    return Netstat(tcp_ext, sections.pop("IpExt", None), sections.pop("MPTcpExt", None), sections)


class Snmp6(Record):
    """The IPv6 protocol counters of ``/proc/net/snmp6``, by protocol.

    Each field maps a counter's name without its protocol prefix to its
    value: ``Ip6InReceives`` is ``ip6["InReceives"]``. Per interface, the
    same counters are in ``/proc/net/dev_snmp6/<name>``.

    Attributes:
        ip6: ``Ip6*`` counters (RFC 4293: ``InReceives``, ``OutRequests``,
            ``InOctets``...).
        icmp6: ``Icmp6*`` counters (``InMsgs``, ``OutMsgs``, by message
            name and by type number: ``InType1``...).
        udp6: ``Udp6*`` counters (``InDatagrams``, ``NoPorts``...).
        udp_lite6: ``UdpLite6*`` counters (``None`` before Linux 2.6.20).
        extra: Any other counter, by its full name.
    """

    ip6: dict[str, int]
    icmp6: dict[str, int]
    udp6: dict[str, int]
    udp_lite6: dict[str, int] | None = None
    extra: dict[str, int] = {}


_SNMP6_GROUPS = ((b"UdpLite6", 3), (b"Icmp6", 1), (b"Udp6", 2), (b"Ip6", 0))


@parser("net/snmp6", read="single", since="2.6")
def parse_snmp6(data: bytes) -> Snmp6:
    """The IPv6 protocol counters, from ``/proc/net/snmp6``."""
    groups: list[dict[str, int] | None] = [{}, {}, {}, None]
    extra: dict[str, int] = {}
    seen = 0
    for lineno, line in enumerate(data.split(b"\n"), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2:
            raise ParseError("expected 'Name value'", line=line, lineno=lineno)
        name, value = fields
        try:
            number = int(value)
        except ValueError:
            raise ParseError("the value is not an integer", line=line, lineno=lineno) from None
        seen += 1
        for prefix, slot in _SNMP6_GROUPS:
            if name.startswith(prefix) and len(name) > len(prefix):
                group = groups[slot]
                if group is None:
                    group = groups[slot] = {}
                group[decode(name[len(prefix) :])] = number
                break
        else:
            extra[decode(name)] = number
    if not seen:
        raise ParseError("no counters")
    return Snmp6._make((*groups, extra))
