"""Network interface counters: ``/proc/net/dev``.

Two header lines, then one line per interface::

    Inter-|   Receive                                                |  Transmit
     face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets ...
        lo:  246189    3992    0    0    0     0          0         0   246189    3992 ...

The interface name ends at the last ``:`` of the line: old kernels printed
a large first counter right after it (``eth0:1234567890``), so the line is
split on the colon, not on whitespace. The second header line names the
columns of each half; columns a later kernel might add are kept, by that
name, in :attr:`DeviceStatus.extra`.

With the usual columns, a :class:`DeviceStatus` keeps the digits of its
counters and converts the one read (a record converting on access, as
``Stat`` does; equality, ``to_dict()`` and pickling see the numbers).
"""

from __future__ import annotations

import sys as _sys

from procfs.core._parse import MAX_DIGITS, decode, parser
from procfs.core._record import Lazy, Record
from procfs.errors import ParseError

__all__ = ["DeviceStatus", "parse_dev"]


class DeviceStatus(Record):
    """The counters of one network interface: a line of ``/proc/net/dev``.

    Every counter counts since the interface was created; the same numbers
    are in ``/sys/class/net/<name>/statistics/``.

    Attributes:
        name: The interface name.
        recv_bytes: Bytes received.
        recv_packets: Packets received.
        recv_errs: Receive errors of any kind (``errs``).
        recv_drop: Received packets dropped (no buffer, unknown protocol,
            ...; ``drop``).
        recv_fifo: Receive FIFO (buffer) overruns.
        recv_frame: Framing errors (length, overrun, CRC and alignment
            errors added together).
        recv_compressed: Compressed packets received (CSLIP, PPP).
        recv_multicast: Multicast packets received.
        sent_bytes: Bytes transmitted.
        sent_packets: Packets transmitted.
        sent_errs: Transmit errors.
        sent_drop: Packets dropped on transmission.
        sent_fifo: Transmit FIFO underruns.
        sent_colls: Collisions (``colls``).
        sent_carrier: Carrier errors (carrier, aborted, window, heartbeat
            errors added together).
        sent_compressed: Compressed packets transmitted.
        extra: Columns this module does not know, by ``recv_``/``sent_``
            and the header's name (none today).
    """

    name: str
    recv_bytes: int
    recv_packets: int
    recv_errs: int
    recv_drop: int
    recv_fifo: int
    recv_frame: int
    recv_compressed: int
    recv_multicast: int
    sent_bytes: int
    sent_packets: int
    sent_errs: int
    sent_drop: int
    sent_fifo: int
    sent_colls: int
    sent_carrier: int
    sent_compressed: int
    extra: dict[str, int] = {}

    # The fast reading keeps the digits of the counters; a field converts on access.
    __lazy__ = Lazy(int, name=None, extra=None)


_RECEIVE = (b"bytes", b"packets", b"errs", b"drop", b"fifo", b"frame", b"compressed", b"multicast")
_TRANSMIT = (b"bytes", b"packets", b"errs", b"drop", b"fifo", b"colls", b"carrier", b"compressed")
_INDEX: dict[str, int] = {name: index for index, name in enumerate(DeviceStatus._fields)}


def _layout(header: bytes) -> tuple[list[int | str], bool]:
    """For each value column, its index in the record or its name in ``extra``.

    Also whether the layout is the usual one (then the values map in order).
    """
    parts = header.split(b"|")
    if len(parts) != 3:
        raise ParseError("expected the ' face |bytes ...|bytes ...' header line", line=header)
    receive, transmit = parts[1].split(), parts[2].split()
    if tuple(receive) == _RECEIVE and tuple(transmit) == _TRANSMIT:
        return list(range(1, 17)), True
    layout: list[int | str] = []
    for prefix, names in (("recv_", receive), ("sent_", transmit)):
        for name in names:
            key = prefix + decode(name)
            layout.append(_INDEX.get(key, key))
    missing = set(range(1, 17)) - {index for index in layout if isinstance(index, int)}
    if missing:
        lacking = ", ".join(DeviceStatus._fields[index] for index in sorted(missing))
        raise ParseError(f"the header lacks a column: {lacking}", line=header)
    return layout, False


# The second header line of every kernel since 2.6 (the layout of the usual columns).
_USUAL_HEADER = (
    b" face |bytes    packets errs drop fifo frame compressed multicast|"
    b"bytes    packets errs drop fifo colls carrier compressed"
)
_USUAL_LAYOUT: list[int | str] = list(range(1, 17))
#: The longest counters part of a line the fast reading keeps as digits
#: (16 counters of up to MAX_DIGITS digits, padded), so that each converts.
_LONGEST_COUNTERS = 16 * (MAX_DIGITS + 8)


_ENCODING = _sys.getfilesystemencoding()
_ERRORS = _sys.getfilesystemencodeerrors()


@parser("net/dev", read="table", since="2.6")
def parse_dev(data: bytes) -> dict[str, DeviceStatus]:
    """The interfaces and their counters, from ``/proc/net/dev``, by name in file order.

    A file with the usual columns, each line ``name: n1 ... n16`` with only
    digits for the counters (16 of at most MAX_DIGITS digits fit in the
    line), is read here, the counters kept as digits (:class:`DeviceStatus` converts them when
    read). Anything else goes to the line-by-line reading, which names the
    line at fault.
    """
    rows = data.split(b"\n")
    if len(rows) > 2 and rows[1] == _USUAL_HEADER and b"|" in rows[0]:
        out: dict[str, DeviceStatus] = {}
        last = len(rows) - 1
        for lineno in range(2, len(rows)):
            row = rows[lineno]
            name, colon, rest = row.rpartition(b":")
            values = rest.split()
            name = name.strip()
            if (
                not colon
                or not name
                or len(values) != 16
                or not b"".join(values).isdigit()
                or len(rest) > _LONGEST_COUNTERS
            ):
                if lineno == last and not row:
                    return out  # the end of the last line
                break
            text = name.decode(_ENCODING, _ERRORS)
            values.insert(0, text)  # type: ignore[arg-type]
            values.append({})  # type: ignore[arg-type]
            out[text] = _make(values)
        else:
            return out  # no final newline
    return _parse_strict(rows)


def _parse_strict(rows: list[bytes]) -> dict[str, DeviceStatus]:
    """The line-by-line reading of the file's lines (names the line at fault)."""
    if len(rows) < 2 or b"|" not in rows[0]:
        raise ParseError("expected two header lines", line=rows[0], lineno=1)
    if rows[1] == _USUAL_HEADER:
        layout, usual = _USUAL_LAYOUT, True
    else:
        try:
            layout, usual = _layout(rows[1])
        except ParseError as exc:
            exc.lineno = 2
            raise
    width = len(layout)
    out: dict[str, DeviceStatus] = {}
    make = DeviceStatus._make
    for lineno in range(2, len(rows)):
        row = rows[lineno]
        name, colon, rest = row.rpartition(b":")
        if not colon:
            if row.strip():
                raise ParseError("no ':' after the interface name", line=row, lineno=lineno + 1)
            continue
        name = name.strip()
        values = rest.split()
        try:
            if not name:
                raise ParseError("no interface name")
            if len(values) != width:
                raise ParseError(f"expected {width} counters, found {len(values)}")
            numbers = [int(value) for value in values]
            if min(numbers) < 0:
                raise ParseError("a counter is negative")
        except ParseError as exc:
            exc.line = row.decode("utf-8", "backslashreplace")
            exc.lineno = lineno + 1
            raise
        except ValueError as exc:
            raise ParseError(
                f"a counter is not a number ({exc})", line=row, lineno=lineno + 1
            ) from None
        text = decode(name)
        if usual:
            out[text] = make((text, *numbers, {}))
            continue
        fields: list[object] = [text, *([0] * 16), {}]
        extra: dict[str, int] = {}
        for where, number in zip(layout, numbers, strict=True):
            if isinstance(where, int):
                fields[where] = number
            else:
                extra[where] = number
        fields[17] = extra
        out[text] = make(fields)
    return out


_make = DeviceStatus._make
