"""``procfs netstat``: sockets with their owning processes, like ``netstat -tanpe``.

By default lists every TCP socket of ``net/tcp`` and ``net/tcp6`` (all
states, listening included, numeric addresses); ``-u`` lists UDP sockets,
``-w`` raw sockets, ``-x`` unix domain sockets, and any of ``-t -u -w -x``
together list those kinds only. Internet sockets share one table: Proto,
Recv-Q, Send-Q, Local Address, Foreign Address, State, Inode, PID/Program
name (``-`` when no process holding the socket was found: TIME_WAIT sockets,
other users' processes when not root; the lowest pid of those holding it).
IPv6 addresses are bracketed (``[::1]:22``); a foreign port of 0 prints as
``*``. As in net-tools, a raw socket's local port is its IP protocol number.

Unix sockets come in a second table (after a blank line when both are
shown), as net-tools prints them: Proto, RefCnt, Flags (``[ ACC ]`` for a
listener), Type, State, I-Node, PID/Program name, Path.

``-l`` keeps listening TCP sockets, unconnected UDP and raw sockets, and
listening unix sockets.

The owners come from every process's descriptor links; where it pays, a
short-lived child process reads them while this one reads the tables and
makes the lines (see :class:`procfs.cli.owners.OwnerScan`). As in
net-tools, a user other than root whose scan could not read some processes'
descriptors is told so on stderr ("Not all processes could be identified,
..."; "No info could be read ..." when no socket's owner was found at all).

net-tools' columns: a raw socket's State is its state's number (7 when
unconnected, 1 when connected); a UDP socket's is ``ESTABLISHED`` when
connected, empty when not. A unix socket listens when it is unconnected and
has ``SO_ACCEPTCON`` (``LISTENING``; Flags ``[ ACC ]``, with ``W`` and ``N``
for ``SO_WAITDATA`` and ``SO_NOSPACE`` as net-tools prints them).
"""

from __future__ import annotations

import sys
from _operator import attrgetter, itemgetter, not_
from itertools import chain, compress, islice, repeat

from procfs._fs import DEFAULT_ROOT
from procfs.cli import HELP, ROOT, Option, help_lines, printable, start
from procfs.errors import ProcError
from procfs.net import TCP_STATE_NAMES, NetFiles

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any

    from procfs.core.net import RawNetEntry, TcpNetEntry, UdpNetEntry
    from procfs.core.net_unix import UnixNetEntry
    from procfs.net import OwnedSocket, SocketEntry, TcpSocket

    InetEntry = TcpNetEntry | UdpNetEntry | RawNetEntry
    # each table's lines but their last column, with the sockets' inodes
    Started = list[tuple[list[str], Sequence[int]]]

OPTIONS = (
    Option("-t", "--tcp", help="TCP sockets (the default without -u, -w or -x)"),
    Option("-u", "--udp", help="UDP sockets (net/udp, net/udp6)"),
    Option("-w", "--raw", help="raw sockets (net/raw, net/raw6)"),
    Option("-x", "--unix", help="unix domain sockets (net/unix)"),
    Option("-4", help="IPv4 sockets only (net/tcp, net/udp, net/raw)"),
    Option("-6", help="IPv6 sockets only (IPv4-mapped addresses included)"),
    Option("-l", "--listening", help="listening sockets only (default: every state)"),
    Option(
        "--json",
        help=(
            "print a JSON list instead of a table: an object a\n"
            "socket (proto, addresses, state, inode, ..., pid)"
        ),
    ),
    ROOT,
    HELP,
    Option("-a", "-n", "-p", "-e", "-W", help="accepted for netstat habits; they change nothing"),
)

USAGE = (
    "usage: procfs netstat [-t] [-u] [-w] [-x] [-4] [-6] [-l] [--json] [--root DIR]\n\n"
    + help_lines(OPTIONS)
)

__all__ = ["OPTIONS", "main", "to_dict"]

_LISTEN = 10  # TcpState.LISTEN
_ESTABLISHED = 1  # TcpState.ESTABLISHED
_CLOSE = 7  # TcpState.CLOSE
_TCP_STATES = TCP_STATE_NAMES  # (net-tools's names; state 12 never shows in the tables)

# Unix socket types and states as net-tools names them (types as numbered on most
# architectures; reading them from the socket module would cost its import).
_UNIX_TYPES = {1: "STREAM", 2: "DGRAM", 3: "RAW", 4: "RDM", 5: "SEQPACKET"}
_UNIX_STATES = {0: "FREE", 1: "", 2: "CONNECTING", 3: "CONNECTED", 4: "DISCONNECTING"}
_SO_ACCEPTCON = 1 << 16
# The other Flags net-tools shows: [ ACC W N ]
_UNIX_FLAGS = ((_SO_ACCEPTCON, "ACC "), (1 << 17, "W "), (1 << 18, "N "))

# The fields the table shows of an internet socket, read with procfs.net's
# table fields (a row of them per socket; the same for TCP, UDP and raw).
_FIELDS = ("local_address", "remote_address", "state", "tx_queue", "rx_queue", "inode")
_INODE_OF = itemgetter(5)
_IP = attrgetter("ip")
_PORT = attrgetter("port")
_inode = attrgetter("inode")
# Lines are joined and written this many at a time (not all at once: less memory).
_BLOCK = 512
_INODE_WIDTH = 10


def to_dict(socket: TcpSocket | OwnedSocket) -> dict[str, object]:
    """One socket as JSON-ready data: ``proto``, the entry's fields, ``pid``, ``program``."""
    out: dict[str, object] = {"proto": socket.proto}
    out.update(socket.entry.to_dict())
    out["pid"] = socket.pid
    out["program"] = socket.program
    return out


def _state(state: int, proto: str) -> str:
    """The State column as net-tools prints it: a raw socket's state as its number, a UDP
    socket's named only when connected."""
    if proto[:3] == "raw":
        return str(int(state))
    if proto[:3] == "udp":
        return "ESTABLISHED" if state == _ESTABLISHED else "" if state == _CLOSE else "UNKNOWN"
    return _TCP_STATES.get(state) or f"UNKNOWN({int(state)})"


def _listening(socket: TcpSocket | OwnedSocket) -> bool:
    """Whether ``netstat -l`` shows the socket."""
    return _listening_entry(socket.proto, socket.entry)


def _listening_entry(proto: str, entry: SocketEntry) -> bool:
    """Whether ``netstat -l`` shows the socket ``entry`` of table ``proto``."""
    if proto == "unix":
        unix: UnixNetEntry = entry  # type: ignore[assignment]
        return unix.listening
    inet: InetEntry = entry  # type: ignore[assignment]
    return _listening_row(proto, (inet.local_address, inet.remote_address, inet.state))


def _listening_row(proto: str, row: Sequence[Any]) -> bool:
    """Whether ``netstat -l`` shows the internet socket of table ``proto`` whose fields
    :data:`_FIELDS` are ``row`` (its first three suffice)."""
    if proto[:3] == "tcp":
        return bool(row[2] == _LISTEN)
    remote = row[1]
    return not remote.port and remote.ip in ("0.0.0.0", "::")


class _Owners:
    """The PID/Program name column: the lowest pid holding each socket, and its program."""

    def __init__(self, fs: NetFiles, lowest: dict[int, int]) -> None:
        self.fs = fs
        self.lowest = lowest  # inode -> the lowest pid holding it
        self.texts: dict[int, str] = {}  # pid -> "pid/program"

    def text(self, inode: int | None) -> str:
        pid = self.lowest.get(inode) if inode else None
        return "-" if pid is None else self.of_pid(pid)

    def by_inode(self) -> dict[int, str]:
        """Inode -> `` pid/program\\n`` (as the table's last column ends) for every owned inode."""
        pids = self.lowest.values()
        ends = {pid: f" {self.of_pid(pid)}\n" for pid in set(pids)}
        return dict(zip(self.lowest, map(ends.__getitem__, pids), strict=True))

    def of_pid(self, pid: int) -> str:
        """``pid/program`` for owner ``pid``, made once."""
        found = self.texts.get(pid)
        return self.program(pid) if found is None else found

    def program(self, pid: int) -> str:
        """``pid/program`` for the first owner ``pid`` (its comm read once)."""
        try:
            comm: str | None = self.fs.comm_of(pid)
        except ProcError:  # gone meanwhile
            comm = None
        found = self.texts[pid] = f"{pid}/{printable(comm) if comm is not None else '-'}"
        return found


def _starts(
    tables: Sequence[tuple[str, Sequence[Sequence[Any]]]],
) -> tuple[str, Started]:
    """The internet sockets' table but its last column (``tables``: each table's rows of
    :data:`_FIELDS`): the header line, and for each table the start of each socket's
    line, with the sockets' inodes. (Made while the owners are being found.)"""
    # Work goes by column, in C-level loops (map, zip, join), and each distinct
    # address, state and owner is formatted once: thousands of sockets share a
    # few. The parsers share equal addresses between rows, so addresses are
    # looked up by identity (all stay alive meanwhile); the states they give are
    # the kernel's numbers.
    plain: dict[int, str] = {}  # id(address) -> "ip:port"
    stars: dict[int, str] = {}  # id(address) -> "ip:*" for port 0
    prefixes: dict[str, str] = {}  # ip -> "ip:" or "[ip]:"
    columns = []
    local_width = remote_width = 23
    for proto, rows in tables:
        if not rows:
            continue
        local, remote, states, send, recv, inodes = zip(*rows, strict=True)
        local_ids = list(map(id, local))
        remote_ids = list(map(id, remote))
        new = dict(zip(local_ids, local, strict=True))
        new.update(zip(remote_ids, remote, strict=True))
        # IPv4 texts fit the columns' 23 ("255.255.255.255:65535"): measure only with IPv6.
        wide = any(":" in ip for ip in set(map(_IP, new.values())))
        for known in plain.keys() & new.keys():
            del new[known]
        ips = list(map(_IP, new.values()))
        for ip in set(ips).difference(prefixes):
            prefixes[ip] = f"[{ip}]:" if ":" in ip else f"{ip}:"
        ports = list(map(_PORT, new.values()))
        texts = map(str.__add__, map(prefixes.__getitem__, ips), map(str, ports))
        plain.update(zip(new, texts, strict=True))
        # As a remote address, port 0 shows as "*".
        for key in compress(new, map(not_, ports)):
            stars[key] = f"{plain[key][:-1]}*"
        local_text = list(map(plain.__getitem__, local_ids))
        remote_text = list(map(plain.__getitem__, remote_ids))
        if stars:
            remote_text = list(map(stars.get, remote_ids, remote_text))
        if wide:
            local_width = max(local_width, max(map(len, local_text)))
            remote_width = max(remote_width, max(map(len, remote_text)))
        names = {state: f"{_state(state, proto):<11} " for state in set(states)}
        if any(recv) or any(send):
            queues = list(zip(recv, send, strict=True))
            heads = {pair: f"{proto:<5} {pair[0]:>6} {pair[1]:>6} " for pair in set(queues)}
            head = list(map(heads.__getitem__, queues))
        else:
            head = [f"{proto:<5} {0:>6} {0:>6} "] * len(rows)
        columns.append((head, local_text, remote_text, map(names.__getitem__, states), inodes))
    header = (
        f"{'Proto':<5} {'Recv-Q':>6} {'Send-Q':>6} {'Local Address':<{local_width}} "
        f"{'Foreign Address':<{remote_width}} {'State':<11} {'Inode':<{_INODE_WIDTH}} "
        "PID/Program name\n"
    )
    local_pad = repeat(local_width + 1)
    remote_pad = repeat(remote_width + 1)
    started: Started = []
    for heads_, local_text, remote_text, names_, inodes in columns:
        padded_local = map(str.ljust, local_text, local_pad)
        padded_remote = map(str.ljust, remote_text, remote_pad)
        inode_text = map(str.ljust, map(str, inodes), repeat(_INODE_WIDTH))
        parts = zip(heads_, padded_local, padded_remote, names_, inode_text, strict=True)
        started.append((list(map("".join, parts)), inodes))
    return header, started


def _table(header: str, started: Started, owners: _Owners) -> Iterator[str]:
    """The internet sockets' table from :func:`_starts`, in blocks of lines."""
    owner_of = owners.by_inode()
    yield header
    for starts, inodes in started:
        lines = map(str.__add__, starts, map(owner_of.get, inodes, repeat(" -\n")))
        for _ in range(0, len(starts), _BLOCK):
            yield "".join(islice(lines, _BLOCK))


def _unix_table(entries: Sequence[UnixNetEntry], owners: _Owners) -> str:
    lines = [
        f"{'Proto':<5} {'RefCnt':<6} {'Flags':<11} {'Type':<10} {'State':<13} "
        f"{'I-Node':<8} {'PID/Program name':<20} Path\n"
    ]
    for entry in entries:
        kind = _UNIX_TYPES.get(entry.socket_type, "UNKNOWN")
        state = "LISTENING" if entry.listening else _UNIX_STATES.get(entry.state, "UNKNOWN")
        path = printable(entry.path) if entry.path is not None else ""
        inode = entry.inode if entry.inode is not None else "-"
        flags = "[ " + "".join(text for bit, text in _UNIX_FLAGS if entry.flags & bit) + "]"
        lines.append(
            f"{'unix':<5} {entry.ref_count:<6} {flags:<11} {kind:<10} {state:<13} "
            f"{inode:<8} {owners.text(entry.inode):<20} {path}".rstrip()
            + "\n"
        )
    return "".join(lines)


def main(argv: Sequence[str]) -> int:
    """Run ``procfs netstat``; returns the exit status."""
    options = start("netstat", argv, OPTIONS, USAGE)
    if isinstance(options, int):
        return options
    only4 = options.has("-4")
    only6 = options.has("-6")
    ipv4 = only4 or not only6
    ipv6 = only6 or not only4
    kinds = [
        kind
        for kind, flags in (
            ("tcp", ("-t", "--tcp")),
            ("udp", ("-u", "--udp")),
            ("raw", ("-w", "--raw")),
        )
        if options.has(*flags)
    ]
    with_unix = options.has("-x", "--unix")
    if not kinds and not with_unix:
        kinds = ["tcp"]
    tables = [
        name for kind in kinds for name, wanted in ((kind, ipv4), (kind + "6", ipv6)) if wanted
    ]
    if with_unix:
        tables.append("unix")
    # (the readers of net/ alone: the command imports no other accessor module)
    fs = NetFiles(options.value("--root") or DEFAULT_ROOT)
    listening = options.has("-l", "--listening")
    if options.has("--json"):
        return _json(fs, tables, listening)
    # The table needs no records: read the fields it shows and make all of its
    # lines but their owners while the processes are scanned for the owners.
    from procfs.cli.owners import OwnerScan

    try:
        with OwnerScan(fs) as scan:
            found = fs.socket_table_fields([name for name in tables if name != "unix"], _FIELDS)
            unix = fs.socket_tables(["unix"]) if with_unix else []
            if listening:
                found = [(n, [row for row in rows if _listening_row(n, row)]) for n, rows in found]
                unix = [(n, [e for e in entries if _listening_entry(n, e)]) for n, entries in unix]
            header, started = _starts(found) if kinds else ("", [])
            lowest = scan.owners()
    except ProcError as exc:
        sys.stderr.write(f"procfs netstat: {exc}\n")
        return 1
    if scan.denied:
        _hidden_owners(lowest)
    inodes = [map(_INODE_OF, rows) for _, rows in found]
    inodes += [map(_inode, entries) for _, entries in unix]
    shown = set(chain.from_iterable(inodes)).intersection(lowest)
    owners = _Owners(fs, {inode: lowest[inode] for inode in shown})
    write = sys.stdout.write
    if kinds:
        for block in _table(header, started, owners):
            write(block)
    if with_unix:
        if kinds:
            write("\n")
        write(_unix_table([e for _, entries in unix for e in entries], owners))  # type: ignore[misc]
    return 0


def _hidden_owners(lowest: dict[int, int]) -> None:
    """Say on stderr, as net-tools does, that other users' processes were not looked at:
    for a caller other than root whose scan was denied some process's descriptors."""
    import os

    euid = os.geteuid()
    if not euid:
        return  # denied to root too (another user namespace): being root would not help
    if not lowest:  # no socket of any process was seen
        sys.stderr.write(
            f'(No info could be read for "-p": geteuid()={euid} but you should be root.)\n'
        )
    else:
        sys.stderr.write(
            "(Not all processes could be identified, non-owned process info\n"
            " will not be shown, you would have to be root to see it all.)\n"
        )


def _json(fs: NetFiles, tables: list[str], listening: bool) -> int:
    """``--json``: the sockets with their owners, as a JSON list."""
    import json

    try:
        sockets = fs.sockets_with_owners(tables)
    except ProcError as exc:
        sys.stderr.write(f"procfs netstat: {exc}\n")
        return 1
    if listening:
        sockets = [s for s in sockets if _listening(s)]
    json.dump([to_dict(s) for s in sockets], sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0
