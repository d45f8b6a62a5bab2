"""``procfs netstat``: sockets with their owning processes, like ``netstat -tanpe``.

By default lists every TCP socket of ``net/tcp`` and ``net/tcp6`` (all
states, listening included, numeric addresses); ``-u`` lists UDP sockets,
``-w`` raw sockets, ``-x`` unix domain sockets, and any of ``-t -u -w -x``
together list those kinds only. Internet sockets share one table: Proto,
Recv-Q, Send-Q, Local Address, Foreign Address, State, Inode, PID/Program
name (``-`` when no process holding the socket was found: TIME_WAIT sockets,
other users' processes when not root). IPv6 addresses are bracketed
(``[::1]:22``); a foreign port of 0 prints as ``*``. As in net-tools, an
unconnected UDP or raw socket has an empty State, and a raw socket's local
port is its IP protocol number.

Unix sockets come in a second table (after a blank line when both are
shown), as net-tools prints them: Proto, RefCnt, Flags (``[ ACC ]`` for a
listener), Type, State, I-Node, PID/Program name, Path.

``-l`` keeps listening TCP sockets, unconnected UDP and raw sockets, and
listening unix sockets.
"""

from __future__ import annotations

import sys

from procfs._fs import DEFAULT_ROOT, ProcFS
from procfs.cli._args import UsageError, fail, parse
from procfs.errors import ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from procfs.core.net import RawNetEntry, SocketAddress, TcpNetEntry, UdpNetEntry
    from procfs.core.net_unix import UnixNetEntry
    from procfs.net import OwnedSocket, SocketEntry, TcpSocket

    InetEntry = TcpNetEntry | UdpNetEntry | RawNetEntry

USAGE = """\
usage: procfs netstat [-t] [-u] [-w] [-x] [-4] [-6] [-l] [--json] [--root DIR]

  -t, --tcp     TCP sockets (the default when none of -t -u -w -x is given)
  -u, --udp     UDP sockets (net/udp, net/udp6)
  -w, --raw     raw sockets (net/raw, net/raw6)
  -x, --unix    unix domain sockets (net/unix)
  -4            IPv4 sockets only (net/tcp, net/udp, net/raw)
  -6            IPv6 sockets only (net/tcp6..., IPv4-mapped addresses included)
  -l, --listening
                listening sockets only (default: every state)
  --json        print a JSON list instead of a table
  --root DIR    read another procfs mount or a captured tree
  -a, -n, -p, -e, -W
                accepted for netstat habits; they change nothing
"""

__all__ = ["main", "to_dict"]

_FLAGS = (
    "-4",
    "-6",
    "-l",
    "--listening",
    "--json",
    "-h",
    "--help",
    "-t",
    "--tcp",
    "-u",
    "--udp",
    "-w",
    "--raw",
    "-x",
    "--unix",
    "-a",
    "-n",
    "-p",
    "-e",
    "-W",
)

_LISTEN = 10  # TcpState.LISTEN
_ESTABLISHED = 1  # TcpState.ESTABLISHED
_CLOSE = 7  # TcpState.CLOSE

# Unix socket types and states as net-tools names them (types as numbered on most
# architectures; reading them from the socket module would cost its import).
_UNIX_TYPES = {1: "STREAM", 2: "DGRAM", 3: "RAW", 4: "RDM", 5: "SEQPACKET"}
_UNIX_STATES = {0: "FREE", 2: "CONNECTING", 3: "CONNECTED", 4: "DISCONNECTING"}
_SO_ACCEPTCON = 1 << 16

# The columns of an internet socket entry, in the order of their fields (the
# same for TcpNetEntry, UdpNetEntry and RawNetEntry; a test checks).
_FIRST_FIELDS = ("local_address", "remote_address", "state", "tx_queue", "rx_queue")
_INODE = 10


def to_dict(socket: TcpSocket | OwnedSocket) -> dict[str, object]:
    """One socket as JSON-ready data: ``proto``, the entry's fields, ``pid``, ``program``."""
    out: dict[str, object] = {"proto": socket.proto}
    out.update(socket.entry.to_dict())
    out["pid"] = socket.pid
    out["program"] = socket.program
    return out


def _address(address: SocketAddress, remote: bool) -> str:
    port = "*" if remote and not address.port else str(address.port)
    if ":" in address.ip:
        return f"[{address.ip}]:{port}"
    return f"{address.ip}:{port}"


def _state(state: int, proto: str) -> str:
    if proto[:3] != "tcp":  # UDP and raw: net-tools names only a connected socket
        if state == _ESTABLISHED:
            return "ESTABLISHED"
        if state == _CLOSE:
            return ""
    name = getattr(state, "name", None)
    return name if isinstance(name, str) else f"UNKNOWN({state})"


def _listening(socket: TcpSocket | OwnedSocket) -> bool:
    """Whether ``netstat -l`` shows the socket."""
    return _listening_entry(socket.proto, socket.entry)


def _listening_entry(proto: str, entry: SocketEntry) -> bool:
    """Whether ``netstat -l`` shows the socket ``entry`` of table ``proto``."""
    if proto == "unix":
        unix: UnixNetEntry = entry  # type: ignore[assignment]
        return bool(unix.flags & _SO_ACCEPTCON)
    inet: InetEntry = entry  # type: ignore[assignment]
    if proto[:3] == "tcp":
        return inet.state == _LISTEN
    remote = inet.remote_address
    return not remote.port and remote.ip in ("0.0.0.0", "::")


def _printable(text: str) -> str:
    """``text`` with control characters and undecodable bytes shown as ``?`` (as ps does)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() and not 0xDC80 <= ord(c) <= 0xDCFF else "?" for c in text)


class _Owners:
    """The PID/Program name column: the first owner (lowest pid, then fd) of each inode."""

    def __init__(self, fs: ProcFS, owners: dict[int, list[tuple[int, int]]]) -> None:
        self.fs = fs
        self.owners = owners
        self.texts: dict[int, str] = {}  # pid -> "pid/program"
        self.comms: dict[int, str | None] = {}

    def text(self, inode: int | None) -> str:
        pairs = self.owners.get(inode) if inode else None
        if not pairs:
            return "-"
        pid = min(pairs)[0]
        found = self.texts.get(pid)
        return self.program(pid) if found is None else found

    def program(self, pid: int) -> str:
        """``pid/program`` for the first owner ``pid`` (its comm read once)."""
        from procfs.net import _comm

        comm = _comm(self.fs, pid, self.comms)
        found = self.texts[pid] = f"{pid}/{_printable(comm) if comm is not None else '-'}"
        return found


def _table(tables: Sequence[tuple[str, Sequence[SocketEntry]]], owners: _Owners) -> str:
    # The address columns are at least 23 wide, which every IPv4 address fits: the
    # lines are made once for that, and made again wider if an address is longer.
    lines, local_width, remote_width = _lines(tables, owners, 23, 23)
    if local_width > 23 or remote_width > 23:
        lines, _, _ = _lines(tables, owners, local_width, remote_width)
    return (
        f"{'Proto':<5} {'Recv-Q':>6} {'Send-Q':>6} {'Local Address':<{local_width}} "
        f"{'Foreign Address':<{remote_width}} {'State':<11} {'Inode':<10} PID/Program name\n"
        + "".join(lines)
    )


def _lines(
    tables: Sequence[tuple[str, Sequence[SocketEntry]]],
    owners: _Owners,
    local_width: int,
    remote_width: int,
) -> tuple[list[str], int, int]:
    """The table's lines with address columns of these widths, and the widths they need."""
    # Thousands of sockets share a few addresses, states, queues and owners: each
    # distinct one is formatted once. The parsers share equal addresses between
    # entries, so addresses are looked up by identity (all stay alive meanwhile),
    # and the states they give are TcpState members or, for numbers it does not
    # know, plain ints that equal no member. Records are tuples of their fields.
    locals_: dict[int, str] = {}
    remotes: dict[int, str] = {}
    longest_local = local_width
    longest_remote = remote_width
    programs = owners.texts
    program = owners.program
    find = owners.owners.get
    at_inode = _INODE
    lines: list[str] = []
    append = lines.append
    for proto, entries in tables:
        heads: dict[tuple[int, int], str] = {}
        idle = f"{proto:<5} {0:>6} {0:>6} "
        states: dict[object, str] = {}
        for entry in entries:
            local, remote, state, send, recv = entry[:5]  # type: ignore[index]
            local_text = locals_.get(id(local))
            if local_text is None:
                ip, port = local
                text = f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"
                longest_local = max(longest_local, len(text))
                local_text = locals_[id(local)] = f"{text:<{local_width}} "
            remote_text = remotes.get(id(remote))
            if remote_text is None:
                text = _address(remote, True)
                longest_remote = max(longest_remote, len(text))
                remote_text = remotes[id(remote)] = f"{text:<{remote_width}} "
            if send or recv:
                head = heads.get((recv, send))
                if head is None:
                    head = heads[recv, send] = f"{proto:<5} {recv:>6} {send:>6} "
            else:
                head = idle
            state_text = states.get(state)
            if state_text is None:
                state_text = states[state] = f"{_state(state, proto):<11} "
            inode = entry[at_inode]  # type: ignore[index]
            pairs = find(inode) if inode else None
            if pairs:
                pid = pairs[0][0] if len(pairs) == 1 else min(pairs)[0]
                owner = programs.get(pid)
                if owner is None:
                    owner = program(pid)
            else:
                owner = "-"
            append(f"{head}{local_text}{remote_text}{state_text}{inode:<10} {owner}\n")
    return lines, longest_local, longest_remote


def _unix_table(entries: Sequence[UnixNetEntry], owners: _Owners) -> str:
    lines = [
        f"{'Proto':<5} {'RefCnt':<6} {'Flags':<11} {'Type':<10} {'State':<13} "
        f"{'I-Node':<8} {'PID/Program name':<20} Path\n"
    ]
    for entry in entries:
        listening = bool(entry.flags & _SO_ACCEPTCON)
        kind = _UNIX_TYPES.get(entry.socket_type, "UNKNOWN")
        state = "LISTENING" if listening else _UNIX_STATES.get(entry.state, "")
        path = _printable(entry.path) if entry.path is not None else ""
        inode = entry.inode if entry.inode is not None else "-"
        flags = "[ ACC ]" if listening else "[ ]"
        lines.append(
            f"{'unix':<5} {entry.ref_count:<6} {flags:<11} {kind:<10} {state:<13} "
            f"{inode:<8} {owners.text(entry.inode):<20} {path}".rstrip()
            + "\n"
        )
    return "".join(lines)


def main(argv: Sequence[str]) -> int:
    """Run ``procfs netstat``; returns the exit status."""
    try:
        options = parse(argv, flags=_FLAGS, options=("--root",))
    except UsageError as exc:
        return fail("netstat", str(exc), USAGE)
    if options.has("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
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
    fs = ProcFS(options.value("--root") or DEFAULT_ROOT)
    listening = options.has("-l", "--listening")
    if options.has("--json"):
        return _json(fs, tables, listening)
    # The table needs no records of the owners: read the tables and scan once.
    from procfs.net import _owners_of, _read_tables

    try:
        found = _read_tables(fs, tables)
        owners = _Owners(fs, _owners_of(fs, found))
    except ProcError as exc:
        sys.stderr.write(f"procfs netstat: {exc}\n")
        return 1
    if listening:
        found = [
            (name, [entry for entry in entries if _listening_entry(name, entry)])
            for name, entries in found
        ]
    parts = []
    if kinds:
        parts.append(_table([(name, e) for name, e in found if name != "unix"], owners))
    if with_unix:
        unix = [entry for name, entries in found if name == "unix" for entry in entries]
        parts.append(_unix_table(unix, owners))  # type: ignore[arg-type]
    sys.stdout.write("\n".join(parts))
    return 0


def _json(fs: ProcFS, tables: list[str], listening: bool) -> int:
    """``--json``: the sockets with their owners, as a JSON list."""
    import json

    from procfs.net import sockets_with_owners

    try:
        sockets = sockets_with_owners(fs, tables)
    except ProcError as exc:
        sys.stderr.write(f"procfs netstat: {exc}\n")
        return 1
    if listening:
        sockets = [s for s in sockets if _listening(s)]
    json.dump([to_dict(s) for s in sockets], sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0
