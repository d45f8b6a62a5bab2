"""/proc/[pid]/fd/N link targets: the kernel's forms, fuzzer finds, and live descriptors."""

from __future__ import annotations

import os
import select
import socket
import tempfile

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.fd import Fd, FdTarget, file_path, parse_fd_target
from procfs.errors import ParseError
from tests.conftest import sample


def test_registered() -> None:
    assert PARSERS["[pid]/fd/[fd]"] is parse_fd_target


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (b"socket:[12345]", FdTarget("socket", "socket:[12345]", None, 12345)),
        (b"net:[4026531840]", FdTarget("net", "net:[4026531840]", None, 4026531840)),
        (b"pipe:[7775]", FdTarget("pipe", "pipe:[7775]", None, 7775)),
        (
            b"anon_inode:[eventfd]",
            FdTarget("anon_inode", "anon_inode:[eventfd]", None, None, "[eventfd]"),
        ),
        (
            b"anon_inode:inotify",
            FdTarget("anon_inode", "anon_inode:inotify", None, None, "inotify"),
        ),
        (
            b"anon_inode:bpf-map",
            FdTarget("anon_inode", "anon_inode:bpf-map", None, None, "bpf-map"),
        ),
        (b"/dev/null", FdTarget("path", "/dev/null", "/dev/null")),
        (b"/tmp/a b (deleted)", FdTarget("path", "/tmp/a b (deleted)", "/tmp/a b", deleted=True)),
        (
            b"/memfd:x y (deleted)",
            FdTarget("memfd", "/memfd:x y (deleted)", None, None, "x y", True),
        ),
        (b"/memfd:test", FdTarget("memfd", "/memfd:test", None, None, "test")),
        (b"pidfd:[1234]", FdTarget("other", "pidfd:[1234]", None, 1234, "pidfd")),
        (
            b"../../symlinktargets/abc",
            FdTarget("path", "../../symlinktargets/abc", "../../symlinktargets/abc"),
        ),
    ],
)
def test_kernel_forms(link: bytes, expected: FdTarget) -> None:
    assert parse_fd_target(link) == expected
    # file_path: the path and deletion of exactly the "path" targets that start with "/"
    found = file_path(os.fsdecode(link))
    if expected.kind == "path" and link.startswith(b"/"):
        assert found == (expected.path, expected.deleted)
    else:
        assert found is None


def test_rust_fuzzer_fragments() -> None:
    # procfs crate test_fdtarget / test_fdtarget_memfd: none of these may crash.
    links = sample("rust-procfs-samples/fd_link_targets.fragments.txt").split(b"\n")[:-1]
    got = [parse_fd_target(link) for link in links]
    onload, memfd, colon, garbage, pipe = got
    assert onload == FdTarget("other", "onload:[udp:1:2032]", None, None, "onload")
    assert onload.rest == "[udp:1:2032]"
    assert memfd.kind == "memfd" and memfd.name == "test"
    assert colon.kind == "other" and colon.name == "" and colon.rest == ""
    assert garbage.kind == "other" and garbage.name == "n" and garbage.rest == "ǟF"
    assert pipe.kind == "other" and pipe.name == "pipe" and pipe.inode is None
    assert [str(target) for target in got] == [os.fsdecode(link) for link in links]


@pytest.mark.parametrize(
    "link", [b"socket:[]", b"socket:[12", b"socket:12", b"pipe:[-1]", b"net:[1x]"]
)
def test_malformed_inode_is_other(link: bytes) -> None:
    target = parse_fd_target(link)
    assert target.kind == "other"
    assert target.inode is None
    assert target.socket_inode is None


def test_empty_is_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_fd_target(b"")


def test_non_utf8_path_round_trips() -> None:
    target = parse_fd_target(b"/tmp/\xff (deleted)")
    assert target.deleted and target.path is not None
    assert os.fsencode(target.path) == b"/tmp/\xff"


def test_properties_and_to_dict() -> None:
    sock = Fd(3, parse_fd_target(b"socket:[99]"))
    assert sock.target.socket_inode == 99 and sock.target.pipe_inode is None
    assert sock.kind == "socket" and sock.path is None
    assert sock.to_dict() == {
        "fd": 3,
        "target": {
            "kind": "socket",
            "raw": "socket:[99]",
            "path": None,
            "inode": 99,
            "name": None,
            "deleted": False,
        },
    }


# -- live ---------------------------------------------------------------------


def _targets() -> dict[int, FdTarget]:
    return {fd.fd: fd.target for fd in procfs.Process.myself().fd()}


def test_live_descriptors_of_self() -> None:
    directory = tempfile.mkdtemp(prefix="pyprocfs fd ")
    name = os.path.join(directory, "file with spaces \xe9")
    opened: list[int] = []
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    udp = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    unix_a, unix_b = socket.socketpair()
    epoll = select.epoll()
    try:
        file_fd = os.open(name, os.O_RDWR | os.O_CREAT, 0o600)
        opened.append(file_fd)
        read_end, write_end = os.pipe()
        opened += [read_end, write_end]
        event_fd = os.eventfd(0)
        opened.append(event_fd)
        memfd = os.memfd_create("pyprocfs x")
        opened.append(memfd)

        targets = _targets()
        assert targets[file_fd] == FdTarget("path", name, name)
        for fd in (read_end, write_end):
            assert targets[fd].kind == "pipe"
            assert targets[fd].pipe_inode == os.fstat(fd).st_ino
        for s in (sock, udp, unix_a, unix_b):
            assert targets[s.fileno()].kind == "socket"
            assert targets[s.fileno()].socket_inode == os.fstat(s.fileno()).st_ino
        assert targets[event_fd].kind == "anon_inode"
        assert targets[event_fd].name == "[eventfd]"
        assert targets[epoll.fileno()].name == "[eventpoll]"
        assert targets[memfd].kind == "memfd"
        assert targets[memfd].name == "pyprocfs x"
        assert targets[memfd].deleted

        os.unlink(name)
        deleted = _targets()[file_fd]
        assert deleted.kind == "path" and deleted.path == name and deleted.deleted

        # Every descriptor we hold is listed, in order.
        fds = [fd.fd for fd in procfs.Process.myself().fd()]
        assert fds == sorted(fds)
        assert set(opened) <= set(fds)
    finally:
        for fd in opened:
            os.close(fd)
        for s in (sock, udp, unix_a, unix_b):
            s.close()
        epoll.close()
        if os.path.exists(name):
            os.unlink(name)
        os.rmdir(directory)


def test_live_pidfd() -> None:
    if not hasattr(os, "pidfd_open"):
        pytest.skip("no os.pidfd_open")
    fd = os.pidfd_open(os.getpid())
    try:
        target = _targets()[fd]
        # anon_inode:[pidfd] before pidfs (6.9), pidfd:[inode] after; never a crash.
        assert target.kind in ("anon_inode", "other")
        assert "pidfd" in target.raw
        if target.kind == "other":
            assert target.name == "pidfd" and target.inode == os.fstat(fd).st_ino
    finally:
        os.close(fd)
