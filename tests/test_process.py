"""The Process handle on the live system: identity, vanishing, zombies, permissions, descriptors."""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import procfs
from procfs import NotFoundError, PermissionDeniedError, Process
from procfs._pool import POOL as _POOL
from tests.helpers import NOBODY, child, open_fds, run_as, wait_for


def test_myself_is_this_process() -> None:
    me = Process.myself()
    assert me.pid == os.getpid()
    stat = me.stat()
    assert (stat.pid, stat.ppid, stat.pgrp, stat.session) == (
        os.getpid(),
        os.getppid(),
        os.getpgrp(),
        os.getsid(0),
    )
    assert procfs.myself().pid == os.getpid()


def test_start_time_agrees_with_ps() -> None:
    started = Process.myself().start_time()
    # procps prints the start in seconds since the epoch with `ps -o lstart`; use etimes
    # (elapsed seconds) instead, which needs no time-zone handling
    out = subprocess.run(
        ["ps", "-o", "etimes=", "-p", str(os.getpid())], capture_output=True, text=True
    )
    if out.returncode != 0:
        pytest.skip("procps ps is not available")
    elapsed = time.time() - started.timestamp()
    assert abs(elapsed - int(out.stdout)) <= 2


def test_missing_pid_is_not_found() -> None:
    with pytest.raises(NotFoundError) as info:
        Process(2**22 + 12345)
    assert isinstance(info.value, FileNotFoundError)
    assert info.value.path == f"/proc/{2**22 + 12345}"


def test_all_processes_matches_listing() -> None:
    listed = {p.pid for p in procfs.all_processes()}
    direct = {int(name) for name in os.listdir("/proc") if name.isdigit()}
    # processes may come and go between the two listings, but not many
    assert os.getpid() in listed
    assert len(listed ^ direct) <= 5
    assert set(procfs.pids()) & direct


@pytest.mark.parametrize(
    "comm",
    [b"a b", b"x) (y", b"))((", b"line\nbreak", b"\xff\xfeok", b"(", b")", b"ab) S 1 2 3"],
)
def test_odd_comm_round_trips(comm: bytes) -> None:
    with child(comm) as proc:
        process = Process(proc.pid)
        stat_comm = process.stat().comm
        assert os.fsencode(stat_comm) == comm
        assert os.fsencode(process.comm()) == comm
        assert process.stat().ppid == os.getpid()
        assert process.stat().state in "SR"


def test_cmdline_keeps_spaces_empty_and_undecodable_arguments() -> None:
    extra = [b"with space", b"", b"(paren)", b"new\nline", b"\xff\xfe"]
    with child(b"", extra) as proc:
        cmdline = Process(proc.pid).cmdline()
        assert [os.fsencode(arg) for arg in cmdline[-len(extra) :]] == extra
        assert cmdline[0] == sys.executable


def test_exited_process_reads_as_not_found() -> None:
    proc = subprocess.Popen(["sleep", "60"])
    handle = Process(proc.pid)
    assert handle.stat().pid == proc.pid
    handle.status()  # pins the directory
    proc.kill()
    proc.wait()
    for read in (handle.stat, handle.status, handle.statm, handle.cmdline, handle.maps):
        with pytest.raises(NotFoundError):
            read()
    assert not handle.is_alive()


def test_zombie_reads_as_zombie() -> None:
    proc = subprocess.Popen(["true"])
    handle = Process(proc.pid, _check=False)
    wait_for(lambda: handle.stat().state == "Z")
    stat = handle.stat()
    assert stat.state == "Z"
    assert stat.proc_state is procfs.ProcState.Zombie
    assert handle.status().state.startswith("Z")
    assert handle.cmdline() == []
    assert handle.is_alive()
    proc.wait()
    with pytest.raises(NotFoundError):
        handle.stat()


def _spawn_on_pid(pid: int, attempts: int = 50) -> subprocess.Popen[bytes] | None:
    """Start ``sleep`` on a given free pid through ns_last_pid (root only)."""
    for _ in range(attempts):
        try:
            with open("/proc/sys/kernel/ns_last_pid", "w") as f:
                f.write(str(pid - 1))
        except OSError:
            return None
        proc = subprocess.Popen(["sleep", "60"])
        if proc.pid == pid:
            return proc
        proc.kill()
        proc.wait()
    return None


@pytest.mark.parametrize("pinned", [True, False])
def test_reused_pid_is_refused(pinned: bool) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to write ns_last_pid")
    old = subprocess.Popen(["sleep", "60"])
    pid = old.pid
    handle = Process(pid)
    start = handle.stat().starttime
    if pinned:
        handle.status()
    else:
        handle._unpin()  # as if the pool had evicted it
    old.kill()
    old.wait()
    time.sleep(0.02)  # a new process must start in a later clock tick
    new = _spawn_on_pid(pid)
    if new is None:
        pytest.skip("could not place a process on the old pid")
    try:
        assert Process(pid).stat().starttime != start
        for read in (handle.stat, handle.status, handle.cmdline, handle.environ, handle.exe):
            with pytest.raises(NotFoundError):
                read()
    finally:
        new.kill()
        new.wait()


def test_no_descriptor_leak_on_success_and_errors() -> None:
    me = Process.myself()
    gone = subprocess.Popen(["true"])
    gone.wait()
    before = open_fds()
    for _ in range(50):
        me.stat()
        me.status()
        me.maps()
        me.fd()
        me.limits()
        me.mountinfo()
        with pytest.raises(NotFoundError):
            me.read("no-such-file")
        with pytest.raises(NotFoundError):
            Process(gone.pid)
        with pytest.raises(NotFoundError):
            procfs.ProcFS("/proc").read("no/such/file")
    leaked = open_fds() - before
    # the pinned directory of `me` is the only descriptor allowed to stay
    assert len(leaked) <= 1
    me._unpin()
    assert open_fds() - before == set()


def test_pool_closes_descriptors_of_dropped_handles() -> None:
    before = open_fds()
    handle = Process.myself()
    handle.status()
    assert len(open_fds() - before) == 1
    del handle
    assert open_fds() - before == set()


_MANY_HANDLES = textwrap.dedent(
    """
    import os, resource, sys
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    import procfs
    from procfs._pool import POOL as _POOL
    wanted = set(map(int, sys.argv[1:]))
    handles = list(procfs.all_processes())
    held = [p for p in handles if p.pid in wanted]
    assert len(held) == len(wanted), (len(held), len(wanted))
    for _ in range(2):
        for p in held:
            assert p.stat().pid == p.pid
            assert p.status().pid == p.pid
            assert p.cmdline()[0].endswith("sleep")
    fds = len(os.listdir("/proc/self/fd"))
    assert fds < 256, fds
    assert len(_POOL.handles) <= _POOL.limit(), len(_POOL.handles)
    print(len(held), fds, _POOL.limit())
    """
)


def test_1500_handles_under_256_descriptors() -> None:
    sleepers = []
    try:
        for _ in range(1500):
            sleepers.append(
                subprocess.Popen(["sleep", "120"], stdin=subprocess.DEVNULL, close_fds=True)
            )
        out = subprocess.run(
            [sys.executable, "-c", _MANY_HANDLES, *(str(p.pid) for p in sleepers)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        held, fds, limit = map(int, out.stdout.split())
        assert held == 1500
        assert limit == 256 // 8
        assert fds <= limit + 10
    finally:
        for proc in sleepers:
            proc.kill()
        for proc in sleepers:
            proc.wait()


def test_unprivileged_user_sees_stat_but_not_private_files() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to drop privileges")
    # import everything the child needs before it loses access to the interpreter's files
    import procfs.core.cmdline
    import procfs.core.fd
    import procfs.core.io
    import procfs.core.procstate
    import procfs.core.status

    assert procfs.core.status and procfs.core.cmdline and procfs.core.fd and procfs.core.io
    assert procfs.core.procstate

    with child(b"rootchild") as proc:
        target = Process(proc.pid)

        def probe() -> object:
            handle = Process(proc.pid)
            out: dict[str, object] = {"stat": handle.stat().comm, "status": handle.status().name}
            for name in ("environ", "fd", "io"):
                try:
                    getattr(handle, name)()
                    out[name] = "read"
                except PermissionDeniedError as exc:
                    out[name] = ("denied", isinstance(exc, PermissionError), exc.path)
            mine = Process.myself()
            out["own_environ"] = "PATH" in mine.environ() or mine.environ() == {}
            out["own_fd"] = len(mine.fd()) > 0
            out["own_io"] = (mine.io().rchar or 0) > 0
            return out

        result = run_as(NOBODY, NOBODY, probe)
        assert isinstance(result, dict), result
        assert result["stat"] == target.stat().comm == "rootchild"
        assert result["status"] == "rootchild"
        for name in ("environ", "fd", "io"):
            assert result[name] == ("denied", True, f"/proc/{proc.pid}/{name}"), result
        assert result["own_environ"] is True
        assert result["own_fd"] is True
        assert result["own_io"] is True


def test_process_handles_compare_by_identity() -> None:
    a = Process.myself()
    b = Process(os.getpid())
    assert a == b
    assert hash(a) == hash(b)
    assert repr(a) == f"Process(pid={os.getpid()}, root='/proc')"


def test_kill_during_iteration_never_raises_from_all_processes() -> None:
    procs = [subprocess.Popen(["sleep", "60"]) for _ in range(20)]
    try:
        iterator = procfs.all_processes()
        seen = 0
        for process in iterator:
            if seen == 0:
                for proc in procs:
                    proc.send_signal(signal.SIGKILL)
                for proc in procs:
                    proc.wait()
            seen += 1
            try:
                process.stat()
            except NotFoundError as exc:
                assert exc.errno == errno.ENOENT
        assert seen > 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_fd_limit_is_respected_by_pool_capacity() -> None:
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert 4 <= _POOL.limit() <= max(4, min(256, soft // 8))


def test_all_stats_reads_every_process_once() -> None:
    before = {int(name) for name in os.listdir("/proc") if name.isdigit()}
    stats = {stat.pid: stat for stat in procfs.all_stats()}
    after = {int(name) for name in os.listdir("/proc") if name.isdigit()}
    assert os.getpid() in stats
    # every process that lived throughout was read (others come and go meanwhile)
    assert before & after <= stats.keys()
    mine = stats[os.getpid()]
    assert (mine.ppid, mine.pgrp, mine.session) == (os.getppid(), os.getpgrp(), os.getsid(0))
    assert mine.starttime == Process.myself().stat().starttime


def test_all_stats_skips_processes_that_exit_and_leaks_nothing() -> None:
    procs = [subprocess.Popen(["sleep", "60"]) for _ in range(10)]
    before = open_fds()
    iterator = procfs.all_stats()
    first = next(iterator)
    assert first.pid >= 1
    for proc in procs:
        proc.kill()
    for proc in procs:
        proc.wait()
    rest = {stat.pid for stat in iterator}
    assert not rest & {proc.pid for proc in procs}
    assert open_fds() == before
    partial = procfs.all_stats()
    next(partial)
    del partial  # an abandoned scan closes its root descriptor
    assert open_fds() == before


def test_kernel_thread_has_an_empty_environment() -> None:
    kthreadd = Process(2)
    if kthreadd.stat().comm != "kthreadd":
        pytest.skip("pid 2 is not kthreadd here (a PID namespace?)")
    assert kthreadd.environ() == {}
    assert kthreadd.cmdline() == []
    gone = subprocess.Popen(["true"])
    handle = Process(gone.pid)
    gone.wait()
    with pytest.raises(NotFoundError):
        handle.environ()
