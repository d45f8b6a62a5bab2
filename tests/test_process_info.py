"""procfs.process_info: psutil's process methods, compared with psutil on this machine."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import psutil
import pytest

import procfs
import procfs.process_info
from procfs import ProcFS
from procfs.errors import NotFoundError, PermissionDeniedError
from procfs.ioprio import IoPriorityClass
from procfs.process import Process
from procfs.process_info import (
    ATTRIBUTES,
    CtxSwitches,
    Ids,
    MemoryInfo,
    ProcessCpuTimes,
)
from tests.conftest import SAMPLES
from tests.helpers import NOBODY, child, run_as

SAMPLE_ROOT = SAMPLES / "dev-machine" / "proc"


# -- a captured tree: answers worked out from its files -----------------------------


def test_answers_of_a_captured_process() -> None:
    # 1/stat: utime 176, stime 239, cutime 689, cstime 371, nice -10, 13 threads,
    # starttime 22, processor 0, no terminal; 1/statm: 10997 3584 1605 1330 0 9151 0;
    # stat: btime 1795858626. No auxv in the tree: this system's tick rate and page size.
    fs = ProcFS(SAMPLE_ROOT)
    p = fs.process(1)
    hz = os.sysconf("SC_CLK_TCK")
    page = os.sysconf("SC_PAGE_SIZE")
    assert p.cpu_times() == ProcessCpuTimes(176 / hz, 239 / hz, 689 / hz, 371 / hz, 0.0)
    assert p.memory_info() == MemoryInfo(
        3584 * page, 10997 * page, 1605 * page, 1330 * page, 0, 9151 * page, 0
    )
    assert p.uids() == Ids(0, 0, 0)
    assert p.gids() == Ids(0, 0, 0)
    assert p.num_ctx_switches() == CtxSwitches(344, 44)
    assert p.create_time() == 1795858626 + 22 / hz
    assert p.nice() == -10
    assert p.num_threads() == 13
    assert p.cpu_num() == 0
    assert p.terminal() is None
    assert p.state_name() == "sleeping"
    assert p.cpu_affinity() == [0, 1]
    assert p.username() == "root"
    assert p.as_dict(["pid", "name", "ppid", "status", "nice"]) == {
        "pid": 1,
        "name": "process_api",
        "ppid": 0,
        "status": "sleeping",
        "nice": -10,
    }
    # no io file was captured: ad_value, as a file the kernel lacks
    assert p.as_dict(["io_counters", "num_threads"], ad_value=-1) == {
        "io_counters": -1,
        "num_threads": 13,
    }


def test_syscalls_only_for_this_systems_pids() -> None:
    p = ProcFS(SAMPLE_ROOT).process(1)
    for call in (p.ionice, lambda: p.nice(5), lambda: p.rlimit(resource.RLIMIT_NOFILE)):
        with pytest.raises(NotFoundError, match="not a process of this system"):
            call()
    assert p.as_dict(["ionice", "nice"], ad_value="?") == {"ionice": "?", "nice": -10}


def _tree(tmp_path: Path, utime: int, stime: int) -> None:
    """A one-process tree whose stat says ``utime`` and ``stime``."""
    line = SAMPLE_ROOT.joinpath("1", "stat").read_bytes().split(b" ")
    line[13], line[14] = b"%d" % utime, b"%d" % stime
    directory = tmp_path / "1"
    directory.mkdir(exist_ok=True)
    (directory / "stat").write_bytes(b" ".join(line))


def test_cpu_percent_follows_psutil(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hz = os.sysconf("SC_CLK_TCK")
    _tree(tmp_path, 100, 50)
    p = ProcFS(tmp_path).process(1)
    clock = iter([10.0, 12.0, 12.0, 13.0])
    monkeypatch.setattr("procfs.process_info._monotonic", lambda: next(clock))
    assert p.cpu_percent() == 0.0  # the first call: a baseline
    _tree(tmp_path, 100 + hz, 50 + hz // 2)  # 1.5 s of CPU in 2 s
    assert p.cpu_percent() == 75.0
    assert p.cpu_percent() == 0.0  # no time passed: nothing to divide by
    _tree(tmp_path, 100 + 3 * hz, 50 + hz)  # 2.5 s more in 1 s: two CPUs busy
    assert p.cpu_percent(None) == 250.0
    with pytest.raises(ValueError):
        p.cpu_percent(-1)


# -- live: the same answers as psutil ------------------------------------------------


def _pairs() -> list[tuple[Process, psutil.Process]]:
    out = []
    for pid in psutil.pids():
        try:
            out.append((Process(pid), psutil.Process(pid)))
        except (NotFoundError, psutil.NoSuchProcess):
            continue
    return out


def _gone(error: BaseException) -> bool:
    return isinstance(error, (NotFoundError, psutil.NoSuchProcess))


def _agree(
    ours: Callable[[], Any],
    theirs: Callable[[], Any],
    same: Callable[[Any, Any, Any], bool],
    tries: int = 5,
) -> tuple[Any, Any, Any] | None:
    """Read ours, theirs, ours until ``same(a, b, c)``; the last reading if never (None if
    the process exited)."""
    found: tuple[Any, Any, Any] | None = None
    for _ in range(tries):
        try:
            found = (ours(), theirs(), ours())
        except (NotFoundError, psutil.NoSuchProcess):
            return None
        if same(*found):
            return None
    return found


def _between(a: Any, b: Any, c: Any) -> bool:
    """Every field of b between those of a and c (in either order)."""
    for x, y, z in zip(_values(a), _values(b), _values(c), strict=True):
        if not min(x, z) <= y <= max(x, z):
            return False
    return True


def _values(record: Any) -> list[Any]:
    if isinstance(record, tuple):  # psutil's namedtuples
        return list(record)
    if isinstance(record, int):
        return [record]
    return list(record.to_dict().values())


def _equal(a: Any, b: Any, c: Any) -> bool:
    return b in (a, c)


#: name -> (our reading, psutil's, how the three readings must agree)
LIVE: dict[str, tuple[Callable[[Process], Any], Callable[[psutil.Process], Any], Any]] = {
    "cpu_times": (Process.cpu_times, psutil.Process.cpu_times, _between),
    "memory_info": (Process.memory_info, psutil.Process.memory_info, _between),
    "memory_percent": (
        Process.memory_percent,
        psutil.Process.memory_percent,
        lambda a, b, c: min(a, c) - 1e-9 <= b <= max(a, c) + 1e-9,
    ),
    "num_ctx_switches": (Process.num_ctx_switches, psutil.Process.num_ctx_switches, _between),
    "io_counters": (Process.io_counters, psutil.Process.io_counters, _between),
    "uids": (lambda p: tuple(_values(p.uids())), lambda p: tuple(p.uids()), _equal),
    "gids": (lambda p: tuple(_values(p.gids())), lambda p: tuple(p.gids()), _equal),
    "username": (Process.username, psutil.Process.username, _equal),
    "num_threads": (Process.num_threads, psutil.Process.num_threads, _between),
    "num_fds": (Process.num_fds, psutil.Process.num_fds, _between),
    "cpu_num": (Process.cpu_num, psutil.Process.cpu_num, _equal),
    "create_time": (Process.create_time, psutil.Process.create_time, _equal),
    "status": (Process.state_name, psutil.Process.status, _equal),
    "nice": (Process.nice, psutil.Process.nice, _equal),
    "ppid": (lambda p: p.stat().ppid, psutil.Process.ppid, _equal),
    "cpu_affinity": (Process.cpu_affinity, psutil.Process.cpu_affinity, _equal),
    "rlimit": (
        lambda p: p.rlimit(resource.RLIMIT_NOFILE),
        lambda p: p.rlimit(psutil.RLIMIT_NOFILE),
        _equal,
    ),
    "ionice": (
        lambda p: (int(p.ionice().ioclass), p.ionice().value),
        lambda p: (int(p.ionice().ioclass), p.ionice().value),
        _equal,
    ),
    "is_running": (Process.is_running, psutil.Process.is_running, _equal),
    # psutil names a kernel thread's missing exe "", and only /dev/tty* and /dev/pts/*
    "exe": (
        lambda p: p.exe() if not p._is_kernel_thread() else "",
        psutil.Process.exe,
        _equal,
    ),
    "terminal": (
        lambda p: None if p.terminal() == "/dev/console" else p.terminal(),
        psutil.Process.terminal,
        _equal,
    ),
}


@pytest.mark.parametrize("name", sorted(LIVE))
def test_as_psutil_for_every_process(name: str) -> None:
    ours, theirs, same = LIVE[name]
    pairs = _pairs()
    assert len(pairs) > 1
    for mine, other in pairs:
        if name == "num_fds" and mine.pid == os.getpid():
            continue  # psutil counts the descriptor it lists fd/ with
        try:
            disagreement = _agree(partial(ours, mine), partial(theirs, other), same)
        except (PermissionDeniedError, psutil.AccessDenied) as exc:  # both must refuse
            with pytest.raises((PermissionDeniedError, psutil.AccessDenied)):
                ours(mine) if isinstance(exc, psutil.AccessDenied) else theirs(other)
            continue
        assert disagreement is None, (mine.pid, other.name(), disagreement)


def test_name_as_psutil() -> None:
    for mine, other in _pairs():
        try:
            ours, theirs = mine.as_dict(["name"])["name"], other.name()
        except (NotFoundError, psutil.NoSuchProcess):
            continue
        # psutil lengthens a 15-character comm from the command line
        assert ours == theirs or (len(ours) == 15 and theirs.startswith(ours)), (ours, theirs)


def test_memory_full_info_as_psutil() -> None:
    def same(a: Any, b: Any, c: Any) -> bool:
        return _between(a, b, c) or b in (a, c)

    for mine, other in _pairs()[:200]:
        try:
            found = _agree(mine.memory_full_info, other.memory_full_info, same)
        except (PermissionDeniedError, psutil.AccessDenied):
            continue
        assert found is None, (mine.pid, found)


def test_memory_full_info_without_smaps_rollup(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before Linux 4.14 the counters are summed from smaps: the same numbers, but pss,
    which smaps rounds down to a kB per mapping (smaps_rollup sums before rounding)."""

    def no_rollup(self: Process) -> object:
        raise NotFoundError("no smaps_rollup before Linux 4.14")

    with child(b"smaps") as proc:
        p = Process(proc.pid)
        for _ in range(5):  # (pss moves when a process sharing pages starts or exits)
            rollup = p.memory_full_info()
            with monkeypatch.context() as patch:
                patch.setattr(Process, "smaps_rollup", no_rollup)
                summed = p.memory_full_info()
            mappings = len(p.smaps())
            if rollup == p.memory_full_info():
                break
        assert summed.replace(pss=rollup.pss) == rollup
        assert 0 <= rollup.pss - summed.pss <= 1024 * mappings


def test_cpu_percent_as_psutil_on_a_busy_process() -> None:
    mine, other = Process.myself(), psutil.Process()
    mine.cpu_percent(), other.cpu_percent()
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        pass
    ours, theirs = mine.cpu_percent(), other.cpu_percent()
    # the same interval but for a few microseconds; each side counts whole clock ticks
    assert ours > 0
    assert abs(ours - theirs) <= 10, (ours, theirs)
    assert Process.myself().cpu_percent() == 0.0  # a new handle: a new baseline


def test_cpu_percent_with_an_interval() -> None:
    mine = Process.myself()
    start = time.monotonic()
    assert mine.cpu_percent(interval=0.2) <= 2 * 100 * os.cpu_count()  # type: ignore[operator]
    assert time.monotonic() - start >= 0.2


def test_memory_percent_names() -> None:
    p = Process.myself()
    total = procfs.meminfo().mem_total
    assert 0 < p.memory_percent("uss") <= p.memory_percent("vms")
    assert p.memory_percent("vms") == pytest.approx(p.memory_info().vms / total * 100, rel=0.1)
    with pytest.raises(ValueError, match="memtype"):
        p.memory_percent("nonsense")


def test_executable_deleted(tmp_path: Path) -> None:
    program = tmp_path / "sleeper"
    shutil.copy("/bin/sleep", program)
    proc = subprocess.Popen([str(program), "30"])
    try:
        p = Process(proc.pid)
        for _ in range(200):  # until it has executed
            if p.exe() == str(program):
                break
            time.sleep(0.01)
        assert p.executable() == procfs.process_info.Executable(str(program), False)
        program.unlink()
        assert p.executable() == procfs.process_info.Executable(str(program), True)
        assert p.exe() == str(program)
        assert psutil.Process(proc.pid).exe() == str(program)
    finally:
        proc.kill()
        proc.wait()


def test_threads_answer_for_themselves() -> None:
    me = Process.myself()
    (task,) = [t for t in me.tasks() if t.tid == os.getpid()]
    assert task.cpu_affinity() == me.cpu_affinity()
    assert task.uids() == me.uids()
    times = task.cpu_times()
    assert times.user <= me.cpu_times().user


# -- as_dict ------------------------------------------------------------------


def test_as_dict_names() -> None:
    p = Process.myself()
    everything = p.as_dict()
    assert list(everything) == list(ATTRIBUTES)
    psutil_names = {
        *("name", "status", "ppid", "cpu_times", "memory_info", "username", "num_threads"),
        *("create_time", "cmdline", "exe", "cwd", "nice", "terminal", "uids", "gids"),
        *("io_counters", "num_ctx_switches", "num_fds", "cpu_percent", "memory_percent"),
        *("cpu_num", "cpu_affinity", "ionice", "pid", "memory_full_info", "environ"),
    }
    assert psutil_names <= set(everything)
    assert everything["pid"] == os.getpid()
    assert everything["uids"] == p.uids()
    assert everything["cwd"] == os.getcwd()
    assert everything["status"] == "running"
    assert p.as_dict(["nice", "pid"]) == {"nice": os.getpriority(os.PRIO_PROCESS, 0), "pid": p.pid}
    with pytest.raises(ValueError, match="nonsense"):
        p.as_dict(["pid", "nonsense"])
    with pytest.raises(TypeError):
        p.as_dict("pid")


def test_as_dict_as_psutil() -> None:
    names = ["pid", "name", "ppid", "username", "uids", "gids", "create_time", "cmdline", "cwd"]
    with child(b"asdict") as proc:
        ours = Process(proc.pid).as_dict(names)
        theirs = psutil.Process(proc.pid).as_dict(names)
    assert ours == {**theirs, "uids": Ids(*theirs["uids"]), "gids": Ids(*theirs["gids"])}


def test_as_dict_of_a_kernel_thread() -> None:
    kthreadd = Process(2)
    if not kthreadd._is_kernel_thread():
        pytest.skip("pid 2 is not kthreadd here (a pid namespace)")
    found = kthreadd.as_dict(["exe", "cmdline", "memory_info"], ad_value="n/a")
    assert found == {"exe": "n/a", "cmdline": [], "memory_info": MemoryInfo(0, 0, 0, 0, 0, 0, 0)}


# -- errors ---------------------------------------------------------------------------


def _vanished() -> Process:
    proc = subprocess.Popen(["sleep", "30"])
    p = Process(proc.pid)
    proc.kill()
    proc.wait()
    return p


@pytest.mark.parametrize(
    "call",
    [
        Process.cpu_times,
        Process.memory_info,
        Process.memory_full_info,
        Process.username,
        Process.num_fds,
        Process.io_counters,
        Process.create_time,
        Process.state_name,
        Process.executable,
        Process.cpu_percent,
        Process.as_dict,
        lambda p: p.nice(5),
        lambda p: p.cpu_affinity([0]),
        lambda p: p.rlimit(resource.RLIMIT_NOFILE),
        lambda p: p.ionice(IoPriorityClass.IOPRIO_CLASS_IDLE),
    ],
)
def test_a_vanished_process_is_not_found(call: Callable[[Process], object]) -> None:
    p = _vanished()
    with pytest.raises(NotFoundError):
        call(p)
    assert not p.is_running()


def test_denied_reads_as_an_ordinary_user() -> None:
    target = Process(1)

    def read() -> list[object]:
        out: list[object] = []
        for call in (Process.io_counters, Process.memory_full_info, Process.cwd):
            try:
                call(target)
                out.append("read")
            except PermissionDeniedError:
                out.append("denied")
        out.append(target.as_dict(["io_counters", "pid", "cwd"], ad_value="ad"))
        return out

    denied = ["denied", "denied", "denied", {"io_counters": "ad", "pid": 1, "cwd": "ad"}]
    assert run_as(NOBODY, NOBODY, read) == denied


# -- setters, on a child, checked with psutil ----------------------------------------


def test_setters_on_a_child() -> None:
    with child(b"setters") as proc:
        p, other = Process(proc.pid), psutil.Process(proc.pid)
        assert p.nice(7) == 7 == other.nice()
        cpus = sorted(os.sched_getaffinity(0))
        assert p.cpu_affinity(cpus[:1]) == cpus[:1] == other.cpu_affinity()
        assert p.cpu_affinity(cpus) == cpus == other.cpu_affinity()
        soft, hard = p.rlimit(resource.RLIMIT_NOFILE)
        p.rlimit(resource.RLIMIT_NOFILE, (min(soft, 100), hard))
        assert p.rlimit(resource.RLIMIT_NOFILE) == (min(soft, 100), hard)
        assert other.rlimit(psutil.RLIMIT_NOFILE) == (min(soft, 100), hard)
        found = p.ionice(IoPriorityClass.IOPRIO_CLASS_BE, 6)
        assert (found.ioclass, found.value) == (IoPriorityClass.IOPRIO_CLASS_BE, 6)
        assert tuple(other.ionice()) == (psutil.IOPRIO_CLASS_BE, 6)
        assert int(p.ionice(IoPriorityClass.IOPRIO_CLASS_IDLE).ioclass) == psutil.IOPRIO_CLASS_IDLE
        assert other.ionice().ioclass == psutil.IOPRIO_CLASS_IDLE
        other.ionice(psutil.IOPRIO_CLASS_RT, 2)
        assert p.ionice() == procfs.process_info.IoPriority(IoPriorityClass.IOPRIO_CLASS_RT, 2)


def test_setter_arguments() -> None:
    with child(b"arguments") as proc:
        p = Process(proc.pid)
        with pytest.raises(ValueError):
            p.cpu_affinity([])
        with pytest.raises(ValueError):
            p.cpu_affinity([100_000])
        with pytest.raises(ValueError):
            p.ionice(IoPriorityClass.IOPRIO_CLASS_BE, 8)
        with pytest.raises(ValueError):
            p.ionice(IoPriorityClass.IOPRIO_CLASS_IDLE, 3)
        with pytest.raises(ValueError):
            p.ionice(None, 3)
        with pytest.raises(ValueError):
            p.ionice(9)
        with pytest.raises(ValueError):
            p.rlimit(resource.RLIMIT_NOFILE, (10, 5))


def test_setters_denied_to_an_ordinary_user() -> None:
    with child(b"denied") as proc:
        p = Process(proc.pid)

        def change() -> list[str]:
            out = []
            for call in (
                lambda: p.nice(3),
                lambda: p.cpu_affinity([0]),
                lambda: p.rlimit(resource.RLIMIT_NOFILE, (10, 10)),
                lambda: p.ionice(IoPriorityClass.IOPRIO_CLASS_IDLE),
            ):
                try:
                    call()
                    out.append("changed")
                except PermissionDeniedError:
                    out.append("denied")
            return out

        assert run_as(NOBODY, NOBODY, change) == ["denied"] * 4
        assert psutil.Process(proc.pid).nice() == 0
