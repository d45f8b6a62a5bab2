"""/proc/locks: samples, and live POSIX, flock and OFD locks with blocked waiters."""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import procfs
from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.locks import Lock, parse_locks
from tests.conftest import SAMPLES, sample
from tests.helpers import wait_for


def test_registered() -> None:
    assert PARSERS["locks"] is parse_locks


def test_rust_crate_sample_with_blocked_waiters() -> None:
    locks = parse_locks(sample("rust-procfs-samples/locks.debian-4.19-blocked-issue108.txt"))
    assert len(locks) == 18
    # "1: POSIX  ADVISORY  WRITE 723 00:14:16845 0 EOF"
    assert locks[0] == Lock(1, "POSIX", "ADVISORY", "WRITE", 723, 0, 0x14, 16845, 0, None)
    # "3: FLOCK  ADVISORY  WRITE 1594 fd:00:396528 0 EOF": hexadecimal device numbers.
    assert (locks[2].devmaj, locks[2].devmin, locks[2].inode) == (0xFD, 0, 396528)
    # "6: POSIX ... 0 0" and four requests blocked on it.
    holder = locks[5]
    assert (holder.id, holder.pid, holder.offset_last, holder.blocked) == (6, 1280, 0, False)
    waiters = locks[6:10]
    assert [w.pid for w in waiters] == [1281, 1279, 1282, 1283]
    assert all(w.id == 6 and w.depth == 1 and w.blocked for w in waiters)
    assert all(w.inode == holder.inode for w in waiters)
    # "7: OFDLCK ADVISORY  READ  -1 00:06:1028 0 EOF": an OFD lock has no owning pid.
    assert locks[10] == Lock(7, "OFDLCK", "ADVISORY", "READ", None, 0, 6, 1028, 0, None)
    assert locks[-1].id == 14
    assert locks[10].to_dict() == {
        "id": 7,
        "lock_type": "OFDLCK",
        "mode": "ADVISORY",
        "kind": "READ",
        "pid": None,
        "devmaj": 0,
        "devmin": 6,
        "inode": 1028,
        "offset_first": 0,
        "offset_last": None,
        "depth": 0,
    }


def test_dev_machine_capture_with_a_tree_of_waiters() -> None:
    # Captured on kernel 6.18 while one process held the four locks and two others
    # waited, one behind the other, for the POSIX lock on file "a".
    locks = ProcFS(SAMPLES / "dev-machine" / "proc").locks()
    assert locks == [
        Lock(1, "OFDLCK", "ADVISORY", "WRITE", None, 0xFE, 0, 2148147, 0, 99),
        Lock(2, "FLOCK", "ADVISORY", "WRITE", 19425, 0xFE, 0, 2148131, 0, None),
        Lock(3, "POSIX", "ADVISORY", "READ", 19425, 0xFE, 0, 2148113, 5, 14),
        Lock(4, "POSIX", "ADVISORY", "WRITE", 19425, 0xFE, 0, 2148098, 0, None),
        Lock(4, "POSIX", "ADVISORY", "WRITE", 19466, 0xFE, 0, 2148098, 0, None, 1),
        Lock(4, "POSIX", "ADVISORY", "WRITE", 19483, 0xFE, 0, 2148098, 0, None, 2),
    ]


def test_leases_mandatory_and_no_inode() -> None:
    locks = parse_locks(sample("handmade/locks.leases-mandatory-noinode.txt"))
    assert [(lock.lock_type, lock.mode, lock.kind) for lock in locks] == [
        ("LEASE", "ACTIVE", "READ"),
        ("LEASE", "BREAKING", "UNLCK"),
        ("LEASE", "BREAKER", "WRITE"),
        ("DELEG", "ACTIVE", "READ"),
        ("POSIX", "MANDATORY", "WRITE"),
        ("ACCESS", "ADVISORY", "READ"),
        ("POSIX", "*NOINODE*", "WRITE"),
        ("POSIX", "ADVISORY", "WRITE"),
    ]
    assert (locks[4].offset_first, locks[4].offset_last) == (100, 199)
    assert locks[5].offset_last == 9223372036854775806
    assert (locks[6].devmaj, locks[6].devmin, locks[6].inode) == (None, None, None)
    assert locks[7].pid == -2141437  # a remote lock's owner, kept as printed
    assert (locks[3].devmaj, locks[3].devmin) == (0xFD, 2)


def test_empty_file() -> None:
    assert parse_locks(b"") == []


@pytest.mark.parametrize(
    "data",
    [
        b"\n",
        b"1 POSIX ADVISORY WRITE 1 08:01:2 0 EOF\n",
        b"1: POSIX ADVISORY WRITE 1 08:01:2 0\n",
        b"1: POSIX ADVISORY WRITE 1 08:01 0 EOF\n",
        b"1: POSIX ADVISORY WRITE 1 zz:01:2 0 EOF\n",
        b"1: POSIX ADVISORY WRITE x 08:01:2 0 EOF\n",
        b"1: POSIX ADVISORY WRITE 1 08:01:2 0 END\n",
        b"x: POSIX ADVISORY WRITE 1 08:01:2 0 EOF\n",
        b"1: -> POSIX ADVISORY WRITE 1 08:01:2 0\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_locks(data)


_WAITER = """\
import fcntl, sys
f = open(sys.argv[1], "r+b")
fcntl.lockf(f, fcntl.LOCK_EX)
"""


def _ofd_lock(f: object, start: int, length: int) -> bool:
    """Take an OFD write lock; False where this test cannot build a struct flock."""
    command = getattr(fcntl, "F_OFD_SETLK", None)
    if command is None or sys.maxsize <= 2**32:
        return False
    # struct flock on 64-bit Linux: short type, short whence, off_t start, off_t len, pid_t pid.
    fcntl.fcntl(f, command, struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, start, length, 0))  # type: ignore[call-overload]
    return True


def test_live_locks_found_by_inode_and_pid(tmp_path: Path) -> None:
    paths = {name: tmp_path / name for name in ("posix", "ranged", "flock", "ofd")}
    for path in paths.values():
        path.write_bytes(b"x" * 200)
    files = {name: open(path, "r+b") for name, path in paths.items()}  # noqa: SIM115
    waiters: list[subprocess.Popen[bytes]] = []
    try:
        fcntl.lockf(files["posix"], fcntl.LOCK_EX)
        fcntl.lockf(files["ranged"], fcntl.LOCK_SH, 10, 5)  # bytes 5 to 14
        fcntl.flock(files["flock"], fcntl.LOCK_EX)
        has_ofd = _ofd_lock(files["ofd"], 0, 100)
        inode = os.stat(paths["posix"]).st_ino
        for count in (1, 2):
            waiters.append(subprocess.Popen([sys.executable, "-c", _WAITER, paths["posix"]]))

            def enough(count: int = count) -> bool:
                return (
                    sum(lock.inode == inode and lock.blocked for lock in ProcFS().locks()) >= count
                )

            wait_for(enough)
        locks = ProcFS().locks()
    finally:
        for waiter in waiters:
            waiter.kill()
            waiter.wait()
        for f in files.values():
            f.close()

    me = os.getpid()

    def find(name: str) -> list[Lock]:
        st = os.stat(paths[name])
        found = [lock for lock in locks if lock.inode == st.st_ino]
        for lock in found:
            assert (lock.devmaj, lock.devmin) == (os.major(st.st_dev), os.minor(st.st_dev))
        return found

    (posix, *blocked) = find("posix")
    assert (posix.lock_type, posix.kind, posix.pid, posix.depth) == ("POSIX", "WRITE", me, 0)
    assert (posix.offset_first, posix.offset_last) == (0, None)
    assert {lock.pid for lock in blocked} == {waiter.pid for waiter in waiters}
    assert all(lock.id == posix.id and lock.blocked for lock in blocked)
    if procfs.kernel_version() >= (5, 13):
        # The second waiter conflicts with the first one's request: one level further down.
        assert sorted(lock.depth for lock in blocked) == [1, 2]
    (ranged,) = find("ranged")
    assert (ranged.lock_type, ranged.kind, ranged.pid) == ("POSIX", "READ", me)
    assert (ranged.offset_first, ranged.offset_last) == (5, 14)
    (flock,) = find("flock")
    assert (flock.lock_type, flock.mode, flock.kind, flock.pid) == (
        "FLOCK",
        "ADVISORY",
        "WRITE",
        me,
    )
    if has_ofd:
        (ofd,) = find("ofd")
        assert (ofd.lock_type, ofd.kind, ofd.offset_first, ofd.offset_last) == (
            "OFDLCK",
            "WRITE",
            0,
            99,
        )
        if procfs.kernel_version() >= (4, 14):
            assert ofd.pid is None
