"""``procfs netstat``: TCP sockets with their owning processes, like ``netstat -tanpe``.

Lists every TCP socket of ``net/tcp`` and ``net/tcp6`` (all states, listening
included, numeric addresses). Columns: Proto, Recv-Q, Send-Q, Local Address,
Foreign Address, State, Inode, PID/Program name (``-`` when no process holding
the socket was found: TIME_WAIT sockets, other users' processes when not root).
IPv6 addresses are bracketed (``[::1]:22``); a foreign port of 0 prints as ``*``.
"""

from __future__ import annotations

import sys

from procfs._fs import DEFAULT_ROOT, ProcFS
from procfs.cli._args import UsageError, fail, parse
from procfs.errors import ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from procfs.core.net import SocketAddress
    from procfs.net import TcpSocket

USAGE = """\
usage: procfs netstat [-4] [-6] [-l] [--json] [--root DIR]

  -4            IPv4 sockets only (net/tcp)
  -6            IPv6 sockets only (net/tcp6, IPv4-mapped addresses included)
  -l, --listening
                listening sockets only (default: every state)
  --json        print a JSON list instead of a table
  --root DIR    read another procfs mount or a captured tree
  -t, -a, -n, -p, -e, -W
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
    "-a",
    "-n",
    "-p",
    "-e",
    "-W",
)

_LISTEN = 10  # TcpState.LISTEN


def to_dict(socket: TcpSocket) -> dict[str, object]:
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


def _state(state: int) -> str:
    name = getattr(state, "name", None)
    return name if isinstance(name, str) else f"UNKNOWN({state})"


def _printable(text: str) -> str:
    """``text`` with control characters and undecodable bytes shown as ``?`` (as ps does)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() and not 0xDC80 <= ord(c) <= 0xDCFF else "?" for c in text)


def _table(sockets: list[TcpSocket]) -> str:
    rows = []
    for socket in sockets:
        entry = socket.entry
        owner = "-"
        if socket.owners:
            first = socket.owners[0]
            owner = f"{first.pid}/{_printable(first.comm) if first.comm is not None else '-'}"
        rows.append(
            (
                socket.proto,
                entry.rx_queue,
                entry.tx_queue,
                _address(entry.local_address, False),
                _address(entry.remote_address, True),
                _state(entry.state),
                entry.inode,
                owner,
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
    fs = ProcFS(options.value("--root") or DEFAULT_ROOT)
    try:
        from procfs.net import tcp_with_owners

        sockets = tcp_with_owners(fs, ipv4=ipv4, ipv6=ipv6)
    except ProcError as exc:
        sys.stderr.write(f"procfs netstat: {exc}\n")
        return 1
    if options.has("-l", "--listening"):
        sockets = [s for s in sockets if s.entry.state == _LISTEN]
    if options.has("--json"):
        import json

        json.dump([to_dict(s) for s in sockets], sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(_table(sockets))
    return 0
