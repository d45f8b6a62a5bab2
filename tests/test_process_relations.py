"""The family and the open things of a process, checked against psutil, ss and net-tools."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest

import procfs
from procfs import ProcFS
from procfs.cli.netstat import main as netstat_main
from procfs.errors import NotFoundError, PermissionDeniedError
from procfs.net import CONNECTION_KINDS, Connection
from procfs.process_relations import OpenFile, ProcessNode
from tests.helpers import NOBODY, run_as

psutil = pytest.importorskip("psutil")

SS = shutil.which("ss")
NETSTAT = shutil.which("netstat")
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
A = TypeVar("A")
B = TypeVar("B")


def settled(read: Callable[[], A], again: Callable[[], B], attempts: int = 5) -> tuple[A, B] | None:
    """Two readings taken while nothing changed (processes come and go meanwhile):
    ``read()``, ``again()``, ``read()`` and ``again()`` until the two of each are equal;
    None if the system kept changing."""
    for _ in range(attempts):
        first, other = read(), again()
        if read() == first and again() == other:
            return first, other
        time.sleep(0.02)
    return None


def settled_or_skip(read: Callable[[], A], again: Callable[[], B]) -> tuple[A, B]:
    """:func:`settled`, skipping the test if the system kept changing."""
    found = settled(read, again, attempts=20)
    if found is None:
        pytest.skip("the system kept changing under the comparison")
    return found


@contextlib.contextmanager
def family() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A child shell with a grandchild sleep: (the child, the grandchild's pid)."""
    proc = subprocess.Popen(
        ["sh", "-c", "sleep 60 & echo $!; wait"], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    try:
        assert proc.stdout is not None
        grandchild = int(proc.stdout.readline())
        yield proc, grandchild
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(grandchild, 9)
        proc.kill()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()


# -- parent, parents, children --------------------------------------------------------


def test_parent_and_parents_of_every_process_match_psutil() -> None:
    """parent() of every process, parents() of a sample, as psutil gives them."""
    compared = 0
    pids = procfs.pids()
    sample = set(pids[:10] + pids[-10:] + [os.getpid()])
    for pid in pids:
        try:
            theirs = psutil.Process(pid)
            their_parent = theirs.parent()
            ours = procfs.Process(pid)
            parent = ours.parent()
            if theirs.parent() != their_parent:
                continue  # re-parented meanwhile
            if pid in sample:
                their_parents = [p.pid for p in theirs.parents()]
                our_parents = [p.pid for p in ours.parents()]
                if [p.pid for p in theirs.parents()] == their_parents:  # not re-parented
                    assert our_parents == their_parents
        except (psutil.NoSuchProcess, NotFoundError):
            continue
        # psutil counts a pid-0 parent as none; so do we
        assert (parent.pid if parent else None) == (their_parent.pid if their_parent else None)
        if parent is not None:
            assert (parent.start_time_ticks() or 0) <= (ours.start_time_ticks() or 0)
        compared += 1
    assert compared > 2


def test_parent_of_a_child_is_this_process() -> None:
    with family() as (proc, grandchild):
        me = procfs.Process.myself()
        child = procfs.Process(proc.pid)
        assert child.parent() == me
        ancestors = procfs.Process(grandchild).parents()
        assert [p.pid for p in ancestors[:2]] == [proc.pid, os.getpid()]
        assert [p.pid for p in ancestors] == [p.pid for p in psutil.Process(grandchild).parents()]
    assert procfs.Process(1).parent() is None


def our_children(pid: int, recursive: bool = False) -> list[int]:
    return sorted(p.pid for p in procfs.Process(pid).children(recursive))


def their_children(pid: int, recursive: bool = False) -> list[int]:
    return sorted(p.pid for p in psutil.Process(pid).children(recursive))


def kids_by_parent(ppids: dict[int, int]) -> dict[int, list[int]]:
    """Pid -> its children's pids (sorted), from a pid -> ppid map."""
    out: dict[int, list[int]] = {}
    for pid, ppid in sorted(ppids.items()):
        out.setdefault(ppid, []).append(pid)
    return out


@pytest.mark.parametrize("scan", [False, True], ids=["children files", "ppid scan"])
def test_children_of_every_process_match_psutil(
    scan: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every process's children as psutil finds them (its ppid map, which its children()
    reads), for the processes whose children did not change meanwhile; psutil's own
    children() for a sample, recursive too. (With the ppid scan, each call scans every
    process, as psutil's does: a sample of processes only.)"""
    pids = procfs.pids()
    if scan:  # a kernel without CONFIG_PROC_CHILDREN
        monkeypatch.setattr(
            procfs.Process, "child_pids", lambda self: (_ for _ in ()).throw(NotFoundError("x"))
        )
        pids = pids[:15] + pids[-15:]
    before = kids_by_parent(psutil._pslinux.ppid_map())
    ours: dict[int, list[int]] = {}
    for pid in pids:
        with contextlib.suppress(NotFoundError):
            ours[pid] = sorted(p.pid for p in procfs.Process(pid).children())
    after = kids_by_parent(psutil._pslinux.ppid_map())
    compared = 0
    for pid, found in ours.items():
        if before.get(pid, []) != after.get(pid, []):
            continue  # its children changed meanwhile
        if found != after.get(pid, []):  # a child came and went between the maps?
            again = settled(partial(our_children, pid), partial(their_children, pid), 20)
            if again is not None:
                assert again[0] == again[1], (pid, found, after.get(pid))
            continue
        compared += 1
    assert compared > 4
    for pid in [os.getpid(), os.getppid(), *list(ours)[-10:]]:
        for recursive in (False, True):
            try:
                found_both = settled(
                    partial(our_children, pid, recursive), partial(their_children, pid, recursive)
                )
            except (psutil.NoSuchProcess, NotFoundError):
                continue
            if found_both is not None:
                assert found_both[0] == found_both[1], (pid, recursive)


@pytest.mark.parametrize("scan", [False, True], ids=["children files", "ppid scan"])
def test_children_are_handles_bound_to_their_start(
    scan: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if scan:
        monkeypatch.setattr(
            procfs.Process, "child_pids", lambda self: (_ for _ in ()).throw(NotFoundError("x"))
        )
    with family() as (proc, grandchild):
        me = procfs.Process.myself()
        direct = [p for p in me.children() if p.pid == proc.pid]
        assert len(direct) == 1 and direct[0].stat().comm == "sh"
        everything = me.children(recursive=True)
        pids = [p.pid for p in everything]
        assert pids.index(proc.pid) < pids.index(grandchild)  # parents before children
        assert len(pids) == len(set(pids))
        kid = everything[pids.index(grandchild)]
        assert kid.start_time_ticks() == procfs.Process(grandchild).start_time_ticks()
        assert [p.pid for p in procfs.Process(proc.pid).children()] == [grandchild]
    with pytest.raises(NotFoundError):  # the child is gone (reaped): its handle says so
        direct[0].stat()


def test_thread_children_are_handles() -> None:
    with family() as (proc, _grandchild):
        me = procfs.Process.myself()
        by_threads = [kid for task in me.tasks() for kid in task.children()]
        assert proc.pid in {kid.pid for kid in by_threads}
        assert all(isinstance(kid, procfs.Process) for kid in by_threads)
        assert {kid.pid for kid in by_threads} == set(me.child_pids())


def stat_line(pid: int, ppid: int, start: int, comm: str = "x") -> bytes:
    """A ``stat`` line with the pid, comm, ppid and start time given (the rest zeros)."""
    fields = ["0"] * 52
    fields[0], fields[1], fields[2], fields[3], fields[21] = (
        str(pid),
        f"({comm})",
        "S",
        str(ppid),
        str(start),
    )
    return (" ".join(fields) + "\n").encode()


def make_family_tree(
    root: Path, rows: list[tuple[int, int, int]], listed: dict[int, str]
) -> ProcFS:
    """A captured tree of processes ``(pid, ppid, start)``; ``listed``: pid -> its
    ``task/<pid>/children`` (what the kernel said, maybe stale)."""
    for pid, ppid, start in rows:
        (root / str(pid) / "task" / str(pid)).mkdir(parents=True)
        (root / str(pid) / "stat").write_bytes(stat_line(pid, ppid, start))
        (root / str(pid) / "task" / str(pid) / "stat").write_bytes(stat_line(pid, ppid, start))
        (root / str(pid) / "task" / str(pid) / "children").write_text(listed.get(pid, ""))
    os.symlink("1", root / "self")
    return ProcFS(root)


# pid 1 (started at 10) has children 5 and 7; 7 has 9. Pid 8 names a process whose parent
# is 1 but that started before 1 (a reused pid cannot: its stat says so); 6 is listed as
# a child of 1 but its stat says its parent is 3 (the pid was reused meanwhile).
_ROWS = [(1, 0, 10), (3, 1, 11), (5, 1, 12), (6, 3, 40), (7, 1, 13), (9, 7, 20), (8, 1, 5)]
_LISTED = {1: "3 5 6 7 8 ", 3: "6", 7: "9 "}


def test_children_of_a_captured_tree(tmp_path: Path) -> None:
    fs = make_family_tree(tmp_path, _ROWS, _LISTED)
    init = fs.process(1)
    assert init.child_pids() == [3, 5, 6, 7, 8]
    assert [p.pid for p in init.children()] == [3, 5, 7]  # 6: another's child; 8: too old
    assert [p.pid for p in init.children(recursive=True)] == [3, 5, 7, 6, 9]
    assert fs.process(9).parent() == fs.process(7)
    assert [p.pid for p in fs.process(9).parents()] == [7, 1]
    assert init.parent() is None


def test_children_by_scan_of_a_captured_tree(tmp_path: Path) -> None:
    fs = make_family_tree(tmp_path, _ROWS, _LISTED)
    for pid, _, _ in _ROWS:
        (tmp_path / str(pid) / "task" / str(pid) / "children").unlink()
    init = fs.process(1)
    with pytest.raises(NotFoundError):
        init.child_pids()
    assert [p.pid for p in init.children()] == [3, 5, 7]  # 8 started before 1
    assert [p.pid for p in init.children(recursive=True)] == [3, 5, 7, 6, 9]


# -- the process tree ---------------------------------------------------------------------


def test_process_tree_matches_psutil() -> None:
    def ours() -> dict[int, tuple[int, list[int]]]:
        nodes = [n for root in procfs.process_tree() for n in root.walk()]
        return {n.pid: (n.ppid, [k.pid for k in n.children]) for n in nodes}

    def theirs() -> dict[int, int]:
        return dict(psutil._pslinux.ppid_map())

    tree, ppids = settled_or_skip(ours, theirs)
    assert tree.keys() == ppids.keys()
    for pid, (ppid, children) in tree.items():
        assert ppid == ppids[pid]
        assert children == sorted(p for p, parent in ppids.items() if parent == pid)
    roots = procfs.process_tree()
    assert [n.pid for n in roots][:1] == [1]
    assert all(n.ppid == 0 or n.ppid not in tree for n in roots)


def test_process_tree_nodes_and_handles() -> None:
    with family() as (proc, grandchild):
        nodes = {n.pid: n for root in procfs.process_tree() for n in root.walk()}
        node = nodes[proc.pid]
        assert isinstance(node, ProcessNode) and node.comm == "sh"
        assert [k.pid for k in node.children] == [grandchild]
        assert node.ppid == os.getpid() and nodes[os.getpid()].children.count(node) == 1
        handle = node.process()
        assert handle.pid == proc.pid and handle.stat().starttime == node.start_time_ticks
        assert node.to_dict()["children"][0]["pid"] == grandchild
    with pytest.raises(NotFoundError):
        handle.stat()


def test_process_tree_of_a_captured_tree(tmp_path: Path) -> None:
    fs = make_family_tree(tmp_path, _ROWS, {})
    (root,) = fs.process_tree()
    assert [n.pid for n in root.walk()] == [1, 3, 6, 5, 7, 9, 8]
    assert [k.pid for k in root.children] == [3, 5, 7, 8]


# -- open files ---------------------------------------------------------------------------


def test_open_files_modes_positions_and_deleted(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_bytes(b"0123456789")
    gone = tmp_path / "gone"
    gone.write_bytes(b"x")
    paths = {"r": path, "w": tmp_path / "w", "a": tmp_path / "a", "r+": path, "a+": tmp_path / "a"}
    files = {mode: open(name, mode + "b") for mode, name in paths.items()}  # noqa: SIM115
    files["deleted"] = open(gone, "rb")  # noqa: SIM115
    try:
        files["r"].seek(4)
        files["deleted"].read(1)
        gone.unlink()
        dirfd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)  # a directory: left out
        found = {f.fd: f for f in procfs.Process.myself().open_files()}
        os.close(dirfd)
        assert dirfd not in found
        for mode, file in files.items():
            entry = found[file.fileno()]
            assert isinstance(entry, OpenFile)
            assert entry.mode == ("r" if mode == "deleted" else mode)
            assert entry.position == file.tell()
            assert entry.deleted == (mode == "deleted")
            assert entry.path == str(gone if mode == "deleted" else paths[mode])
            access = {"r": os.O_RDONLY, "w": os.O_WRONLY, "a": os.O_WRONLY}.get(mode, os.O_RDWR)
            assert entry.flags & os.O_ACCMODE == (os.O_RDONLY if mode == "deleted" else access)
            assert bool(entry.flags & os.O_APPEND) == (mode[0] == "a")
    finally:
        for file in files.values():
            file.close()


def test_open_files_of_every_process_match_psutil() -> None:
    compared = 0
    for pid in procfs.pids():
        try:
            theirs = {
                (f.path, f.fd, f.position, f.mode, f.flags)
                for f in psutil.Process(pid).open_files()
            }
            found = procfs.Process(pid).open_files()
            again = {
                (f.path, f.fd, f.position, f.mode, f.flags)
                for f in psutil.Process(pid).open_files()
            }
        except (psutil.AccessDenied, PermissionDeniedError):
            continue
        except (psutil.NoSuchProcess, NotFoundError):
            continue
        if theirs != again:
            continue  # the process is busy with its files
        ours = {(f.path, f.fd, f.position, f.mode, f.flags) for f in found}
        assert theirs <= ours, pid
        for extra in ours - theirs:  # psutil looks the path up in its own mount namespace
            entry = next(f for f in found if f.fd == extra[1])
            try:
                kind = os.stat(entry.path).st_mode
            except OSError:
                kind = 0
            assert entry.deleted or not stat.S_ISREG(kind), extra
        compared += 1
    assert compared > 2


# -- sockets and connections ------------------------------------------------------------------


def key(conn: Any) -> tuple[Any, ...]:
    """A connection of ours or psutil's as comparable values (psutil's "NONE" for a unix
    listener, where we say LISTEN as ss does)."""

    def address(value: Any) -> Any:
        if not value:
            return None
        if isinstance(value, str):
            return value
        if hasattr(value, "ip"):
            return (value.ip, value.port)
        return tuple(value)

    status = conn.status
    if int(conn.family) == socket.AF_UNIX:
        status = "NONE"
    return (
        conn.fd,
        int(conn.family),
        int(conn.type),
        address(conn.laddr),
        address(conn.raddr),
        status,
    )


@contextlib.contextmanager
def some_sockets(tmp_path: Path) -> Iterator[list[socket.socket]]:
    """TCP, UDP and unix sockets of this process, listening and connected."""
    made: list[socket.socket] = []
    try:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        made.append(listener)
        made.append(socket.create_connection(listener.getsockname()))
        made.append(listener.accept()[0])
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        made.append(udp)
        unix = socket.socket(socket.AF_UNIX)
        unix.bind(str(tmp_path / "l.sock"))
        unix.listen(1)
        made.append(unix)
        made.extend(socket.socketpair())
        yield made
    finally:
        for sock in made:
            sock.close()


def test_connections_of_this_process(tmp_path: Path) -> None:
    with some_sockets(tmp_path) as made:
        me = procfs.Process.myself()
        for kind in CONNECTION_KINDS:
            ours = {key(c) for c in me.connections(kind)}
            theirs = {key(c) for c in psutil.Process().net_connections(kind)}
            assert ours == theirs, kind
        by_fd = {c.fd: c for c in me.connections("all")}
        assert all(isinstance(c, Connection) and c.pid == os.getpid() for c in by_fd.values())
        listener, client, _server, udp, unix = made[:5]
        assert by_fd[listener.fileno()].status == "LISTEN"
        assert by_fd[client.fileno()].status == "ESTABLISHED"
        assert by_fd[client.fileno()].raddr == by_fd[listener.fileno()].laddr
        assert by_fd[udp.fileno()].status == "NONE" and by_fd[udp.fileno()].raddr is None
        assert by_fd[unix.fileno()].status == "LISTEN"  # as ss says
        assert by_fd[unix.fileno()].laddr == str(tmp_path / "l.sock")
        assert by_fd[made[5].fileno()].status == "NONE" and by_fd[made[5].fileno()].laddr is None
        tables = {s.fd: s.table for s in me.sockets()}
        assert tables[listener.fileno()] == "tcp" and tables[unix.fileno()] == "unix"
        assert {s.fd for s in me.sockets(["udp"])} == {udp.fileno()}
        with pytest.raises(ValueError, match="unknown connection kind"):
            me.connections("sctp")
        with pytest.raises(ValueError, match="unknown socket table"):
            me.sockets(["sctp"])
        with pytest.raises(TypeError):
            me.sockets("tcp")


def our_connections(handle: procfs.Process) -> set[tuple[Any, ...]]:
    return {key(c) for c in handle.connections("all")}


def their_connections(pid: int) -> set[tuple[Any, ...]]:
    return {key(c) for c in psutil.Process(pid).net_connections("all")}


def test_connections_of_every_process_match_psutil() -> None:
    compared = 0
    for pid in procfs.pids():
        try:
            handle = procfs.Process(pid)
            found = settled(partial(our_connections, handle), partial(their_connections, pid))
        except (psutil.AccessDenied, PermissionDeniedError, psutil.NoSuchProcess, NotFoundError):
            continue
        if found is None:
            continue  # busy with its sockets
        ours, theirs = found
        try:
            same_namespace = (
                os.stat(f"/proc/{pid}/ns/net").st_ino == os.stat("/proc/self/ns/net").st_ino
            )
        except OSError:
            continue
        if not same_namespace:
            continue  # psutil reads the caller's tables; we read the process's own
        # psutil gives one row per internet socket (its first descriptor), we one per descriptor
        assert theirs <= ours, pid
        assert {k[1:] for k in ours} == {k[1:] for k in theirs}, pid
        compared += 1
    assert compared > 2


@pytest.mark.parametrize("kind", ["all", "inet", "tcp6", "udp", "unix"])
def test_net_connections_match_psutil(kind: str, tmp_path: Path) -> None:
    with some_sockets(tmp_path):

        def ours() -> set[tuple[Any, ...]]:
            return {(*key(c), c.pid) for c in procfs.net_connections(kind)}

        def theirs() -> set[tuple[Any, ...]]:
            return {(*key(c), c.pid) for c in psutil.net_connections(kind)}

        mine, psutils = settled_or_skip(ours, theirs)
    # psutil keeps one holder of each shared socket; we keep every holder
    assert psutils <= mine
    assert {k[1:-1] for k in mine} == {k[1:-1] for k in psutils}
    assert all(isinstance(c, Connection) for c in procfs.net_connections(kind))
    with pytest.raises(ValueError, match="unknown connection kind"):
        procfs.net_connections("nonsense")


@needs_root
def test_permission_denied_for_another_users_process() -> None:
    root_pid = os.getpid()

    def as_nobody() -> object:
        outcomes = []
        for read in ("connections", "sockets", "open_files", "socket_fds"):
            try:
                getattr(procfs.Process(root_pid), read)()
                outcomes.append("read")
            except PermissionDeniedError:
                outcomes.append("denied")
        return outcomes

    assert run_as(NOBODY, NOBODY, as_nobody) == ["denied"] * 4


# -- socket owners: every holder ------------------------------------------------------------


def ss_holders(flags: str, mine: tuple[int, int]) -> set[tuple[int, int]]:
    """(pid, fd) of the processes ``ss`` shows holding the socket this process's ``mine``
    (pid, fd) holds."""
    assert SS is not None
    out = subprocess.run([SS, flags], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        pairs = set()
        for chunk in line.split("pid=")[1:]:
            pid, _, rest = chunk.partition(",fd=")
            pairs.add((int(pid), int(rest.split(")")[0])))
        if mine in pairs:
            return pairs
    return set()


@contextlib.contextmanager
def forked_holder() -> Iterator[int]:
    """A forked child holding this process's descriptors until the block ends."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child waits for its parent
        os.close(write_end)
        os.read(read_end, 1)
        os._exit(0)
    os.close(read_end)
    try:
        yield pid
    finally:
        os.close(write_end)
        os.waitpid(pid, 0)


@needs_root
@pytest.mark.skipif(SS is None, reason="ss (iproute2) is not installed")
@pytest.mark.parametrize("kind", ["packet", "raw"])
def test_a_socket_shared_with_a_forked_child_lists_both(kind: str) -> None:
    try:
        if kind == "packet":
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        else:
            sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)  # for experiments
    except PermissionError:
        pytest.skip("no CAP_NET_RAW")
    with sock, forked_holder() as child:
        inode = os.fstat(sock.fileno()).st_ino
        expected = {(os.getpid(), sock.fileno()), (child, sock.fileno())}
        assert set(procfs.socket_owners([inode])[inode]) == expected
        assert set(procfs.socket_owners()[inode]) == expected
        flags = "-0anpH" if kind == "packet" else "-wanpH"
        assert ss_holders(flags, (os.getpid(), sock.fileno())) == expected
        (row,) = [s for s in procfs.sockets_with_owners([kind]) if s.entry.inode == inode]
        assert {(o.pid, o.fd) for o in row.owners} == expected
        assert row.pid == min(os.getpid(), child)
        assert procfs.lowest_socket_owners([inode]) == {inode: min(os.getpid(), child)}
        mine = [s for s in procfs.Process.myself().sockets([kind]) if s.entry.inode == inode]
        theirs = [s for s in procfs.Process(child).sockets([kind]) if s.entry.inode == inode]
        assert len(mine) == len(theirs) == 1


@pytest.mark.skipif(SS is None, reason="ss (iproute2) is not installed")
def test_listening_unix_sockets_match_ss(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket(socket.AF_UNIX) as listener, socket.socket(socket.AF_UNIX) as bound:
        listener.bind(str(tmp_path / "listens.sock"))
        listener.listen(1)
        bound.bind(str(tmp_path / "bound.sock"))  # bound, not listening
        inode = os.fstat(listener.fileno()).st_ino

        def ours() -> set[int]:
            return {e.inode for e in procfs.unix() if e.listening and e.inode}

        def theirs() -> set[int]:
            assert SS is not None
            out = subprocess.run([SS, "-xlH"], capture_output=True, text=True, check=True).stdout
            rows = [line.split() for line in out.splitlines()]
            # (-l shows unconnected bound sockets too, as UNCONN)
            return {int(row[5]) for row in rows if row and row[1] == "LISTEN"}

        mine, ss = settled_or_skip(ours, theirs)
        assert mine == ss and inode in mine
        assert os.fstat(bound.fileno()).st_ino not in mine
        statuses = {c.laddr: c.status for c in procfs.net_connections("unix")}
        assert statuses[str(tmp_path / "listens.sock")] == "LISTEN"
        assert statuses[str(tmp_path / "bound.sock")] == "NONE"
        assert netstat_main(["-xl"]) == 0
        shown = [line.split() for line in capsys.readouterr().out.splitlines()[1:]]
        assert {int(row[7]) for row in shown} == mine  # Proto RefCnt [ ACC ] Type State I-Node
        assert all(row[2:5] == ["[", "ACC", "]"] and row[6] == "LISTENING" for row in shown)


# -- procfs netstat against net-tools ---------------------------------------------------------


@needs_root
@pytest.mark.skipif(NETSTAT is None, reason="netstat (net-tools) is not installed")
def test_netstat_raw_columns_match_net_tools(capsys: pytest.CaptureFixture[str]) -> None:
    made = []
    try:
        made.append(socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
        connected = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
        connected.connect(("127.0.0.2", 0))
        made.append(connected)
        with contextlib.suppress(OSError):
            made.append(socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6))
    except PermissionError:
        pytest.skip("no CAP_NET_RAW")
    try:

        def ours() -> list[list[str]]:
            assert netstat_main(["-w"]) == 0
            lines = capsys.readouterr().out.splitlines()
            # (we bracket IPv6 addresses, "[::]:58", where net-tools writes ":::58")
            unbracketed = [line.replace("[", "").replace("]", "") for line in lines[1:]]
            return sorted(line.split()[:6] for line in unbracketed)

        def theirs() -> list[list[str]]:
            assert NETSTAT is not None
            out = subprocess.run([NETSTAT, "-wan"], capture_output=True, text=True).stdout
            return sorted(line.split()[:6] for line in out.splitlines()[2:])

        mine, net_tools = settled_or_skip(ours, theirs)
        assert mine == net_tools
        states = {row[5] for row in mine}
        assert {"1", "7"} <= states  # connected and not
    finally:
        for sock in made:
            sock.close()


@needs_root
@pytest.mark.skipif(NETSTAT is None, reason="netstat (net-tools) is not installed")
def test_netstat_tells_an_ordinary_user_that_owners_are_hidden() -> None:
    def as_nobody() -> object:
        with socket.socket() as sock:  # a socket of a process this user may read
            sock.bind(("127.0.0.1", 0))
            sock.listen(1)
            saved = sys.stderr, sys.stdout
            sys.stderr, sys.stdout = io.StringIO(), io.StringIO()
            try:
                status = netstat_main(["-t"])
                ours = sys.stderr.getvalue()
            finally:
                sys.stderr, sys.stdout = saved
            assert NETSTAT is not None
            theirs = subprocess.run([NETSTAT, "-tanp"], capture_output=True, text=True).stderr
            denied: list[int] = []
            procfs.socket_owners(denied=denied)
            return status, ours, theirs, os.getppid() in denied

    result = run_as(NOBODY, NOBODY, as_nobody)
    assert isinstance(result, tuple), result
    status, ours, theirs, parent_denied = result
    assert status == 0 and parent_denied
    assert ours == theirs
    assert ours == (
        "(Not all processes could be identified, non-owned process info\n"
        " will not be shown, you would have to be root to see it all.)\n"
    )


def test_netstat_as_root_says_nothing_of_hidden_owners(capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    assert netstat_main(["-t"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("share", [4, 10**9], ids=["walk", "walk then scan"])
def test_a_big_recursive_walk_gives_way_to_a_scan(
    share: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import procfs.process_relations as relations

    monkeypatch.setattr(relations, "_WALK_CHECK", 0)
    monkeypatch.setattr(relations, "_WALK_SHARE", share)
    scans: list[bool] = []
    real = relations.ProcessRelations._children_by_scan

    def counting(self: Any, recursive: bool) -> Any:
        scans.append(recursive)
        return real(self, recursive)

    monkeypatch.setattr(relations.ProcessRelations, "_children_by_scan", counting)
    with family() as (proc, grandchild):
        found = [p.pid for p in procfs.Process.myself().children(recursive=True)]
        assert {proc.pid, grandchild} <= set(found)
        assert found.index(proc.pid) < found.index(grandchild)
    assert scans == ([True] if share > 4 else [])


def test_socket_protocol_names_what_the_kernel_calls_it() -> None:
    import socket

    me = procfs.Process.myself()
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0) as netlink, socket.socket() as tcp:
        assert me.socket_protocol(netlink.fileno()) == "NETLINK"
        assert me.socket_protocol(tcp.fileno()) == "TCP"
        with open(os.devnull) as f:
            assert me.socket_protocol(f.fileno()) is None  # not a socket
    assert me.socket_protocol(netlink.fileno()) is None  # closed
