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
    from procfs.net import OwnedSocket, TcpSocket

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
    if socket.proto == "unix":
        unix: UnixNetEntry = socket.entry  # type: ignore[assignment]
        return bool(unix.flags & _SO_ACCEPTCON)
    entry: InetEntry = socket.entry  # type: ignore[assignment]
    if socket.proto[:3] == "tcp":
        return entry.state == _LISTEN
    remote = entry.remote_address
    return not remote.port and remote.ip in ("0.0.0.0", "::")


def _owner(socket: TcpSocket | OwnedSocket) -> str:
    if not socket.owners:
        return "-"
    first = socket.owners[0]
    return f"{first.pid}/{_printable(first.comm) if first.comm is not None else '-'}"


def _printable(text: str) -> str:
    """``text`` with control characters and undecodable bytes shown as ``?`` (as ps does)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() and not 0xDC80 <= ord(c) <= 0xDCFF else "?" for c in text)


def _table(sockets: Sequence[TcpSocket | OwnedSocket]) -> str:
    rows = []
    for socket in sockets:
        entry: InetEntry = socket.entry  # type: ignore[assignment]
        rows.append(
            (
                socket.proto,
                entry.rx_queue,
                entry.tx_queue,
                _address(entry.local_address, False),
                _address(entry.remote_address, True),
                _state(entry.state, socket.proto),
                entry.inode,
                _owner(socket),
            )
        )
    local_width = max([23, *(len(row[3]) for row in rows)])
    remote_width = max([23, *(len(row[4]) for row in rows)])
    lines = [
        f"{'Proto':<5} {'Recv-Q':>6} {'Send-Q':>6} {'Local Address':<{local_width}} "
        f"{'Foreign Address':<{remote_width}} {'State':<11} {'Inode':<10} PID/Program name\n"
    ]
    lines.extend(
        f"{proto:<5} {recv:>6} {send:>6} {local:<{local_width}} {remote:<{remote_width}} "
        f"{state:<11} {inode:<10} {owner}\n"
        for proto, recv, send, local, remote, state, inode, owner in rows
    )
    return "".join(lines)


def _unix_table(sockets: Sequence[OwnedSocket]) -> str:
    lines = [
        f"{'Proto':<5} {'RefCnt':<6} {'Flags':<11} {'Type':<10} {'State':<13} "
        f"{'I-Node':<8} {'PID/Program name':<20} Path\n"
    ]
    for socket in sockets:
        entry: UnixNetEntry = socket.entry  # type: ignore[assignment]
        listening = bool(entry.flags & _SO_ACCEPTCON)
        kind = _UNIX_TYPES.get(entry.socket_type, "UNKNOWN")
        state = "LISTENING" if listening else _UNIX_STATES.get(entry.state, "")
        path = _printable(entry.path) if entry.path is not None else ""
        inode = entry.inode if entry.inode is not None else "-"
        flags = "[ ACC ]" if listening else "[ ]"
        lines.append(
            f"{'unix':<5} {entry.ref_count:<6} {flags:<11} {kind:<10} {state:<13} "
            f"{inode:<8} {_owner(socket):<20} {path}".rstrip()
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
    try:
        from procfs.net import sockets_with_owners

        sockets = sockets_with_owners(fs, tables)
    except ProcError as exc:
        sys.stderr.write(f"procfs netstat: {exc}\n")
        return 1
    if options.has("-l", "--listening"):
        sockets = [s for s in sockets if _listening(s)]
    if options.has("--json"):
        import json

        json.dump([to_dict(s) for s in sockets], sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    inet = [s for s in sockets if s.proto != "unix"]
    unix = [s for s in sockets if s.proto == "unix"]
    parts = []
    if kinds:
        parts.append(_table(inet))
    if with_unix:
        parts.append(_unix_table(unix))
    sys.stdout.write("\n".join(parts))
    return 0
