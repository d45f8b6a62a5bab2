"""procfs.core.owner: a process's effective user and group, from its directory's owner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import procfs
from procfs import ProcFS
from procfs.core.owner import Owner, parse_owner
from procfs.errors import ParseError
from tests.conftest import SAMPLES

STATUS = SAMPLES / "dev-machine" / "proc" / "1" / "status"


def test_parse_the_numbers_a_scan_hands_over() -> None:
    assert parse_owner(b"1000 100") == Owner(1000, 100)


def test_parse_a_status_file_takes_the_effective_ids() -> None:
    status = b"Name:\tx\nUmask:\t0022\nState:\tS\nUid:\t1\t2\t3\t4\nGid:\t5\t6\t7\t8\nGroups:\n"
    assert parse_owner(status) == Owner(2, 6)
    text = STATUS.read_bytes()  # worked out by hand from the sample's Uid/Gid lines
    uid = next(line for line in text.splitlines() if line.startswith(b"Uid:")).split()[2]
    gid = next(line for line in text.splitlines() if line.startswith(b"Gid:")).split()[2]
    assert parse_owner(text) == Owner(int(uid), int(gid))


MALFORMED = [b"1000", b"1 2 3", b"1 x", b"Name:\tx\nUid:\t1\n", b"Name:\tx\n"]


@pytest.mark.parametrize("data", [*MALFORMED, b"Name:\tx\nUid:\t1\t2\n"])
def test_malformed_input_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_owner(data)


@contextmanager
def _stranger() -> Iterator[int]:
    """A child whose effective IDs are not its real ones (which makes it non-dumpable)."""
    read_end, write_end = os.pipe()
    ready_read, ready_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(write_end)
            os.setresgid(0, 1234, 0)
            os.setresuid(0, 4321, 0)
            os.write(ready_write, b"x")
            os.read(read_end, 1)
        finally:
            os._exit(0)
    os.close(read_end)
    try:
        assert os.read(ready_read, 1) == b"x"
        yield pid
    finally:
        os.close(write_end)
        os.waitpid(pid, 0)
        os.close(ready_read)
        os.close(ready_write)


def test_live_owner_is_the_effective_ids_even_when_not_dumpable() -> None:
    with _stranger() as pid:
        # its files are root's now (it is not dumpable); its directory is not
        assert os.stat(f"/proc/{pid}/status").st_uid == 0
        rows = procfs.scan_fields(["pid", "owner", "status.euid", "status.egid"], default=None)
        (row,) = [row for row in rows if row[0] == pid]
        assert row[1:] == (Owner(4321, 1234), 4321, 1234)


def test_live_owner_agrees_with_status_for_every_process() -> None:
    fields = ["pid", "owner.euid", "owner.egid", "status.euid", "status.egid"]
    rows = [row for row in procfs.scan_fields(fields, default=None) if None not in row]
    assert len(rows) > 1
    assert [row for row in rows if row[1:3] != row[3:5]] == []


def test_a_captured_tree_takes_the_owner_from_status(tmp_path: Path) -> None:
    shutil.copytree(STATUS.parent, tmp_path / "7")
    (row,) = ProcFS(str(tmp_path)).scan_fields(["pid", "owner", "status.euid", "status.egid"])
    assert row[1] == Owner(row[2], row[3])
    assert os.stat(tmp_path / "7").st_uid == os.getuid()  # (which says nothing of pid 7)
