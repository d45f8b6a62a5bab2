"""Sockets on the live system, their owners, and ``procfs netstat``, checked against ``ss``."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import procfs
import procfs._fs
import procfs.cli.aside
import procfs.net
from procfs import ProcFS
from procfs.cli import main as cli_main
from procfs.cli.netstat import main as netstat_main
from procfs.core.net import (
    RawNetEntry,
    SocketAddress,
    TcpNetEntry,
    TcpState,
    UdpNetEntry,
    parse_inet_table,
    parse_tcp_table,
)
from procfs.errors import NotFoundError, ParseError
from tests.conftest import sample
from tests.helpers import NOBODY, run_as

SS = shutil.which("ss")
needs_ss = pytest.mark.skipif(SS is None, reason="ss (iproute2) is not installed")

# ss's state names -> the kernel's (and TcpState's)
SS_STATES = {
    "ESTAB": "ESTABLISHED",
    "SYN-SENT": "SYN_SENT",
    "SYN-RECV": "SYN_RECV",
    "FIN-WAIT-1": "FIN_WAIT1",
    "FIN-WAIT-2": "FIN_WAIT2",
    "TIME-WAIT": "TIME_WAIT",
    "UNCONN": "CLOSE",
    "CLOSE-WAIT": "CLOSE_WAIT",
    "LAST-ACK": "LAST_ACK",
    "LISTEN": "LISTEN",
    "CLOSING": "CLOSING",
}

Key = tuple[str, str, str]  # (state name, local "ip:port", remote "ip:port")


# -- independent views: the socket module, ss, ps -----------------------------------


def sockname(address: tuple[object, ...]) -> str:
    """``ip:port`` / ``[ip]:port`` from a socket module address tuple."""
    host, port = str(address[0]), int(str(address[1]))
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def ss_address(token: str) -> str:
    """An ss address (``*:22``, ``[::1]:22``, ``0.0.0.0:*``, ``[fe80::1]%lo:22``) as ours."""
    host, _, port = token.rpartition(":")
    if port == "*":
        port = "0"
    host = host.split("%")[0]
    if host == "*":  # ss shows the IPv6 "any" address of a dual-stack socket as *
        host = "[::]"
    return f"{host}:{port}"


def ss_rows(text: str) -> list[list[str]]:
    return [row.split() for row in text.splitlines() if row.strip()]


def ss_keys(text: str) -> set[Key]:
    return {(SS_STATES[r[0]], ss_address(r[3]), ss_address(r[4])) for r in ss_rows(text)}


def run_ss(*flags: str) -> str:
    assert SS is not None
    return subprocess.run([SS, *flags], capture_output=True, text=True, check=True).stdout


def ss_users(text: str) -> dict[int, set[tuple[int, int]]]:
    """inode -> {(pid, fd)} from ``ss -tanpeH`` (``users:(("x",pid=1,fd=3),...)`` and ``ino:N``)."""
    out: dict[int, set[tuple[int, int]]] = {}
    for line in text.splitlines():
        if "ino:" not in line:
            continue
        inode = int(line.split("ino:")[1].split()[0])
        pairs = set()
        for chunk in line.split("pid=")[1:]:
            pid, _, rest = chunk.partition(",fd=")
            pairs.add((int(pid), int(rest.split(")")[0])))
        out[inode] = pairs
    return out


def ps_comm(pid: int) -> str:
    result = subprocess.run(["ps", "-o", "comm=", "-p", str(pid)], capture_output=True, text=True)
    if result.returncode != 0 or not result.stdout.strip():
        pytest.skip("ps is not available")
    return result.stdout.strip()


def json_key(row: dict[str, object]) -> Key:
    def text(address: object) -> str:
        assert isinstance(address, dict)
        ip, port = address["ip"], address["port"]
        return f"[{ip}]:{port}" if ":" in str(ip) else f"{ip}:{port}"

    return (str(row["state"]), text(row["local_address"]), text(row["remote_address"]))


# -- sockets made by the test ------------------------------------------------------------


class Own:
    """Sockets this test process holds, with what each should look like."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.expected: dict[int, tuple[str, Key]] = {}  # inode -> (proto, key)
        self.ipv6 = False

    def add(self, sock: socket.socket, proto: str, state: str) -> socket.socket:
        self.sockets.append(sock)
        local = sockname(sock.getsockname())
        if state == "LISTEN":
            remote = "[::]:0" if sock.family == socket.AF_INET6 else "0.0.0.0:0"
        else:
            remote = sockname(sock.getpeername())
        self.expected[os.fstat(sock.fileno()).st_ino] = (proto, (state, local, remote))
        return sock

    def pair(self, family: socket.AddressFamily, host: str, proto: str) -> socket.socket:
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.bind((host, 0))
        listener.listen(8)
        self.add(listener, proto, "LISTEN")
        port = listener.getsockname()[1]
        client = socket.create_connection((host, port))
        self.add(client, proto, "ESTABLISHED")
        server, _ = listener.accept()
        self.add(server, proto, "ESTABLISHED")
        return listener

    def keys(self) -> set[Key]:
        return {key for _, key in self.expected.values()}

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()


@pytest.fixture
def own() -> Iterator[Own]:
    made = Own()
    try:
        made.pair(socket.AF_INET, "127.0.0.1", "tcp")
        try:
            probe = socket.socket(socket.AF_INET6)
            probe.bind(("::1", 0))
            probe.close()
            made.ipv6 = True
        except OSError:
            pass
        if made.ipv6:
            made.pair(socket.AF_INET6, "::1", "tcp6")
            # an IPv6 listener reached over IPv4: IPv4-mapped addresses in net/tcp6
            mapped = socket.socket(socket.AF_INET6)
            mapped.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            mapped.bind(("::ffff:127.0.0.1", 0))
            mapped.listen(8)
            made.add(mapped, "tcp6", "LISTEN")
            client = socket.create_connection(("127.0.0.1", mapped.getsockname()[1]))
            made.add(client, "tcp", "ESTABLISHED")
            server, _ = mapped.accept()
            made.add(server, "tcp6", "ESTABLISHED")
        yield made
    finally:
        made.close()


def entry_key(entry: TcpNetEntry) -> Key:
    return (TcpState(entry.state).name, str(entry.local_address), str(entry.remote_address))


# -- the API on the live system -----------------------------------------------------------


def test_tables_show_own_sockets(own: Own) -> None:
    by_inode = {e.inode: ("tcp", e) for e in procfs.tcp()}
    if own.ipv6:
        by_inode.update({e.inode: ("tcp6", e) for e in procfs.tcp6()})
    assert len(own.expected) >= 3
    for inode, (proto, key) in own.expected.items():
        found_proto, entry = by_inode[inode]
        assert found_proto == proto
        assert entry_key(entry) == key
        assert entry.uid == os.geteuid()
    if own.ipv6:
        mapped = [e for _, e in by_inode.values() if e.local_address.ip == "::ffff:127.0.0.1"]
        assert mapped and all(e.local_address.family == 6 for e in mapped)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch users")
def test_uid_and_hidden_owners_for_another_user(own: Own) -> None:
    root_inode = next(iter(own.expected))

    def as_nobody() -> object:
        own.close()  # this forked child inherited them; the parent keeps its own
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            sock.listen(1)
            inode = os.fstat(sock.fileno()).st_ino
            uid = {e.inode: e.uid for e in procfs.tcp()}[inode]
            owners = procfs.socket_owners()  # root's descriptors are unreadable: skipped silently
            return uid, owners.get(inode), root_inode in owners, os.getpid(), sock.fileno()

    result = run_as(NOBODY, NOBODY, as_nobody)
    assert isinstance(result, tuple)
    uid, mine, sees_root, pid, fd = result
    assert uid == NOBODY
    assert mine == [(pid, fd)]
    assert sees_root is False


def test_socket_owners_finds_own_descriptors(own: Own) -> None:
    everything = procfs.socket_owners()
    me = os.getpid()
    for sock in own.sockets:
        inode = os.fstat(sock.fileno()).st_ino
        assert (me, sock.fileno()) in everything[inode]
    first = own.sockets[0]
    inode = os.fstat(first.fileno()).st_ino
    assert procfs.ProcFS().socket_owners({inode}) == {inode: [(me, first.fileno())]}
    assert procfs.socket_owners(set()) == {}
    assert procfs.socket_owners({2**62}) == {}


def test_shared_socket_lists_every_holder(own: Own) -> None:
    listener = own.sockets[0]
    fd = listener.fileno()
    inode = os.fstat(fd).st_ino
    code = "import sys; sys.stdout.write('ready\\n'); sys.stdout.flush(); sys.stdin.read()"
    with subprocess.Popen(
        [sys.executable, "-c", code], pass_fds=[fd], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline() == b"ready\n"
        expected = {(os.getpid(), fd), (holder.pid, fd)}
        assert set(procfs.socket_owners()[inode]) == expected
        if SS is not None:
            assert ss_users(run_ss("-tanpeH"))[inode] == expected
        holder.stdin.close()


@needs_ss
def test_owners_agree_with_ss(own: Own) -> None:
    """Every socket inode both see has the same holders (allowing a few that changed)."""
    for _attempt in range(3):
        ours = procfs.socket_owners()
        theirs = ss_users(run_ss("-tanpeH"))
        again = procfs.socket_owners()
        common = [i for i in theirs if i and theirs[i] and ours.get(i) == again.get(i)]
        differ = [i for i in common if set(ours.get(i, [])) != theirs[i]]
        if not differ:
            break
    else:
        pytest.fail(f"owners differ from ss for inodes {differ}")
    for inode in own.expected:
        assert inode in common


# -- reading descriptors by number (Linux 6.2 onward) or by listing ----------------------


def own_sockets_with_a_gap() -> tuple[list[socket.socket], dict[int, list[tuple[int, int]]]]:
    """Three sockets of this process, the middle descriptor closed: a gap in the numbers."""
    made = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(3)]
    made[1].close()
    kept = [made[0], made[2]]
    me = os.getpid()
    return kept, {os.fstat(s.fileno()).st_ino: [(me, s.fileno())] for s in kept}


def listed_owners(pid: int) -> dict[int, list[tuple[int, int]]]:
    """The sockets of ``pid`` by listing its fd directory and reading each link."""
    out: dict[int, list[tuple[int, int]]] = {}
    for name in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/{pid}/fd/{name}")
            if target.startswith("socket:["):
                out.setdefault(int(target[8:-1]), []).append((pid, int(name)))
    return out


def test_sizes_count_descriptors_on_procfs_only(tmp_path: Path) -> None:
    root = os.open("/proc", os.O_RDONLY | os.O_DIRECTORY)
    try:
        counts = procfs._fs.counts_descriptors(root)
    finally:
        os.close(root)
    release = tuple(int(part) for part in os.uname().release.split(".")[:2] if part.isdigit())
    if release >= (6, 2):
        assert counts  # the kernel reports the number of descriptors as the size
    make_tree(tmp_path)
    tree = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        assert not procfs._fs.counts_descriptors(tree)
    finally:
        os.close(tree)


@pytest.mark.parametrize("sizes", ["kernel", "none", "too big", "zero after a listing"])
def test_socket_owners_with_or_without_descriptor_counts(
    sizes: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the sizes say, the owners found are those a listing finds."""
    kept, expected = own_sockets_with_a_gap()
    try:
        real_fstat = os.fstat

        class Sized:
            def __init__(self, st: os.stat_result, size: int) -> None:
                self.st_size = size
                self.st_ino = st.st_ino
                self.st_blksize = st.st_blksize

        def fake_fstat(fd: int) -> object:
            st = real_fstat(fd)
            if sizes == "none":
                return Sized(st, 0)
            if sizes == "too big":
                return Sized(st, st.st_size + 5)
            return st

        if sizes != "kernel":
            monkeypatch.setattr(procfs._fs, "_fstat", fake_fstat)
        if sizes == "too big":  # every process has "more" descriptors than it lists
            monkeypatch.setattr(procfs._fs, "counts_descriptors", lambda fd: True)
        if sizes == "zero after a listing":  # an old kernel taken for a new one
            monkeypatch.setattr(procfs._fs, "counts_descriptors", lambda fd: True)
            monkeypatch.setattr(procfs._fs, "_fstat", lambda fd: Sized(real_fstat(fd), 0))
        me = os.getpid()
        assert procfs.socket_owners(set(expected)) == expected
        everything = procfs.socket_owners()
        mine = {i: [p for p in pairs if p[0] == me] for i, pairs in everything.items()}
        assert {i: pairs for i, pairs in mine.items() if pairs} == listed_owners(me)
    finally:
        for sock in kept:
            sock.close()


def test_denied_descriptors_skip_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    kept, expected = own_sockets_with_a_gap()
    reads: list[str] = []
    real_readlink = os.readlink

    def denied(name: str, *, dir_fd: int) -> str:
        reads.append(name)
        raise PermissionError(13, "Permission denied")

    try:
        monkeypatch.setattr(procfs._fs, "_readlink", denied)
        assert procfs.socket_owners(set(expected)) == {}
        opened = len([n for n in os.listdir("/proc") if n.isdecimal()])
        # one refused link per process (a few may start meanwhile), not one per descriptor
        assert len(reads) <= opened + 20
        monkeypatch.setattr(procfs._fs, "_readlink", real_readlink)
        assert procfs.socket_owners(set(expected)) == expected
    finally:
        for sock in kept:
            sock.close()


def test_table_fields_give_the_records_values(own: Own) -> None:
    fields = ("inode", "state", "local_address", "remote_address", "uid", "tx_queue")
    rows = procfs.table_fields("tcp", fields)
    entries = procfs.tcp()
    # the same sockets as a reading just after; ours among them, as made
    assert {row[0] for row in rows} & {e.inode for e in entries} >= {
        inode for inode, (proto, _) in own.expected.items() if proto == "tcp"
    }
    by_inode = {e.inode: tuple(getattr(e, f) for f in fields) for e in entries}
    for inode, (proto, key) in own.expected.items():
        if proto == "tcp":
            row = next(row for row in rows if row[0] == inode)
            assert row == by_inode[inode]
            assert (TcpState(row[1]).name, str(row[2]), str(row[3])) == key
            assert row[4] == os.geteuid()
    if own.ipv6:
        six = procfs.table_fields("tcp6", ("inode", "extra"))
        assert {inode for inode, (proto, _) in own.expected.items() if proto == "tcp6"} <= {
            row[0] for row in six
        }
        assert all(type(extra) is tuple for _, extra in six)


def test_table_fields_of_the_unix_table(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(tmp_path / "s.sock"))
        listener.listen(1)
        inode = os.fstat(listener.fileno()).st_ino
        rows = procfs.table_fields("unix", ("inode", "path", "flags"))
        (entry,) = [e for e in procfs.unix() if e.inode == inode]
    assert (inode, str(tmp_path / "s.sock"), entry.flags) in rows
    assert entry.flags & (1 << 16)  # SO_ACCEPTCON: a listener


def test_table_fields_refuse_unknown_tables_and_fields() -> None:
    with pytest.raises(ValueError, match="unknown socket table 'tcp7'"):
        procfs.table_fields("tcp7", ("inode",))
    with pytest.raises(ValueError, match="TcpNetEntry has no field 'path'"):
        procfs.table_fields("tcp", ("path",))
    with pytest.raises(ValueError, match="UnixNetEntry has no field 'state_name'"):
        procfs.table_fields("unix", ("inode", "state_name"))
    with pytest.raises(TypeError, match="not the string"):
        procfs.table_fields("tcp", "inode")


def test_table_fields_in_a_captured_tree(tmp_path: Path) -> None:
    fs = make_tree(tmp_path)
    rows = fs.table_fields("tcp", ("inode", "local_address"))
    # "0: 0100007F:8555 ... 11270" and "1: 00000000:07E8 ... 640", worked out by hand
    assert rows[:2] == [
        (11270, SocketAddress("127.0.0.1", 34133)),
        (640, SocketAddress("0.0.0.0", 2024)),
    ]
    assert len(rows) == 10
    with pytest.raises(NotFoundError):
        fs.table_fields("tcp6", ("inode",))
    (tmp_path / "net" / "tcp").write_bytes(sample("dev-machine/proc/net/tcp")[:200] + b"\n 9: x\n")
    with pytest.raises(ParseError) as caught:
        fs.table_fields("tcp", ("inode",))
    assert caught.value.path == f"{tmp_path}/net/tcp"
    assert caught.value.lineno is not None


# -- fake trees: deterministic owners, captured-tree links, early stop ---------------------


def make_tree(root: Path) -> ProcFS:
    if sys.byteorder != "little":
        pytest.skip("the sample tables come from a little-endian machine")
    (root / "net").mkdir()
    (root / "net" / "tcp").write_bytes(sample("dev-machine/proc/net/tcp"))
    for pid, comm in ((1, b"server\n"), (2, b"worker\n")):
        (root / str(pid) / "fd").mkdir(parents=True)
        (root / str(pid) / "comm").write_bytes(comm)
    os.symlink("socket:[11270]", root / "1" / "fd" / "3")
    os.symlink("/dev/null", root / "1" / "fd" / "4")
    os.symlink("pipe:[77]", root / "1" / "fd" / "5")
    (root / "2" / "fd" / "5").write_bytes(b"socket:[11270]\n")  # a link stored as a file
    os.symlink("socket:[11272]", root / "2" / "fd" / "6")
    os.symlink("socket:[oops]", root / "2" / "fd" / "7")
    (root / "3").mkdir()  # no fd directory: skipped
    (root / "4" / "fd").mkdir(parents=True)
    (root / "5" / "fd").mkdir(parents=True)
    os.symlink("socket:[999]", root / "5" / "fd" / "0")
    os.symlink("1", root / "self")
    return ProcFS(root)


def test_socket_owners_in_a_captured_tree(tmp_path: Path) -> None:
    fs = make_tree(tmp_path)
    found = {inode: sorted(pairs) for inode, pairs in fs.socket_owners().items()}
    assert found == {11270: [(1, 3), (2, 5)], 11272: [(2, 6)], 999: [(5, 0)]}
    assert fs.socket_owners([11272]) == {11272: [(2, 6)]}


def test_lowest_owners_are_the_lowest_pids_socket_owners_find(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own: Own
) -> None:

    inodes = set(own.expected)
    pairs = procfs.socket_owners(inodes)
    assert ProcFS().lowest_socket_owners(inodes) == {i: min(p)[0] for i, p in pairs.items()}
    assert set(pairs) == inodes and {min(p)[0] for p in pairs.values()} == {os.getpid()}
    fs = make_tree(tmp_path)
    expected = {11270: 1, 11272: 2, 999: 5}  # 11270 is held by pids 1 and 2
    real = os.listdir
    for reverse, first in ((False, 1), (True, 2)):
        monkeypatch.setattr(procfs._fs, "_listdir", lambda p, r=reverse: sorted(real(p), reverse=r))
        assert fs.lowest_socket_owners([11270, 11272, 999, 4242]) == expected  # 4242: no early stop
        # every holder, whatever the order; stopped early, the lowest mode gives the
        # first owner found (in /proc: the lowest pid)
        assert sorted(fs.socket_owners([11270])[11270]) == [(1, 3), (2, 5)]
        assert fs.lowest_socket_owners([11270]) == {11270: first}


def test_lowest_socket_owners_stops_once_all_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fs = make_tree(tmp_path)
    original_listdir, original_readlink = os.listdir, os.readlink
    reads: list[str] = []

    def sorted_listdir(path: int) -> list[str]:
        return sorted(original_listdir(path))

    def counting_readlink(name: str, *, dir_fd: int) -> str:
        reads.append(name)
        return original_readlink(name, dir_fd=dir_fd)

    monkeypatch.setattr(procfs._fs, "_listdir", sorted_listdir)
    monkeypatch.setattr(procfs._fs, "_readlink", counting_readlink)
    assert fs.lowest_socket_owners({11270}) == {11270: 1}
    assert sorted(reads) == ["3", "4", "5"]  # process 1 only
    reads.clear()
    assert fs.lowest_socket_owners({11272}) == {11272: 2}
    assert len(reads) == 6  # processes 1 and 2, nothing after
    reads.clear()
    # every holder: no early stop (11270 is held by processes 1 and 2)
    assert fs.socket_owners({11270}) == {11270: [(1, 3), (2, 5)]}
    assert len(reads) == 7  # processes 1, 2 and 5


_SHOWN = ("local_address", "state", "inode")


def fields_and_owners(
    fs: ProcFS, names: list[str], fields: tuple[str, ...]
) -> tuple[list[tuple[str, list[tuple[Any, ...]]]], dict[int, int]]:
    """The tables and owners as ``procfs netstat`` reads them: the tables while the scan runs."""
    from procfs.cli.owners import OwnerScan

    with OwnerScan(fs) as scan:
        tables = fs.socket_table_fields(names, fields)
        return tables, scan.owners()


class Aside:
    """Watches procfs.cli.owners.OwnerScan: children forked, scans run in this process."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fork: bool, child: str = "scans") -> None:
        self.parent = os.getpid()
        self.children: list[int] = []
        self.scans_here = 0
        real_fork, real_scan = os.fork, ProcFS.lowest_socket_owners

        def counting_fork() -> int:
            if child == "cannot start":
                raise BlockingIOError(11, "Resource temporarily unavailable")
            pid = real_fork()
            if pid:
                self.children.append(pid)
            return pid

        def owners_scan(*args: Any, **kwargs: Any) -> Any:
            if os.getpid() == self.parent:
                self.scans_here += 1
            elif child == "fails":
                raise NotFoundError("the child's scan failed")
            return real_scan(*args, **kwargs)

        monkeypatch.setattr(procfs.cli.aside, "may_fork", lambda: fork)
        monkeypatch.setattr(os, "fork", counting_fork)
        monkeypatch.setattr(ProcFS, "lowest_socket_owners", owners_scan)

    def check(self, children: int, scans_here: int) -> None:
        assert (len(self.children), self.scans_here) == (children, scans_here)
        for pid in self.children:  # reaped
            with pytest.raises(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


@pytest.mark.parametrize(
    ("fork", "child", "children", "scans_here"),
    [
        (False, "", 0, 1),  # one CPU, or threads: the scan runs here
        (True, "scans", 1, 0),
        (True, "fails", 1, 1),  # then the scan runs here
        (True, "cannot start", 0, 1),
    ],
)
def test_fields_and_owners_in_a_captured_tree(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fork: bool,
    child: str,
    children: int,
    scans_here: int,
) -> None:
    fs = make_tree(tmp_path)  # no net/tcp6: left out
    aside = Aside(monkeypatch, fork, child)
    tables, owners = fields_and_owners(fs, ["tcp", "tcp6"], _SHOWN)
    aside.check(children, scans_here)
    entries = parse_tcp_table(sample("dev-machine/proc/net/tcp"))
    assert tables == [("tcp", [(e.local_address, e.state, e.inode) for e in entries])]
    # every socket any process holds, with the lowest pid (11270: pids 1 and 2)
    assert owners == {11270: 1, 11272: 2, 999: 5}


def test_fields_and_owners_with_sigchld_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    fs = make_tree(tmp_path)
    for child, scans_here in (("scans", 0), ("fails", 1)):
        aside = Aside(monkeypatch, True, child)
        previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reap themselves
        try:
            assert fields_and_owners(fs, ["tcp"], ("inode",))[1] == {11270: 1, 11272: 2, 999: 5}
        finally:
            signal.signal(signal.SIGCHLD, previous)
        aside.check(1, scans_here)


@pytest.mark.parametrize("fork", [False, True])
def test_fields_and_owners_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork: bool
) -> None:
    fs = make_tree(tmp_path)
    aside = Aside(monkeypatch, fork)
    for names, fields in ((["tcp", "nonsense"], _SHOWN), (["tcp"], ("inode", "nonsense"))):
        with pytest.raises(ValueError):
            fields_and_owners(fs, names, fields)
    with pytest.raises(NotFoundError):
        fields_and_owners(fs, ["tcp6", "udp"], _SHOWN)  # net/udp is missing
    table = sample("dev-machine/proc/net/tcp")[:300] + b"\n 9: x\n"
    (tmp_path / "net" / "tcp").write_bytes(table)
    with pytest.raises(ParseError) as caught:
        fields_and_owners(fs, ["tcp"], _SHOWN)
    assert caught.value.path == f"{tmp_path}/net/tcp" and caught.value.lineno is not None
    aside.check(4 if fork else 0, 0)  # each child ended and reaped, no scan here


def test_the_scanning_child_holds_none_of_the_parents_descriptors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from procfs.cli.owners import _scan_aside

    def open_descriptors(*args: Any, **kwargs: Any) -> dict[int, int]:
        return {int(fd): 0 for fd in os.listdir("/proc/self/fd")}

    monkeypatch.setattr(ProcFS, "lowest_socket_owners", open_descriptors)
    with socket.socket() as held:
        collect = _scan_aside(ProcFS())
        assert collect is not None
        seen = collect(False)
        assert seen is not None
        # the pipe to the parent, and the listing's own descriptor
        assert len(seen) == 2 and held.fileno() not in seen


def test_fields_and_owners_on_the_live_system(own: Own, monkeypatch: pytest.MonkeyPatch) -> None:
    for fork in (False, True):
        aside = Aside(monkeypatch, fork)
        tables, owners = fields_and_owners(ProcFS(), ["tcp", "tcp6"], ("local_address", "inode"))
        aside.check(int(fork), int(not fork))
        rows = {inode: str(local) for _, found in tables for local, inode in found}
        for inode, (_, (_, local, _)) in own.expected.items():
            assert rows[inode] == local
            assert owners[inode] == os.getpid()
        # the same owners as the scan for those sockets only
        assert {i: owners[i] for i in own.expected} == procfs.ProcFS().lowest_socket_owners(
            own.expected
        )


def test_netstat_scans_in_a_child_where_it_may(tmp_path: Path) -> None:
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one CPU: the scan runs in the process")
    make_tree(tmp_path)
    code = (
        "import os, sys\n"
        "forks = []\n"
        "real = os.fork\n"
        "os.fork = lambda: forks.append(1) or real()\n"
        "from procfs.cli import main\n"
        f"status = main(['netstat', '--root', {str(tmp_path)!r}])\n"
        "threads = 'threading' in sys.modules\n"
        "sys.stderr.write(f'{status} {len(forks)} {threads}')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr == "0 1 False"
    assert " 1/server" in result.stdout and " 2/worker" in result.stdout


def test_tcp_with_owners_in_a_captured_tree(tmp_path: Path) -> None:
    fs = make_tree(tmp_path)  # no net/tcp6: no IPv6 sockets, not an error
    rows = fs.tcp_with_owners()
    entries = parse_tcp_table(sample("dev-machine/proc/net/tcp"))
    assert [row.entry for row in rows] == entries
    assert {row.proto for row in rows} == {"tcp"}
    owned = {row.entry.inode: row for row in rows if row.owners}
    assert set(owned) == {11270, 11272}
    assert [(o.pid, o.fd, o.comm) for o in owned[11270].owners] == [
        (1, 3, "server"),
        (2, 5, "worker"),
    ]
    assert owned[11272].pid == 2 and owned[11272].program == "worker"
    assert all(row.pid is None and row.program is None for row in rows if not row.owners)
    assert fs.tcp_with_owners(ipv4=False) == []


def test_netstat_on_a_captured_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(tmp_path)
    assert netstat_main(["--root", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    # net-tools' header, without the User column of -e
    header = "Proto Recv-Q Send-Q Local Address           Foreign Address         State       "
    assert lines[0] == header + "Inode      PID/Program name"
    rows = [line.split() for line in lines[1:]]
    assert len(rows) == 10
    assert rows[0] == [
        "tcp",
        "1",
        "0",
        "127.0.0.1:34133",
        "0.0.0.0:*",
        "LISTEN",
        "11270",
        "1/server",
    ]
    assert rows[8][5:] == ["ESTABLISHED", "11272", "2/worker"]
    assert rows[4][5:] == ["TIME_WAIT", "0", "-"]
    assert netstat_main(["--root", str(tmp_path), "-l", "-4"]) == 0
    listening = capsys.readouterr().out.splitlines()[1:]
    assert [line.split()[3] for line in listening] == ["127.0.0.1:34133", "0.0.0.0:2024"]
    assert netstat_main(["--root", str(tmp_path), "-6"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == []


def test_sample_tables_match_ss_taken_with_them() -> None:
    """The dev-machine capture against ``ss -tanH`` run at the same moment."""
    entries = parse_tcp_table(sample("dev-machine/proc/net/tcp"), "little")
    entries += parse_tcp_table(sample("dev-machine/proc/net/tcp6"), "little")
    ours = {entry_key(e) for e in entries}
    assert ours == ss_keys(sample("dev-machine/ss-tanH.net-tcp.txt").decode())


# -- the command ----------------------------------------------------------------------


def netstat_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert cli_main(["netstat", *argv]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert isinstance(rows, list)
    return rows


def netstat_json_subprocess(*argv: str) -> list[dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-m", "procfs", "netstat", *argv],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


@needs_ss
def test_netstat_json_matches_ss(own: Own, capsys: pytest.CaptureFixture[str]) -> None:
    for _attempt in range(3):
        first = {json_key(r) for r in netstat_json_subprocess("--json")}
        theirs = ss_keys(run_ss("-tanH"))
        second = {json_key(r) for r in netstat_json(["--json"], capsys)}
        stable = first & second
        # what both our runs saw existed while ss ran; ss saw nothing we never saw; and
        # most sockets lived through the three runs (else another program's thousands
        # of connections came or went meanwhile: try again)
        if stable <= theirs and theirs <= first | second and len(stable) >= 0.8 * len(theirs):
            break
    else:
        pytest.fail(
            f"ours only: {stable - theirs}; ss only: {theirs - (first | second)};"
            f" {len(stable)} of {len(theirs)} sockets steady"
        )
    assert own.keys() <= stable


def test_netstat_json_rows(own: Own, capsys: pytest.CaptureFixture[str]) -> None:
    comm = ps_comm(os.getpid())
    for rows in (netstat_json(["--json"], capsys), netstat_json_subprocess("--json")):
        by_inode = {row["inode"]: row for row in rows}
        for inode, (proto, key) in own.expected.items():
            row = by_inode[inode]
            assert row["proto"] == proto
            assert json_key(row) == key
            assert row["pid"] == os.getpid()
            assert row["program"] == comm
            assert row["uid"] == os.geteuid()
        assert all(set(row) >= {"rx_queue", "tx_queue", "extra", "pid", "program"} for row in rows)


def test_netstat_filters(own: Own, capsys: pytest.CaptureFixture[str]) -> None:
    listening = netstat_json(["--json", "-l"], capsys)
    assert listening and all(row["state"] == "LISTEN" for row in listening)
    ipv4 = netstat_json(["-4", "--json"], capsys)
    assert ipv4 and all(row["proto"] == "tcp" for row in ipv4)
    if own.ipv6:
        ipv6 = netstat_json(["--json", "-6"], capsys)
        assert ipv6 and all(row["proto"] == "tcp6" for row in ipv6)
        both = netstat_json(["--json", "-tanpe", "-4", "-6"], capsys)
        assert len(both) >= len(ipv4) + len(ipv6) - 5  # sockets may come and go


def test_netstat_table(own: Own, capsys: pytest.CaptureFixture[str]) -> None:
    comm = ps_comm(os.getpid())
    assert netstat_main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Proto Recv-Q Send-Q Local Address")
    by_inode = {int(f[6]): f for f in (line.split() for line in lines[1:])}
    for inode, (proto, (state, local, remote)) in own.expected.items():
        fields = by_inode[inode]
        if remote.endswith(":0"):
            remote = remote[:-1] + "*"
        assert fields == [
            proto,
            "0",
            "0",
            local,
            remote,
            state,
            str(inode),
            f"{os.getpid()}/{comm}",
        ]


def test_netstat_help_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert netstat_main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: procfs netstat")
    assert netstat_main(["--bogus"]) == 2
    assert "unknown option --bogus" in capsys.readouterr().err
    assert netstat_main(["extra"]) == 2


def test_netstat_errors_are_reported_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing"
    assert netstat_main(["--root", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("procfs netstat: ") and "missing" in err
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "tcp").write_bytes(b"not a socket table\n")
    assert netstat_main(["--root", str(tmp_path)]) == 1
    assert "procfs netstat: " in capsys.readouterr().err
    result = subprocess.run(
        [sys.executable, "-m", "procfs", "netstat", "--root", str(missing)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.startswith("procfs netstat: ")


def test_tables_longer_than_a_page_are_read_whole() -> None:
    """The socket tables come in page-sized reads; none may be lost between them."""
    many = []
    try:
        for _ in range(120):  # 150 bytes a line: about five pages
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sock.listen(1)
            many.append(sock)
        inodes = {os.fstat(s.fileno()).st_ino for s in many}
        listed = procfs.tcp()
        assert inodes <= {e.inode for e in listed}
        with open("/proc/net/tcp", "rb") as f:  # Python's own read, to the end
            assert len(f.read().splitlines()) - 1 >= len(inodes)
    finally:
        for sock in many:
            sock.close()


def test_captured_table_longer_than_a_read(tmp_path: Path) -> None:
    data = sample("dev-machine/proc/net/tcp")
    header, _, body = data.partition(b"\n")
    big = header + b"\n" + body * 200  # about 300 kB: several reads of a regular file
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "tcp").write_bytes(big)
    assert ProcFS(tmp_path).tcp() == parse_tcp_table(big)
    assert len(parse_tcp_table(big)) == 2000


_ODD_CHILD = """\
import socket, sys
with open("/proc/self/comm", "wb") as f:
    f.write(b"odd\\nname\\xff")
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
sock.listen(1)
sys.stdout.write(f"{sock.getsockname()[1]}\\n")
sys.stdout.flush()
sys.stdin.read()
"""


def test_program_names_are_decoded_and_shown_safely(capsys: pytest.CaptureFixture[str]) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", _ODD_CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as child:
        assert child.stdout is not None and child.stdin is not None
        port = int(child.stdout.readline())
        rows = netstat_json(["--json", "-4", "-l"], capsys)
        (row,) = [r for r in rows if r["local_address"] == {"ip": "127.0.0.1", "port": port}]
        assert row["pid"] == child.pid
        assert isinstance(row["program"], str)
        assert os.fsencode(row["program"]) == b"odd\nname\xff"
        assert netstat_main(["-4", "-l"]) == 0
        (line,) = [x for x in capsys.readouterr().out.splitlines() if f"127.0.0.1:{port} " in x]
        assert line.endswith(f" {child.pid}/odd?name?")
        child.stdin.close()


def test_netstat_imports_little() -> None:
    code = (
        "import contextlib, io, sys\n"
        "from procfs.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['netstat'])\n"
        "heavy = {'enum', 're', 'json', 'typing', 'dataclasses', 'argparse', 'socket'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# -- UDP, raw and packet sockets, and netstat -u -w -x ------------------------------------------


class Datagrams:
    """UDP (and, as root, raw and packet) sockets of this process: inode -> expectations."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.udp: dict[int, tuple[str, Key]] = {}  # inode -> (proto, (state, local, remote))
        self.raw: dict[int, tuple[str, int]] = {}  # inode -> (proto, protocol number)
        self.packet: dict[int, tuple[int, int, int]] = {}  # inode -> (type, protocol, ifindex)
        self.ipv6 = False

    def add_udp(self, sock: socket.socket, proto: str, peer: tuple[str, int] | None) -> None:
        self.sockets.append(sock)
        if peer is not None:
            sock.connect(peer)
        local = sockname(sock.getsockname())
        if peer is None:
            state = "CLOSE"
            remote = "[::]:0" if sock.family == socket.AF_INET6 else "0.0.0.0:0"
        else:
            state = "ESTABLISHED"
            remote = sockname(sock.getpeername())
        self.udp[os.fstat(sock.fileno()).st_ino] = (proto, (state, local, remote))

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()


@pytest.fixture
def datagrams() -> Iterator[Datagrams]:
    made = Datagrams()
    try:
        first = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        first.bind(("127.0.0.1", 0))
        made.add_udp(first, "udp", None)
        second = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        second.bind(("127.0.0.1", 0))
        made.add_udp(second, "udp", first.getsockname())
        second.send(b"x" * 100)  # left unread in first's receive queue
        try:
            six = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            six.bind(("::1", 0))
            made.ipv6 = True
        except OSError:
            pass
        if made.ipv6:
            made.add_udp(six, "udp6", None)
            peer = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            peer.bind(("::1", 0))
            made.add_udp(peer, "udp6", six.getsockname()[:2])
        if os.geteuid() == 0:
            raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            made.sockets.append(raw)
            made.raw[os.fstat(raw.fileno()).st_ino] = ("raw", socket.IPPROTO_ICMP)
            if made.ipv6:
                raw6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
                made.sockets.append(raw6)
                made.raw[os.fstat(raw6.fileno()).st_ino] = ("raw6", socket.IPPROTO_ICMPV6)
            lo = socket.if_nametoindex("lo")
            sniffer = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
            sniffer.bind(("lo", 0))
            made.sockets.append(sniffer)
            made.packet[os.fstat(sniffer.fileno()).st_ino] = (socket.SOCK_RAW, 0x0003, lo)
            ipv4 = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
            made.sockets.append(ipv4)
            made.packet[os.fstat(ipv4.fileno()).st_ino] = (socket.SOCK_DGRAM, 0x0800, 0)
        yield made
    finally:
        made.close()


def udp_entry_key(entry: UdpNetEntry | RawNetEntry) -> Key:
    return (TcpState(entry.state).name, str(entry.local_address), str(entry.remote_address))


def test_udp_tables_show_own_sockets(datagrams: Datagrams) -> None:
    by_inode = {e.inode: ("udp", e) for e in procfs.udp()}
    if datagrams.ipv6:
        by_inode.update({e.inode: ("udp6", e) for e in procfs.udp6()})
    for inode, (proto, key) in datagrams.udp.items():
        found_proto, entry = by_inode[inode]
        assert (found_proto, udp_entry_key(entry)) == (proto, key)
        assert entry.uid == os.geteuid()
        assert entry.drops == 0
    receiver = next(iter(datagrams.udp))
    assert by_inode[receiver][1].rx_queue > 100  # 100 bytes, plus the kernel's overhead


@needs_ss
def test_udp_tables_match_ss(datagrams: Datagrams) -> None:
    def ours() -> dict[int, tuple[Key, int]]:
        entries = procfs.udp() + (procfs.udp6() if datagrams.ipv6 else [])
        return {e.inode: (udp_entry_key(e), e.rx_queue) for e in entries}

    def theirs() -> dict[int, tuple[Key, int]]:
        out = {}
        for row in ss_rows(run_ss("-uaneH")):
            inode = int(next(f for f in row if f.startswith("ino:"))[4:])
            key = (SS_STATES[row[0]], ss_address(row[3]), ss_address(row[4]))
            out[inode] = (key, int(row[1]))
        return out

    for _attempt in range(3):
        before, ss, after = ours(), theirs(), ours()
        stable = {inode: row for inode, row in before.items() if after.get(inode) == row}
        if all(ss.get(inode, row) == row for inode, row in stable.items()):
            break
    else:
        pytest.fail(f"ours: {stable}; ss: {ss}")
    for inode, (_proto, key) in datagrams.udp.items():
        assert stable[inode][0] == key == ss[inode][0]
    receiver = next(iter(datagrams.udp))
    assert stable[receiver][1] == ss[receiver][1] > 0  # Recv-Q
    assert len(set(stable) & set(ss)) >= 0.8 * len(ss)


@pytest.mark.skipif(os.geteuid() != 0, reason="raw and packet sockets need root")
def test_raw_and_packet_tables_show_own_sockets(datagrams: Datagrams) -> None:
    raw = {e.inode: ("raw", e) for e in procfs.raw()}
    if datagrams.ipv6:
        raw.update({e.inode: ("raw6", e) for e in procfs.raw6()})
    for inode, (proto, number) in datagrams.raw.items():
        found, entry = raw[inode]
        assert (found, entry.protocol, entry.local_address.port) == (proto, number, number)
        assert entry.state is TcpState.CLOSE
    packets = {e.inode: e for e in procfs.packet()}
    for inode, (kind, protocol, ifindex) in datagrams.packet.items():
        sock = packets[inode]
        assert (sock.socket_type, sock.protocol, sock.ifindex) == (kind, protocol, ifindex)
        assert sock.running and sock.uid == 0


@needs_ss
@pytest.mark.skipif(os.geteuid() != 0, reason="raw sockets need root")
def test_raw_tables_match_ss(datagrams: Datagrams) -> None:
    for _attempt in range(3):
        entries = procfs.raw() + (procfs.raw6() if datagrams.ipv6 else [])
        ours = {udp_entry_key(e) for e in entries}
        theirs = {
            (SS_STATES[r[0]], ss_address(r[3]), ss_address(r[4])) for r in ss_rows(run_ss("-wanH"))
        }
        if ours == theirs:
            break
    else:
        pytest.fail(f"ours only: {ours - theirs}; ss only: {theirs - ours}")
    mine = {e.inode: udp_entry_key(e) for e in entries if e.inode in datagrams.raw}
    assert set(mine) == set(datagrams.raw)


def test_sockets_with_owners_finds_this_process(datagrams: Datagrams) -> None:
    tables = ["udp", "udp6"] + (["raw", "raw6", "packet"] if os.geteuid() == 0 else [])
    rows = procfs.sockets_with_owners(tables=tables)
    by_inode = {row.entry.inode: row for row in rows}
    expected = {**{i: p for i, (p, _) in datagrams.udp.items()}}
    expected.update({i: p for i, (p, _) in datagrams.raw.items()})
    expected.update(dict.fromkeys(datagrams.packet, "packet"))
    for inode, proto in expected.items():
        row = by_inode[inode]
        assert row.proto == proto
        assert row.pid == os.getpid()
        assert row.program == ps_comm(os.getpid())
    assert [row.proto for row in rows] == sorted(
        (row.proto for row in rows), key=lambda p: tables.index(p)
    )
    with pytest.raises(ValueError):
        procfs.sockets_with_owners(tables=["sctp"])


def test_netstat_udp_and_unix(datagrams: Datagrams, capsys: pytest.CaptureFixture[str]) -> None:
    rows = netstat_json(["--json", "-u"], capsys)
    assert {row["proto"] for row in rows} <= {"udp", "udp6"}
    by_inode = {row["inode"]: row for row in rows}
    for inode, (proto, key) in datagrams.udp.items():
        assert by_inode[inode]["proto"] == proto
        assert json_key(by_inode[inode]) == key
        assert by_inode[inode]["pid"] == os.getpid()
        assert "drops" in by_inode[inode]
    listening = netstat_json(["--json", "-ul"], capsys)
    assert {row["inode"] for row in listening} & set(datagrams.udp) == {
        inode for inode, (_, key) in datagrams.udp.items() if key[0] == "CLOSE"
    }
    assert netstat_main(["-u", "-4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Proto Recv-Q Send-Q Local Address")
    table = {int(line.split()[-2]): line for line in lines[1:]}
    for inode, (proto, (state, local, _)) in datagrams.udp.items():
        if proto == "udp":
            fields = table[inode].split()
            assert fields[0] == "udp" and fields[3] == local
            assert (state == "ESTABLISHED") == ("ESTABLISHED" in fields)
    both = netstat_json(["--json", "-tux"], capsys)
    assert {"tcp", "udp", "unix"} <= {row["proto"] for row in both}


def test_netstat_unix_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a b.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(path))
        listener.listen(1)
        inode = os.fstat(listener.fileno()).st_ino
        assert netstat_main(["-x"]) == 0
        out = capsys.readouterr().out.splitlines()
        assert out[0].split() == [
            "Proto", "RefCnt", "Flags", "Type", "State", "I-Node", "PID/Program", "name", "Path"
        ]  # fmt: skip
        (line,) = [x for x in out if f" {inode} " in x]
        assert line.split()[:7] == ["unix", "2", "[", "ACC", "]", "STREAM", "LISTENING"]
        owner, shown = line.split(None, 9)[8:]
        assert owner == f"{os.getpid()}/{ps_comm(os.getpid())}"
        assert shown.lstrip() == str(path)
        assert netstat_main(["-xl", "--json"]) == 0
        rows = json.loads(capsys.readouterr().out)
        assert inode in {row["inode"] for row in rows}
        assert all(row["flags"] & (1 << 16) for row in rows)


def test_netstat_mixed_tables_on_a_captured_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_tree(tmp_path)
    for name in ("udp", "udp6", "raw", "unix"):
        (tmp_path / "net" / name).write_bytes(sample(f"dev-machine/proc/net/{name}"))
    assert netstat_main(["--root", str(tmp_path), "-uwx"]) == 0
    inet, unix = capsys.readouterr().out.split("\n\n")
    inet_rows = [line.split() for line in inet.splitlines()[1:]]
    assert [row[0] for row in inet_rows] == ["udp"] * 2 + ["udp6"] * 4 + ["raw"] * 2
    assert inet_rows[0][:6] == ["udp", "832", "0", "127.0.0.1:45686", "0.0.0.0:*", "297735"]
    assert inet_rows[1][5] == "ESTABLISHED"
    # net-tools prints a raw socket's state as its number (1: connected, 7: not)
    assert inet_rows[6][:6] == ["raw", "0", "0", "127.0.0.1:17", "127.0.0.2:*", "1"]
    unix_lines = unix.splitlines()
    assert len(unix_lines) == 12
    assert unix_lines[4].split()[:5] == ["unix", "2", "[", "ACC", "]"]
    assert unix_lines[4].split()[5:] == [
        "STREAM", "LISTENING", "297744", "-", "/tmp/pyprocfs", "sample/a", "b.sock"
    ]  # fmt: skip
    assert "/tmp/pyprocfs sample/new?line.sock" in unix  # control characters shown as ?


def test_the_table_reads_fields_every_internet_table_has() -> None:
    from procfs.cli.netstat import _FIELDS

    for record in (TcpNetEntry, UdpNetEntry, RawNetEntry):
        assert all(map(record.has_field, _FIELDS))
    assert procfs.net.SocketOwner._fields == ("pid", "fd", "comm")
    assert procfs.net.TcpSocket._fields == ("proto", "entry", "owners")


def test_netstat_widens_the_address_columns_for_long_addresses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fs = make_tree(tmp_path)
    (tmp_path / "net" / "tcp6").write_bytes(sample("dev-machine/proc/net/tcp6"))
    rows = fs.tcp_with_owners()
    assert netstat_main(["--root", str(tmp_path)]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    width = max(23, *(len(str(row.entry.local_address)) for row in rows))
    assert width > 23  # IPv4-mapped addresses are longer than any IPv4 address
    assert header.index("Foreign Address") == len("Proto Recv-Q Send-Q ") + width + 1
    assert len(lines) == len(rows)
    for row, line in zip(rows, lines, strict=True):
        local = str(row.entry.local_address)
        assert line[20 : 20 + width].rstrip() == local
        assert line[20 + width] == " "


def _reference_table(
    tables: list[tuple[str, list[Any]]], owners: dict[int, list[tuple[int, int]]]
) -> str:
    """The table as net-tools lays it out, one line at a time (what ``_table`` must print)."""
    from procfs.cli.netstat import _state

    def text(address: Any, remote: bool) -> str:
        shown = "*" if remote and not address.port else str(address.port)
        return f"[{address.ip}]:{shown}" if ":" in address.ip else f"{address.ip}:{shown}"

    rows = []
    for proto, entries in tables:
        for entry in entries:
            pairs = owners.get(entry.inode) if entry.inode else None
            owner = f"{min(pairs)[0]}/comm{min(pairs)[0]}" if pairs else "-"
            local = text(entry.local_address, False)
            rows.append((proto, entry, local, text(entry.remote_address, True), owner))
    local_width = max([23, *(len(row[2]) for row in rows)])
    remote_width = max([23, *(len(row[3]) for row in rows)])
    out = [
        f"{'Proto':<5} {'Recv-Q':>6} {'Send-Q':>6} {'Local Address':<{local_width}} "
        f"{'Foreign Address':<{remote_width}} {'State':<11} {'Inode':<10} PID/Program name\n"
    ]
    for proto, entry, local, remote, owner in rows:
        out.append(
            f"{proto:<5} {entry.rx_queue:>6} {entry.tx_queue:>6} {local:<{local_width}} "
            f"{remote:<{remote_width}} {_state(entry.state, proto):<11} {entry.inode:<10} {owner}\n"
        )
    return "".join(out)


@pytest.mark.skipif(sys.byteorder != "little", reason="the samples come from a little-endian host")
@pytest.mark.parametrize(
    "names", [("tcp",), ("tcp", "tcp6"), ("udp", "udp6", "raw"), ("tcp6", "tcp", "udp", "raw")]
)
def test_table_matches_a_line_by_line_layout(names: tuple[str, ...]) -> None:
    from procfs.cli import netstat

    tables: list[tuple[str, list[Any]]] = []
    for name in names:
        record = TcpNetEntry if name.startswith("tcp") else UdpNetEntry
        if name.startswith("raw"):
            record = RawNetEntry
        entries: list[Any] = parse_inet_table(sample(f"dev-machine/proc/net/{name}"), record)
        # queues, an unknown state and a local port 0 the samples lack
        first = entries[0]
        entries += [
            first.replace(tx_queue=5, rx_queue=123456, inode=7001),
            first.replace(state=99, inode=7002),
            first.replace(local_address=first.remote_address.replace(port=0), inode=0),
        ]
        tables.append((name, entries))
    inodes = sorted({e.inode for _, entries in tables for e in entries if e.inode})
    # every other inode owned; some by several processes (the lowest pid is shown)
    owners: dict[int, list[tuple[int, int]]] = {
        inode: [(3 + index % 2, 4), (2 + index % 3, 9)] if index % 4 else [(10 + index, 3)]
        for index, inode in enumerate(inodes[::2])
    }

    class Comms(netstat._Owners):
        def program(self, pid: int) -> str:
            found = self.texts[pid] = f"{pid}/comm{pid}"
            return found

    fields = netstat._FIELDS
    rows = [(name, [tuple(getattr(e, f) for f in fields) for e in t]) for name, t in tables]
    lowest = {inode: min(pairs)[0] for inode, pairs in owners.items()}
    header, started = netstat._starts(rows)
    got = "".join(netstat._table(header, started, Comms(ProcFS("/nonexistent"), lowest)))
    assert got == _reference_table(tables, owners)
