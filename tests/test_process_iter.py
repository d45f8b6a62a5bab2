"""procfs.process_iter / process_iter_info: psutil's process_iter, compared with psutil."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from typing import Any

import psutil
import pytest

import procfs
from procfs import ProcFS
from procfs.process import Process
from procfs.process_info import ATTRIBUTES, Ids
from tests.conftest import PROMETHEUS_PROC, SAMPLES, corpus_path
from tests.helpers import NOBODY, child, run_as

#: psutil's usual attributes (the bench's), and more that a scan reads.
USUAL = ["pid", "name", "username", "cpu_times", "memory_info"]
SCANNED = [
    *USUAL,
    *("ppid", "status", "create_time", "num_threads", "nice", "uids", "gids", "terminal"),
    *("num_ctx_switches", "io_counters", "cpu_num", "cpu_affinity", "memory_percent"),
]


def test_handles_in_pid_order() -> None:
    handles = list(procfs.process_iter())
    pids = [p.pid for p in handles]
    assert pids == sorted(pids)
    assert os.getpid() in pids
    assert all(isinstance(p, Process) for p in handles)
    again = {p.pid: p for p in procfs.process_iter()}
    # a process seen again gets the same handle (psutil's cache), bound by its start time
    assert again[os.getpid()] is handles[pids.index(os.getpid())]
    assert again[os.getpid()] == Process.myself()


def test_exited_processes_are_left_out() -> None:
    proc = subprocess.Popen(["sleep", "30"])
    assert proc.pid in {p.pid for p in procfs.process_iter()}
    proc.kill()
    proc.wait()
    assert proc.pid not in {p.pid for p in procfs.process_iter()}
    assert proc.pid not in {p.pid for p, _ in procfs.process_iter_info(["name"])}


def test_a_zombie_is_listed() -> None:
    proc = subprocess.Popen(["true"])
    try:
        deadline = time.monotonic() + 5
        while Process(proc.pid).state_name() != "zombie" and time.monotonic() < deadline:
            time.sleep(0.01)
        info = {p.pid: i for p, i in procfs.process_iter_info(["status", "exe", "memory_info"])}
        assert info[proc.pid]["status"] == "zombie"
        assert info[proc.pid]["exe"] is None  # no exe link left: ad_value
        assert psutil.Process(proc.pid).status() == "zombie"
    finally:
        proc.wait()


def _rows(attrs: list[str]) -> dict[int, dict[str, Any]]:
    return {p.pid: info for p, info in procfs.process_iter_info(attrs, ad_value="n/a")}


def _theirs(attrs: list[str]) -> dict[int, dict[str, Any]]:
    return {p.pid: p.info for p in psutil.process_iter(attrs, ad_value="n/a")}


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return tuple(value.to_dict().values())
    if isinstance(value, tuple):
        return tuple(value)
    return value


def _agrees(name: str, a: Any, b: Any, c: Any) -> bool:
    a, b, c = _plain(a), _plain(b), _plain(c)
    if b in (a, c):
        return True
    if name == "name":  # psutil lengthens a 15-character comm from the command line
        return isinstance(a, str) and len(a) == 15 and b.startswith(a)
    if name == "terminal":  # psutil names only /dev/tty* and /dev/pts/*
        return b is None and a == "/dev/console"
    if isinstance(b, tuple) and "n/a" not in (a, c):
        return all(min(x, z) <= y <= max(x, z) for x, y, z in zip(a, b, c, strict=True))
    if isinstance(b, float) and "n/a" not in (a, c):
        return bool(min(a, c) - 1e-9 <= b <= max(a, c) + 1e-9)
    return False


@pytest.mark.parametrize("attrs", [USUAL, SCANNED, ["exe", "cwd", "num_fds", "pid"]])
def test_as_psutil_process_iter(attrs: list[str]) -> None:
    """Ours, psutil's, ours again: psutil's value matches or lies between ours, for every
    process in the three passes (a few rounds, for values that move back and forth)."""
    failures: dict[tuple[int, str], tuple[Any, Any, Any]] | None = None
    for _ in range(4):
        before, theirs, after = _rows(attrs), _theirs(attrs), _rows(attrs)
        found = {}
        for pid in before.keys() & theirs.keys() & after.keys():
            for name in attrs:
                a, b, c = before[pid][name], theirs[pid][name], after[pid][name]
                if name == "exe" and b == "" and a == c == "n/a":
                    continue  # a kernel thread: psutil's "" is our ad_value
                if name == "num_fds" and pid == os.getpid():
                    continue  # psutil counts the descriptor it lists fd/ with
                if not _agrees(name, a, b, c):
                    found[pid, name] = (a, b, c)
        if failures is None:
            failures = found
        else:
            failures = {key: found[key] for key in failures.keys() & found.keys()}
        if not failures:
            break
    assert not failures, failures
    assert len(before) > 1


def test_info_equals_as_dict() -> None:
    attrs = ["pid", "name", "uids", "gids", "cmdline", "create_time", "cwd", "exe", "username"]
    with child(b"iterinfo") as proc:
        ((_, info),) = [(p, i) for p, i in procfs.process_iter_info(attrs) if p.pid == proc.pid]
        assert info == Process(proc.pid).as_dict(attrs)
        assert info["uids"] == Ids(os.getuid(), os.geteuid(), os.getuid())


def test_all_names_by_default() -> None:
    for process, info in procfs.process_iter_info():
        if process.pid == os.getpid():
            assert list(info) == list(ATTRIBUTES)
            assert info["pid"] == os.getpid()
            break
    else:
        pytest.fail("this process was not listed")


def test_cpu_percent_since_the_last_pass() -> None:
    first = {p.pid: i["cpu_percent"] for p, i in procfs.process_iter_info(["cpu_percent"])}
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        pass
    second = {p.pid: i["cpu_percent"] for p, i in procfs.process_iter_info(["cpu_percent"])}
    assert os.getpid() in first
    assert second[os.getpid()] > 0
    # the handles carry the state: the method continues from the pass
    me = next(p for p in procfs.process_iter() if p.pid == os.getpid())
    assert me.cpu_percent() >= 0.0


def test_cpu_percent_of_a_new_process_starts_at_zero() -> None:
    list(procfs.process_iter_info(["cpu_percent"]))
    with child(b"newcomer") as proc:
        info = {p.pid: i for p, i in procfs.process_iter_info(["cpu_percent"])}
        assert info[proc.pid]["cpu_percent"] == 0.0


def test_ad_value_for_a_denied_read() -> None:
    def scan() -> object:
        rows = {p.pid: i for p, i in procfs.process_iter_info(["pid", "io_counters"], ad_value=-1)}
        return rows[1], rows[os.getpid()]["io_counters"] != -1

    assert run_as(NOBODY, NOBODY, scan) == ({"pid": 1, "io_counters": -1}, True)


def test_arguments() -> None:
    with pytest.raises(ValueError, match="nonsense"):
        procfs.process_iter_info(["pid", "nonsense"])
    with pytest.raises(TypeError):
        procfs.process_iter_info("pid")


def test_a_captured_tree() -> None:
    fs = ProcFS(SAMPLES / "dev-machine" / "proc")
    rows = {p.pid: i for p, i in fs.process_iter_info(["pid", "name", "nice"])}
    assert rows[1] == {"pid": 1, "name": "process_api", "nice": -10}
    assert [p.pid for p in fs.process_iter()] == sorted(rows)


def test_a_stopped_child() -> None:
    with child(b"stopped") as proc:
        os.kill(proc.pid, signal.SIGSTOP)
        try:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                info = {p.pid: i for p, i in procfs.process_iter_info(["status"])}
                if info[proc.pid]["status"] == "stopped":
                    break
                time.sleep(0.01)
            assert info[proc.pid]["status"] == "stopped" == psutil.Process(proc.pid).status()
        finally:
            os.kill(proc.pid, signal.SIGCONT)


def test_a_corpus_tree_read_both_ways() -> None:
    """On a tree captured elsewhere (odd values included), a scan and each handle's
    as_dict give the same answers."""
    fs = ProcFS(corpus_path(PROMETHEUS_PROC))
    names = [name for name in ATTRIBUTES if name != "cpu_percent"]
    scanned = {p.pid: info for p, info in fs.process_iter_info(names, ad_value="-")}
    assert len(scanned) > 3
    for pid, info in scanned.items():
        assert fs.process(pid).as_dict(names, ad_value="-") == info, pid
    # 26231/stat: utime 1677, stime 44 (clock ticks); 26231/status: Uid 1000
    vim = scanned[26231]
    hz = fs.ticks_per_second()
    assert (vim["cpu_times"].user, vim["cpu_times"].system) == (1677 / hz, 44 / hz)
    assert vim["uids"] == Ids(1000, 1000, 1000) and vim["exe"] == "/usr/bin/vim"
