"""/proc/sysvipc/{shm,sem,msg}: captures, an older kernel, and objects made here."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.sysvipc import (
    MessageQueue,
    SemaphoreSet,
    SharedMemorySegment,
    parse_sysvipc_msg,
    parse_sysvipc_sem,
    parse_sysvipc_shm,
)
from tests.conftest import SAMPLES, sample

_CAPTURE = ProcFS(str(SAMPLES / "dev-machine" / "proc"))


def test_registered() -> None:
    assert PARSERS["sysvipc/shm"] is parse_sysvipc_shm
    assert PARSERS["sysvipc/sem"] is parse_sysvipc_sem
    assert PARSERS["sysvipc/msg"] is parse_sysvipc_msg


def test_dev_machine_capture() -> None:
    # Made before the capture: shmget(0x2a, 65536, 0640) attached once, semget(0x2b, 3,
    # 0600), a private queue (0660) holding one 12-byte message; all by pid 21875, as root.
    (shm,) = _CAPTURE.sysvipc_shm()
    assert shm == SharedMemorySegment(
        0x2A, 1, 0o640, 65536, 21875, 21875, 1, 0, 0, 0, 0, 1795860581, 0, 1795860581, 0, 0
    )
    assert not shm.marked_for_destruction and not shm.locked
    (sem,) = _CAPTURE.sysvipc_sem()
    assert sem == SemaphoreSet(0x2B, 1, 0o600, 3, 0, 0, 0, 0, 0, 1795860581)
    (msg,) = _CAPTURE.sysvipc_msg()
    assert msg == MessageQueue(0, 1, 0o660, 12, 1, 21875, 0, 0, 0, 0, 0, 1795860581, 0, 1795860581)
    assert msg.to_dict()["perms"] == 0o660 == 432


def test_older_kernel_without_rss_and_swap() -> None:
    first, second = parse_sysvipc_shm(sample("handmade/proc/sysvipc/shm"))
    assert first == SharedMemorySegment(
        *(0, 32768, 0o600, 393216, 2854, 3047, 2, 1000, 1000, 1000, 1000),
        *(1180100100, 1180100200, 1180100000),
    )
    assert first.rss is None and first.swap is None and first.extra == {}
    # a key above 2**31 prints negative; perms 1600 = marked for destruction + rw-------
    assert second.key == -559038737 == 0xDEADBEEF - 2**32
    assert second.perms == 0o1600
    assert second.marked_for_destruction and not second.locked
    assert (second.gid, second.cuid) == (100, 0)


def test_unknown_columns_are_kept() -> None:
    data = (
        b"       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime"
        b"  future\n"
        b"         5          7   666          1     0     0     0     0          0          9"
        b"      42\n"
    )
    (sem,) = parse_sysvipc_sem(data)
    assert sem.extra == {"future": 42}
    assert (sem.key, sem.semid, sem.perms, sem.ctime) == (5, 7, 0o666, 9)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"       key      semid perms      nsems   uid   gid  cuid  cgid      otime\n",
        b"       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n"
        b"         5          7   666          1     0     0     0     0          0\n",
        b"       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n"
        b"         5          7   686          1     0     0     0     0          0          9\n",
        b"       key      semid perms      nsems   uid   gid  cuid  cgid      otime      key\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_sysvipc_sem(data)


# -- live: objects made here ---------------------------------------------------

_IPC_PRIVATE = 0
_IPC_CREAT = 0o1000
_IPC_RMID = 0


class _MsgBuf(ctypes.Structure):
    _fields_ = [("mtype", ctypes.c_long), ("mtext", ctypes.c_char * 64)]


def _libc() -> ctypes.CDLL:
    if not os.path.exists("/proc/sysvipc/shm"):
        pytest.skip("/proc/sysvipc missing (CONFIG_SYSVIPC off)")
    return ctypes.CDLL(None, use_errno=True)


def _ipcs(option: str) -> dict[int, list[str]]:
    """``ipcs <option>`` rows by id (key, id, owner, perms, ...), or {} without ipcs."""
    ipcs = shutil.which("ipcs")
    if ipcs is None:
        return {}
    out = subprocess.run([ipcs, option], capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 5 and fields[0].startswith("0x") and fields[1].isdigit():
            rows[int(fields[1])] = fields
    return rows


def test_live_shared_memory_segment() -> None:
    libc = _libc()
    size = 3 * 4096 + 100
    shmid = libc.shmget(_IPC_PRIVATE, ctypes.c_size_t(size), _IPC_CREAT | 0o604)
    if shmid < 0:
        pytest.skip(f"shmget failed: {os.strerror(ctypes.get_errno())}")
    try:
        segments = {segment.shmid: segment for segment in ProcFS().sysvipc_shm()}
        segment = segments[shmid]
        assert (segment.key, segment.size, segment.perms) == (0, size, 0o604)
        assert (segment.uid, segment.cuid) == (os.getuid(), os.getuid())
        assert (segment.gid, segment.cgid) == (os.getgid(), os.getgid())
        assert segment.cpid == os.getpid()
        assert segment.nattch == 0
        assert segment.rss is not None and segment.swap is not None  # 2.6.32+
        row = _ipcs("-m").get(shmid)
        if row is not None:  # key shmid owner perms bytes nattch
            assert int(row[0], 16) == segment.key
            assert int(row[3], 8) == segment.perms & 0o777
            assert int(row[4]) == segment.size
            assert int(row[5]) == segment.nattch
    finally:
        libc.shmctl(shmid, _IPC_RMID, None)
    assert shmid not in {segment.shmid for segment in ProcFS().sysvipc_shm()}


def test_live_semaphore_set() -> None:
    libc = _libc()
    semid = libc.semget(_IPC_PRIVATE, 5, _IPC_CREAT | 0o640)
    if semid < 0:
        pytest.skip(f"semget failed: {os.strerror(ctypes.get_errno())}")
    try:
        sets = {sem.semid: sem for sem in ProcFS().sysvipc_sem()}
        sem = sets[semid]
        assert (sem.key, sem.nsems, sem.perms) == (0, 5, 0o640)
        assert (sem.uid, sem.cuid, sem.gid) == (os.getuid(), os.getuid(), os.getgid())
        assert sem.otime == 0  # no semop yet
        assert sem.ctime > 0
        row = _ipcs("-s").get(semid)
        if row is not None:  # key semid owner perms nsems
            assert int(row[3], 8) == sem.perms
            assert int(row[4]) == sem.nsems
    finally:
        libc.semctl(semid, 0, _IPC_RMID)


def test_live_message_queue() -> None:
    libc = _libc()
    msqid = libc.msgget(_IPC_PRIVATE, _IPC_CREAT | 0o600)
    if msqid < 0:
        pytest.skip(f"msgget failed: {os.strerror(ctypes.get_errno())}")
    try:
        message = _MsgBuf(7, b"seventeen bytes!!")
        assert libc.msgsnd(msqid, ctypes.byref(message), ctypes.c_size_t(17), 0) == 0
        queues = {queue.msqid: queue for queue in ProcFS().sysvipc_msg()}
        queue = queues[msqid]
        assert (queue.key, queue.perms, queue.cbytes, queue.qnum) == (0, 0o600, 17, 1)
        assert queue.lspid == os.getpid() and queue.lrpid == 0
        assert queue.uid == os.getuid()
        assert queue.stime > 0 and queue.rtime == 0
        row = _ipcs("-q").get(msqid)
        if row is not None:  # key msqid owner perms used-bytes messages
            assert int(row[3], 8) == queue.perms
            assert (int(row[4]), int(row[5])) == (queue.cbytes, queue.qnum)
    finally:
        libc.msgctl(msqid, _IPC_RMID, None)
