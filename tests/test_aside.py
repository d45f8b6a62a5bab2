"""procfs.cli.aside: work in a forked child on a second CPU, its result back by a pipe."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

import procfs._fs
from procfs.cli import aside


def test_forks_only_a_small_process_without_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    status = Path("/proc/self/status").read_text()
    (vm_rss,) = [line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")]
    assert abs(aside._resident() - int(vm_rss) * 1024) < 4 << 20  # VmRSS is in kB
    assert 1 <= aside.cpus() <= (os.cpu_count() or 1)

    def no_proc(path: str, flags: int, dir_fd: int | None = None) -> int:  # (os.open's form)
        raise FileNotFoundError(2, "No such file or directory", path)

    with monkeypatch.context() as patched:
        patched.setattr(procfs._fs, "_open", no_proc)
        assert aside._resident() >= 1 << 62  # unknown: too big to fork
    assert "threading" in sys.modules and not aside.may_fork()  # pytest has loaded it
    monkeypatch.delitem(sys.modules, "threading")
    for cpus, resident, expected in (
        (2, aside.FORK_MAX_RESIDENT - 1, True),
        (8, 10 << 20, True),
        (1, 10 << 20, False),  # nothing to gain
        (2, aside.FORK_MAX_RESIDENT, False),  # copying the page tables would cost more
    ):
        monkeypatch.setattr(aside, "cpus", lambda n=cpus: n)
        monkeypatch.setattr(aside, "_resident", lambda r=resident: r)
        assert aside.may_fork() is expected, (cpus, resident)


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    children: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return children


def test_the_result_comes_back_and_the_child_is_reaped(monkeypatch: pytest.MonkeyPatch) -> None:
    children = _started(monkeypatch)
    rows = [(pid, f"name {pid}", None, ["a", "b"]) for pid in range(5000)]
    collect = aside.start(lambda: (os.getpid(), rows))
    assert collect is not None
    result = collect(False)
    assert result is not None
    found: Any = result[0]
    child_pid, got = found
    assert (child_pid, got) == (children[0], rows)  # (bigger than a pipe's buffer)
    assert _reaped(children[0])


@pytest.mark.parametrize(
    "work",
    [
        lambda: 1 // 0,  # fails
        lambda: object(),  # marshal refuses it
        lambda: os._exit(0),  # ends without a word
    ],
)
def test_a_failing_child_gives_none(monkeypatch: pytest.MonkeyPatch, work: object) -> None:
    children = _started(monkeypatch)
    collect = aside.start(work)  # type: ignore[arg-type]
    assert collect is not None
    assert collect(False) is None
    assert _reaped(children[0])


def test_stop_ends_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    children = _started(monkeypatch)
    collect = aside.start(lambda: time.sleep(60))
    assert collect is not None
    started = time.monotonic()
    assert collect(True) is None
    assert time.monotonic() - started < 30
    assert _reaped(children[0])


def test_no_child_when_fork_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    before = set(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(os, "fork", fork)
    assert aside.start(lambda: 1) is None
    assert set(os.listdir("/proc/self/fd")) == before  # the pipe closed again
