"""``/proc/net/unix``: samples (paths with spaces and newlines, abstract names) and live sockets."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import procfs
import procfs.net
from procfs.core import PARSERS
from procfs.core.net_unix import SO_ACCEPTCON, UnixNetEntry, UnixState, parse_unix
from procfs.errors import ParseError
from tests.conftest import sample

SS = shutil.which("ss")
needs_ss = pytest.mark.skipif(SS is None, reason="ss (iproute2) is not installed")

_SS_TYPES = {"u_str": 1, "u_dgr": 2, "u_seq": 5}

Key = tuple[int, str, str | None]  # (socket type, ss state, path)


def ss_unix(text: str) -> dict[int, Key]:
    """inode -> (type, state, path) from ``ss -xanH`` (``-e`` allowed), newlines in paths joined."""
    rows: list[str] = []
    for line in text.splitlines():
        if line.split(" ", 1)[0] in _SS_TYPES or not rows:
            rows.append(line)
        else:  # a path with a newline continues on the next line
            rows[-1] += "\n" + line
    out: dict[int, Key] = {}
    for row in rows:
        if not row.strip():
            continue
        netid, state, _recv, _send, rest = row.split(None, 4)
        rest = rest.split(" <->")[0].rstrip()  # -e adds columns after "<->"
        local, inode, _peer, _peer_inode = rest.rsplit(None, 3)
        path = None if local == "*" else local
        out[int(inode)] = (_SS_TYPES[netid], state, path)
    return out


def ss_state(entry: UnixNetEntry) -> str:
    if entry.state == UnixState.CONNECTED:
        return "ESTAB"
    if entry.listening:
        return "LISTEN"
    return "UNCONN"


def our_key(entry: UnixNetEntry) -> Key:
    path = entry.path
    if path is not None:  # ss shows undecodable bytes as U+FFFD
        path = os.fsencode(path).decode("utf-8", "replace")
    return (entry.socket_type, ss_state(entry), path)


# -- samples ------------------------------------------------------------------------------


def test_prometheus_unix_matches_the_go_tests() -> None:
    entries = parse_unix(sample("prometheus-fixtures/proc/net/unix"))
    pg = "/var/run/postgresql/.s.PGSQL.5432"
    zeros = "0000000000000000"
    assert entries == [
        UnixNetEntry(zeros, 2, 0, 1 << 16, 1, UnixState.UNCONNECTED, 3442596, pg),
        UnixNetEntry(zeros, 10, 0, 1 << 16, 5, UnixState.UNCONNECTED, 10061, "/run/udev/control"),
        UnixNetEntry(zeros, 7, 0, 0, 2, UnixState.UNCONNECTED, 12392, "/dev/log"),
        UnixNetEntry(zeros, 3, 0, 0, 1, UnixState.CONNECTED, 4787297, pg),
        UnixNetEntry(zeros, 3, 0, 0, 1, UnixState.CONNECTED, 5091797, None),
    ]
    assert [e.listening for e in entries] == [True, True, False, False, False]


def test_prometheus_unix_without_inode() -> None:
    with_inode = parse_unix(sample("prometheus-fixtures/proc/net/unix"))
    without = PARSERS["net/unix"](sample("prometheus-fixtures/proc/net/unix_without_inode"))
    assert without == [entry.replace(inode=None) for entry in with_inode]


def test_dev_machine_unix_matches_ss_taken_with_it() -> None:
    """Captured with sockets named with spaces, a newline, a byte that is not UTF-8,
    abstract names (one with a NUL inside), a connected pair, and ``ss -xaneH``."""
    entries = parse_unix(sample("dev-machine/proc/net/unix"))
    theirs = ss_unix(sample("dev-machine/ss-xaneH.net-unix.txt").decode("utf-8", "replace"))
    assert {e.inode: our_key(e) for e in entries if e.inode is not None} == theirs
    by_inode = {e.inode: e for e in entries}
    base = "/tmp/pyprocfs sample/"
    listener = by_inode[297744]
    assert listener.path == base + "a b.sock"
    assert listener.listening and listener.flags == SO_ACCEPTCON
    assert listener.state is UnixState.UNCONNECTED and listener.socket_type == 1
    assert by_inode[297746].path == base + "a b.sock"  # the accepted end
    assert by_inode[297745].path is None and by_inode[297745].state is UnixState.CONNECTED
    assert by_inode[297749].path == base + "new\nline.sock"
    assert os.fsencode(by_inode[297750].path or "") == base.encode() + b"\xff bytes"
    abstract = by_inode[297747]
    assert abstract.path == "@name with space" and abstract.abstract
    assert abstract.socket_type == 2
    assert by_inode[297748].path == "@a@b"  # b"\0a\0b": every NUL shown as @
    assert by_inode[297748].socket_type == 5 and by_inode[297748].listening
    assert by_inode[1056].num == "000000000b17eead" and by_inode[1056].ref_count == 3
    assert len(entries) == 11


def test_to_dict() -> None:
    entry = parse_unix(sample("dev-machine/proc/net/unix"))[3]
    assert entry.to_dict() == {
        "num": "00000000a43cfd26",
        "ref_count": 2,
        "protocol": 0,
        "flags": 65536,
        "socket_type": 1,
        "state": "UNCONNECTED",
        "inode": 297744,
        "path": "/tmp/pyprocfs sample/a b.sock",
    }


HEADER = b"Num       RefCount Protocol Flags    Type St Inode Path\n"


def row(tail: bytes) -> bytes:
    return b"0000000000000000: 00000002 00000000 00000000 0001 01 " + tail + b"\n"


def test_paths_keep_their_spaces() -> None:
    (lead, trail, only) = parse_unix(HEADER + row(b"77  two  spaces") + row(b"78 x ") + row(b"79 "))
    assert lead.path == " two  spaces"  # one space separates the inode from the path
    assert trail.path == "x "
    assert only.path == ""


def test_newline_paths_continue_until_an_entry() -> None:
    data = HEADER + row(b"5 /a\n\nb") + row(b"6 /c\n0000: 1 2") + row(b"7")
    first, second, third = parse_unix(data)
    assert first.path == "/a\n\nb"
    assert second.path == "/c\n0000: 1 2"  # not an entry: too few columns
    assert (third.inode, third.path) == (7, None)
    (last,) = parse_unix(HEADER + row(b"8 /ends with newline\n"))
    assert last.path == "/ends with newline\n"


def test_unknown_state_is_a_member_without_a_name() -> None:
    (entry,) = parse_unix(HEADER + row(b"9").replace(b" 01 ", b" 09 "))
    assert entry.state == 9 and type(entry.state) is UnixState and entry.state.name is None
    assert entry.to_dict()["state"] == 9


@pytest.mark.parametrize(
    ("data", "lineno"),
    [
        (b"", None),
        (b"Inode Path\n", 1),
        (HEADER + b"0000000000000000: 00000002 00000000\n", 2),
        (HEADER + row(b"x"), 2),
        (HEADER + row(b"12").replace(b"0001", b"zz01"), 2),
        (HEADER + row(b"12").replace(b"0000000000000000:", b"0000000000000000"), 2),
        (HEADER + row(b"12") + b"junk\n", 3),  # no path to continue
        (HEADER + row(b"-12"), 2),
    ],
)
def test_bad_tables(data: bytes, lineno: int | None) -> None:
    with pytest.raises(ParseError) as info:
        parse_unix(data, path="/x/net/unix")
    assert info.value.lineno == lineno
    assert info.value.path == "/x/net/unix"


# -- live -----------------------------------------------------------------------------------


@pytest.fixture
def bound(tmp_path: Path) -> Iterator[dict[int, tuple[socket.socket, int, str | None]]]:
    """Unix sockets of this process: inode -> (socket, type, path as /proc shows it)."""
    directory = tmp_path / "dir with space"
    directory.mkdir()
    made: dict[int, tuple[socket.socket, int, str | None]] = {}
    tag = f"pyprocfs {os.getpid()}"

    def add(sock: socket.socket, path: str | None) -> None:
        made[os.fstat(sock.fileno()).st_ino] = (sock, sock.type, path)

    try:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(directory / "a b.sock"))
        listener.listen(1)
        add(listener, str(directory / "a b.sock"))
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(str(directory / "a b.sock"))
        add(client, None)
        server, _ = listener.accept()
        add(server, str(directory / "a b.sock"))
        abstract = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        abstract.bind(f"\0{tag} name with space".encode())
        add(abstract, f"@{tag} name with space")
        newline = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        newline.bind(str(directory / "new\nline"))
        add(newline, str(directory / "new\nline"))
        yield made
    finally:
        for sock, _, _ in made.values():
            sock.close()


def test_live_sockets_are_listed(bound: dict[int, tuple[socket.socket, int, str | None]]) -> None:
    entries = {e.inode: e for e in procfs.unix()}
    for inode, (_sock, kind, path) in bound.items():
        entry = entries[inode]
        assert entry.path == path
        assert entry.socket_type == int(kind)
        assert entry.abstract == (path is not None and path.startswith("@"))
    listener, client, server, abstract, newline = (entries[inode] for inode in bound)
    assert listener.listening and listener.state is UnixState.UNCONNECTED
    assert client.state is UnixState.CONNECTED and not client.listening
    assert server.state is UnixState.CONNECTED and server.path == listener.path
    assert abstract.state is UnixState.UNCONNECTED
    assert newline.path is not None and "\n" in newline.path


@needs_ss
def test_live_sockets_match_ss(bound: dict[int, tuple[socket.socket, int, str | None]]) -> None:
    assert SS is not None
    for _attempt in range(3):
        before = {e.inode: our_key(e) for e in procfs.unix() if e.inode is not None}
        text = subprocess.run([SS, "-xanH"], capture_output=True, check=True).stdout
        theirs = ss_unix(text.decode("utf-8", "replace"))
        after = {e.inode: our_key(e) for e in procfs.unix() if e.inode is not None}
        stable = {inode: key for inode, key in before.items() if after.get(inode) == key}
        if all(theirs.get(inode, key) == key for inode, key in stable.items()):
            break
    else:
        pytest.fail("/proc/net/unix and ss disagree")
    for inode in bound:
        assert theirs[inode] == stable[inode]
    assert len(set(stable) & set(theirs)) >= 0.8 * len(theirs)


def test_live_owners_are_this_process(
    bound: dict[int, tuple[socket.socket, int, str | None]],
) -> None:
    rows = procfs.sockets_with_owners(tables=["unix"])
    mine = {row.entry.inode: row for row in rows if row.entry.inode in bound}
    assert set(mine) == set(bound)
    for inode, (sock, _, _) in bound.items():
        assert mine[inode].proto == "unix"
        assert (os.getpid(), sock.fileno()) in [(o.pid, o.fd) for o in mine[inode].owners]
    owners = procfs.socket_owners(inodes=bound)
    assert {inode: pairs[0][0] for inode, pairs in owners.items()} == dict.fromkeys(
        bound, os.getpid()
    )


def test_captured_tree(tmp_path: Path) -> None:
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "unix").write_bytes(sample("dev-machine/proc/net/unix"))
    assert procfs.ProcFS(tmp_path).unix() == parse_unix(sample("dev-machine/proc/net/unix"))


def test_blank_lines_in_paths_keep_their_spaces() -> None:
    (entry,) = parse_unix(HEADER + row(b"5 /a\n  \nb"))
    assert entry.path == "/a\n  \nb"
    (entry,) = parse_unix(HEADER + row(b"6") + b"\n  \n")  # no path to continue: ignored
    assert entry.path is None
