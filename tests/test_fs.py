"""procfs._fs: the one I/O layer, and how it treats a root that is not a procfs."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import procfs
from procfs import NotFoundError, ProcError, ProcFS
from procfs._fs import MAX_FILE_SIZE, is_pid
from tests.conftest import sample


def _tree(tmp_path: Path) -> ProcFS:
    """A captured tree: one process, a meminfo."""
    (tmp_path / "1").mkdir()
    (tmp_path / "1" / "stat").write_bytes(sample("dev-machine/proc/1/stat"))
    (tmp_path / "meminfo").write_bytes(sample("dev-machine/proc/meminfo"))
    return ProcFS(tmp_path)


def test_the_live_root_is_trusted_and_a_tree_is_not(tmp_path: Path) -> None:
    assert ProcFS().trusted and ProcFS("/proc/self").trusted
    assert not _tree(tmp_path).trusted


def test_a_fifo_is_refused_not_waited_for(tmp_path: Path) -> None:
    fs = _tree(tmp_path)
    for name in ("meminfo", "1/stat"):
        (tmp_path / name).unlink()
        os.mkfifo(tmp_path / name)
    done: list[BaseException] = []

    def read() -> None:
        for call in (fs.meminfo, lambda: fs.process(1).stat()):
            try:
                call()
            except BaseException as exc:
                done.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "a read of a FIFO blocked"
    assert len(done) == 2 and all(isinstance(e, ProcError) for e in done), done
    assert "not a regular file" in str(done[0])


def test_a_device_and_a_huge_file_are_refused(tmp_path: Path) -> None:
    fs = _tree(tmp_path)
    (tmp_path / "meminfo").unlink()
    (tmp_path / "meminfo").symlink_to("/dev/zero")
    with pytest.raises(ProcError):  # out of the root, and not a regular file
        fs.meminfo()
    (tmp_path / "meminfo").unlink()
    with open(tmp_path / "meminfo", "wb") as f:
        f.truncate(MAX_FILE_SIZE + 1)  # sparse: no disk used
    with pytest.raises(ProcError, match="more than a /proc file holds"):
        fs.meminfo()
    with open(tmp_path / "meminfo", "wb") as f:
        f.truncate(1536 << 20)  # the 1.5 GiB of the report
    with pytest.raises(ProcError):
        fs.read("meminfo")


def test_links_out_of_the_root_are_not_followed(tmp_path: Path) -> None:
    fs = _tree(tmp_path)
    (tmp_path / "2").symlink_to("/proc/1")
    with pytest.raises(ProcError, match="out of the root"):
        fs.process(2).stat()
    (tmp_path / "loadavg").symlink_to("/proc/loadavg")
    with pytest.raises(ProcError, match="out of the root"):
        fs.loadavg()
    # a link inside the root is fine
    (tmp_path / "3").symlink_to("1")
    assert fs.process(3).stat().comm == fs.process(1).stat().comm


def test_not_a_procfs_is_said(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ProcError, match="not a procfs"):
        ProcFS(tmp_path).pids()
    with pytest.raises(ProcError, match="not a procfs"):
        list(ProcFS(tmp_path).all_processes())
    assert ProcFS(tmp_path / "nothing").trusted is False
    with pytest.raises(NotFoundError):
        ProcFS(tmp_path / "nothing").pids()


def test_pids_are_ascii_digits_in_order(tmp_path: Path) -> None:
    fs = _tree(tmp_path)
    for name in ("10", "9", "100", "²", "١٢", "12a"):
        (tmp_path / name).mkdir()
    assert fs.pids() == [1, 9, 10, 100]
    assert [p.pid for p in fs.all_processes()] == [1, 9, 10, 100]
    assert is_pid("123") and not is_pid("²") and not is_pid("١٢") and not is_pid("")


def test_live_pids_are_in_order() -> None:
    pids = procfs.pids()
    assert pids == sorted(pids) and os.getpid() in pids
