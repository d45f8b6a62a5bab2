"""/proc/[pid]/fdinfo/[fd]: every kind of extra lines, old kernels, and live descriptors."""

from __future__ import annotations

import os
import select
import socket
import tempfile

import pytest

import procfs
from procfs import ProcFS
from procfs.core import PARSERS
from procfs.core.fdinfo import (
    EpollTarget,
    EventFdInfo,
    FdInfo,
    InotifyWatch,
    TimerFdInfo,
    parse_fdinfo,
    position_and_flags,
)
from procfs.errors import ParseError
from tests.conftest import SAMPLES, sample
from tests.helpers import child

CAPTURE = "dev-machine/proc/15532/fdinfo"


def test_registered() -> None:
    assert PARSERS["[pid]/fdinfo/[fd]"] is parse_fdinfo
    assert PARSERS["[pid]/task/[tid]/fdinfo/[fd]"] is parse_fdinfo


def test_captured_append_nonblock_file() -> None:
    info = parse_fdinfo(sample(f"{CAPTURE}/10"))
    # "flags: 02106001" = O_CLOEXEC | O_LARGEFILE | O_NONBLOCK | O_APPEND | O_WRONLY
    assert info == FdInfo(12, 0o2106001, 27, 2148354, None, [], [], None, None, [])
    assert info.access_mode == "w"
    assert info.append and info.nonblock and info.cloexec
    assert info.kind is None


def test_captured_eventfd() -> None:
    info = parse_fdinfo(sample(f"{CAPTURE}/3"))
    assert info.eventfd == EventFdInfo(count=26, id=1, semaphore=False)  # "1a" is hex
    assert info.flags == 0o4002 and info.access_mode == "rw" and not info.cloexec
    assert info.kind == "eventfd"


def test_captured_epoll() -> None:
    info = parse_fdinfo(sample(f"{CAPTURE}/4"))
    assert info.epoll == [
        EpollTarget(tfd=3, events=0x1C, data=3, pos=0, ino=0x40E, sdev=0x10),
        EpollTarget(tfd=5, events=0x19, data=5, pos=0, ino=0x707C5, sdev=0xF),
    ]
    assert info.kind == "epoll"


def test_captured_inotify() -> None:
    info = parse_fdinfo(sample(f"{CAPTURE}/7"))
    assert info.inotify == [
        InotifyWatch(
            wd=1,
            ino=0x3F7E8,
            sdev=0xFE00000,
            mask=0x100,  # IN_CREATE
            ignored_mask=0,
            fhandle_bytes=8,
            fhandle_type=1,
            f_handle="e8f7030000000000",
        )
    ]
    assert info.kind == "inotify"


def test_captured_signalfd_and_timerfd() -> None:
    signal_info = parse_fdinfo(sample(f"{CAPTURE}/8"))
    assert signal_info.sigmask == 0x201  # SIGHUP (1) and SIGUSR1 (10)
    assert signal_info.kind == "signalfd"
    timer = parse_fdinfo(sample(f"{CAPTURE}/9")).timerfd
    assert timer is not None
    assert (timer.clockid, timer.ticks, timer.settime_flags) == (1, 0, 0)
    assert timer.it_interval == (2, 500)
    assert timer.it_value[0] in range(3590, 3600)  # a one-hour timer, read just after
    assert isinstance(timer, TimerFdInfo)


def test_prometheus_inotify_and_eventfd() -> None:
    inotify = parse_fdinfo(sample("prometheus-fixtures/proc/26231/fdinfo/0"))
    assert (inotify.pos, inotify.flags, inotify.mnt_id, inotify.ino) == (0, 0o2004000, 13, None)
    assert [w.wd for w in inotify.inotify] == [3, 2, 1]
    assert inotify.inotify[1] == InotifyWatch(
        2, 0x1300016, 0xFD00002, 0xFCE, 0, 8, 1, "16003001ed3f022a"
    )
    eventfd = parse_fdinfo(sample("prometheus-fixtures/proc/26231/fdinfo/1"))
    assert eventfd.eventfd == EventFdInfo(0, None, None)  # an older kernel: no id line


def test_handmade_old_kernels_and_other_lines() -> None:
    # Linux 2.6: pos and flags only
    old = parse_fdinfo(sample("handmade/proc/4711/fdinfo/3"))
    assert old == FdInfo(1234, 0o100002, None, None, None, [], [], None, None, [])
    # a 3.x epoll: tfd lines without pos/ino/sdev, no mnt_id yet
    epoll = parse_fdinfo(sample("handmade/proc/4711/fdinfo/4"))
    assert epoll.mnt_id is None
    assert epoll.epoll == [EpollTarget(5, 0x19, 0x100000000A), EpollTarget(7, 0x1, 0x7)]
    # fanotify marks and a lock are kept as text
    other = parse_fdinfo(sample("handmade/proc/4711/fdinfo/6"))
    assert other.extra == [
        "fanotify flags:10 event-flags:0",
        "fanotify mnt_id:1a mflags:0 mask:3b ignored_mask:0",
        "lock:\t1: POSIX  ADVISORY  WRITE 4711 fd:00:1835011 0 EOF",
    ]
    assert other.kind is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"flags:\t02\n",  # no pos
        b"pos:\t0\n",  # no flags
        b"pos:\tx\nflags:\t02\n",
        b"pos:\t0\nflags:\t09\n",  # flags are octal
        b"pos:\t0\nflags:\t02\neventfd-id: 3\n",  # no count
        b"pos:\t0\nflags:\t02\nclockid: 1\n",  # incomplete timerfd
        b"pos:\t0\nflags:\t02\nit_value: 5\nclockid: 1\nticks: 0\nsettime flags: 0\n"
        b"it_interval: (0, 0)\n",
        b"pos:\t0\nflags:\t02\ntfd: 5 events:\n",
        b"pos:\t0\nflags:\t02\ninotify wd:1\n",
        b"pos:\t0\nflags:\t09\nmnt_id:\t2\nino:\t3\n",  # the usual four lines, bad flags
        b"pos:\tx\nflags:\t02\nmnt_id:\t2\nino:\t3\n",
        b"pos:\t0\nflags:\t02\nmnt_id:\t2\nino:\t\n",
    ],
)
def test_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_fdinfo(data)
    with pytest.raises(ParseError) as info:
        position_and_flags(data, "/p/fdinfo/3")
    assert info.value.path == "/p/fdinfo/3"


@pytest.mark.parametrize(
    "lines",
    [
        [b"pos:\t0", b"flags:\t0100000", b"mnt_id:\t24", b"ino:\t3"],
        [b"pos:\t12345678901", b"flags:\t02004002", b"mnt_id:\t13", b"ino:\t1038"],
        [b"pos: 5 ", b"flags:  01", b"mnt_id:7", b"ino:\t 9\t"],
    ],
)
def test_the_usual_four_lines_read_as_any_lines(lines: list[bytes]) -> None:
    # The four lines alone take a quicker path; with a line of another kind after
    # them the whole loop reads them: both must agree.
    usual = parse_fdinfo(b"\n".join(lines) + b"\n")
    other = parse_fdinfo(b"\n".join([*lines, b"lock:\t1: POSIX ADVISORY WRITE 1 0:2:3 0 EOF"]))
    assert other.extra == ["lock:\t1: POSIX ADVISORY WRITE 1 0:2:3 0 EOF"]
    assert usual == FdInfo(
        other.pos, other.flags, other.mnt_id, other.ino, None, [], [], None, None, []
    )
    assert (usual.pos, usual.flags) == (int(lines[0][4:]), int(lines[1][6:], 8))
    for data in (b"\n".join(lines) + b"\n", b"\n".join([*lines, b"lock:\t1: FLOCK"])):
        assert position_and_flags(data) == (usual.pos, usual.flags)


def test_live_append_nonblock_flags() -> None:
    with tempfile.TemporaryDirectory() as directory:
        fd = os.open(
            os.path.join(directory, "log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NONBLOCK
        )
        try:
            os.write(fd, b"12345")
            info = procfs.Process.myself().fdinfo(fd)
            assert info.append and info.nonblock and info.access_mode == "w"
            assert info.flags & os.O_ACCMODE == os.O_WRONLY
            assert info.cloexec == (not os.get_inheritable(fd))
            assert info.pos == 5
            assert info.ino in (None, os.fstat(fd).st_ino)
        finally:
            os.close(fd)


def test_live_eventfd_and_epoll() -> None:
    if not hasattr(os, "eventfd"):
        pytest.skip("os.eventfd needs Python 3.10 on Linux")
    efd = os.eventfd(300)
    poller = select.epoll()
    left, right = socket.socketpair()
    try:
        poller.register(efd, select.EPOLLIN)
        poller.register(left.fileno(), select.EPOLLOUT)
        me = procfs.Process.myself()
        counter = me.fdinfo(efd).eventfd
        assert counter is not None and counter.count == 300
        os.eventfd_write(efd, 5)
        counter = me.fdinfo(efd).eventfd
        assert counter is not None and counter.count == 305
        targets = {t.tfd: t for t in me.fdinfo(poller.fileno()).epoll}
        assert set(targets) == {efd, left.fileno()}
        assert targets[efd].events & select.EPOLLIN
        assert targets[left.fileno()].events & select.EPOLLOUT
        # Python's epoll stores the fd in the low 32 bits of the user data
        assert targets[efd].data & 0xFFFFFFFF == efd
        if targets[efd].ino is not None:
            assert targets[left.fileno()].ino == os.fstat(left.fileno()).st_ino
    finally:
        poller.close()
        os.close(efd)
        left.close()
        right.close()


def test_live_fd_count_agrees_with_listing() -> None:
    me = procfs.Process.myself()
    extra = [os.open("/dev/null", os.O_RDONLY) for _ in range(5)]
    try:
        count = me.fd_count()
        # listdir opens a descriptor of its own while it lists
        assert count == len(os.listdir("/proc/self/fd")) - 1
        assert count == len(me.fd()) - 1  # fd() lists with a descriptor of its own
    finally:
        for fd in extra:
            os.close(fd)
    assert me.fd_count() == count - 5


def test_fd_count_of_a_child_and_a_captured_tree() -> None:
    with child(b"fdcount") as proc:
        handle = procfs.Process(proc.pid)
        assert handle.fd_count() == len(os.listdir(f"/proc/{proc.pid}/fd"))
    fs = ProcFS(SAMPLES / "prometheus-fixtures" / "proc")
    if (SAMPLES / "prometheus-fixtures/proc/26231/fd").is_dir():
        assert fs.process(26231).fd_count() == len(os.listdir(fs.path("26231/fd")))


def test_live_fdinfos_cover_open_descriptors() -> None:
    me = procfs.Process.myself()
    infos = me.fdinfos()
    fds = {fd.fd for fd in me.fd()}
    # each listing sees the descriptor it lists with; allow one difference each way
    assert len(set(infos) - fds) <= 1 and len(fds - set(infos)) <= 1
    assert {0, 1, 2} <= set(infos) & fds
    assert all(isinstance(info, FdInfo) for info in infos.values())


def test_captured_tree_fdinfos() -> None:
    fs = ProcFS(SAMPLES / "dev-machine" / "proc")
    infos = fs.process(15532).fdinfos()
    assert sorted(infos) == list(range(11))
    assert infos[3].kind == "eventfd" and infos[4].kind == "epoll"
    assert fs.process(15532).task(15542).fdinfo(9).timerfd is not None
