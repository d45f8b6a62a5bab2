"""Signals and waits on process handles: bound to the process, never to a reused pid.

Most tests run twice: through pidfds (``pidfd``) and through the fallback of
kernels without them (``fallback``: the module's pidfd functions removed, as
after an ENOSYS). psutil is the independent check of states, permissions
and wait_procs' answers; the pid reuse tests hand a stale handle's pid to a
newcomer through ``ns_last_pid`` (as root), in this namespace and in a new
pid namespace (util-linux ``unshare``).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import PIPE

import psutil
import pytest

import procfs
from procfs import (
    ExitedProcess,
    NotFoundError,
    PermissionDeniedError,
    ProcError,
    Process,
    ProcFS,
    TimeoutExpired,
    process_actions,
    wait_procs,
)
from tests.conftest import SAMPLES
from tests.helpers import NOBODY, open_fds, run_as, wait_for

NS_LAST_PID = "/proc/sys/kernel/ns_last_pid"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["pidfd", "fallback"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test through pidfds and through the fallback of kernels without them."""
    if request.param == "fallback":
        _use_fallback(monkeypatch)
    yield request.param


def _use_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(process_actions, "_pidfd_send_signal", None)
    monkeypatch.setattr(process_actions, "_pidfd_open", None)


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen(["sleep", "60"])


def _cleanup(*procs: subprocess.Popen[bytes]) -> None:
    for proc in procs:
        if proc.poll() is None:
            try:
                proc.kill()
            except ProcessLookupError:  # pragma: no cover - reaped by the handle meanwhile
                pass
        try:
            proc.wait(10)
        except ChildProcessError:  # pragma: no cover - reaped by the handle
            pass


def _psutil_status(pid: int) -> str:
    return str(psutil.Process(pid).status())


# -- signals ------------------------------------------------------------------


def test_kill_a_child_and_reap_it(mode: str) -> None:
    proc = _sleeper()
    try:
        handle = Process(proc.pid)
        handle.send_signal(0)
        handle.kill()
        assert handle.wait(30) == -signal.SIGKILL
        with pytest.raises(ChildProcessError):  # reaped by the handle
            os.waitpid(proc.pid, os.WNOHANG)
        with pytest.raises(NotFoundError):
            handle.send_signal(0)
        with pytest.raises(NotFoundError):
            handle.terminate()
        assert handle.wait() is None  # gone: no code to give
        assert handle.wait(0) is None
    finally:
        proc.returncode = 0  # reaped by the handle: Popen must not wait for it
        _cleanup(proc)


def test_exit_codes_of_children(mode: str) -> None:
    exits = subprocess.Popen(["sh", "-c", "exit 7"])
    term = _sleeper()
    try:
        assert Process(exits.pid).wait(float("inf")) == 7  # (no limit, as None)
        handle = Process(term.pid)
        handle.terminate()
        assert handle.wait(30) == -signal.SIGTERM
    finally:
        exits.returncode = term.returncode = 0
        _cleanup(exits, term)


def test_suspend_and_resume_as_psutil_sees_them(mode: str) -> None:
    proc = _sleeper()
    try:
        handle = Process(proc.pid)
        handle.suspend()
        wait_for(lambda: _psutil_status(proc.pid) == psutil.STATUS_STOPPED, 30)
        assert handle.stat().state == "T"
        handle.resume()
        wait_for(lambda: _psutil_status(proc.pid) != psutil.STATUS_STOPPED, 30)
        assert handle.stat().state != "T"
    finally:
        _cleanup(proc)


def test_a_zombie_takes_signals_and_gives_its_code(mode: str) -> None:
    proc = subprocess.Popen(["sh", "-c", "exit 3"])
    try:
        handle = Process(proc.pid)
        wait_for(lambda: _psutil_status(proc.pid) == psutil.STATUS_ZOMBIE, 30)
        handle.terminate()  # no error, as kill(2) on a zombie
        handle.kill()
        assert _psutil_status(proc.pid) == psutil.STATUS_ZOMBIE
        assert handle.wait(0) == 3  # a zombie child is reaped at once
    finally:
        proc.returncode = 0
        _cleanup(proc)


def test_a_process_of_another_user_is_denied(mode: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to drop privileges")
    proc = _sleeper()  # root's
    try:
        handle = Process(proc.pid)
        handle.send_signal(0)  # loads what the child needs before it drops privileges
        process_actions._numbers_as_we_do(handle)
        target = psutil.Process(proc.pid)

        def probe() -> object:
            out = []
            for action in ("send_signal", "terminate", "kill", "suspend"):
                try:
                    mine = Process(proc.pid)
                    if action == "send_signal":
                        mine.send_signal(signal.SIGHUP)
                    else:
                        getattr(mine, action)()
                    out.append((action, "sent"))
                except PermissionDeniedError as exc:
                    out.append((action, type(exc).__name__))
            try:
                target.send_signal(signal.SIGHUP)
                out.append(("psutil", "sent"))
            except psutil.AccessDenied:
                out.append(("psutil", "AccessDenied"))
            return out

        result = run_as(NOBODY, NOBODY, probe)
        assert result == [
            ("send_signal", "PermissionDeniedError"),
            ("terminate", "PermissionDeniedError"),
            ("kill", "PermissionDeniedError"),
            ("suspend", "PermissionDeniedError"),
            ("psutil", "AccessDenied"),
        ]
        assert proc.poll() is None and _psutil_status(proc.pid) != psutil.STATUS_STOPPED
    finally:
        _cleanup(proc)


def test_a_kernel_without_pidfds(monkeypatch: pytest.MonkeyPatch) -> None:
    # ENOSYS (before Linux 5.1 and 5.3): the first call falls back for good
    def missing(*args: int) -> int:
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(process_actions, "_pidfd_send_signal", missing)
    monkeypatch.setattr(process_actions, "_pidfd_open", missing)
    proc = _sleeper()
    try:
        handle = Process(proc.pid)
        handle.suspend()
        assert process_actions._pidfd_send_signal is None
        wait_for(lambda: _psutil_status(proc.pid) == psutil.STATUS_STOPPED, 30)
        handle.kill()
        assert handle.wait(30) == -signal.SIGKILL
        assert process_actions._pidfd_open is None
    finally:
        proc.returncode = 0
        _cleanup(proc)


def test_bad_signals_are_refused() -> None:
    handle = Process.myself()
    for sig in (-1, signal.NSIG, 1000):
        with pytest.raises(ValueError, match="no signal"):
            handle.send_signal(sig)
    for wrong in ("9", 9.0, True, None):
        with pytest.raises(TypeError):
            handle.send_signal(wrong)  # type: ignore[arg-type]
    handle.send_signal(signal.Signals.SIGCONT)  # an enum member is an int


def _captured_tree(tmp_path: Path) -> ProcFS:
    (tmp_path / "123").mkdir()
    stat = Path("/proc/self/stat").read_bytes()
    (tmp_path / "123" / "stat").write_bytes(b"123" + stat[stat.index(b" ") :])
    return ProcFS(str(tmp_path))


def test_a_captured_process_cannot_be_signalled_or_waited_for(tmp_path: Path) -> None:
    handle = Process(123, _captured_tree(tmp_path))
    actions: list[Callable[[], object]] = [
        lambda: handle.send_signal(0),
        handle.kill,
        lambda: handle.wait(0),
    ]
    for action in actions:
        with pytest.raises(ProcError, match="captured tree") as caught:
            action()
        assert not isinstance(caught.value, NotFoundError | PermissionDeniedError)


# -- waiting ------------------------------------------------------------------


def _grandchild() -> tuple[subprocess.Popen[bytes], int]:
    """A shell (our child) with a ``sleep`` of its own (not our child): both, the sleep's pid."""
    shell = subprocess.Popen(["sh", "-c", "sleep 60 & echo $!; wait"], stdout=subprocess.PIPE)
    assert shell.stdout is not None
    return shell, int(shell.stdout.readline())


def test_a_process_that_is_not_a_child_gives_none(mode: str) -> None:
    shell, pid = _grandchild()
    try:
        handle = Process(pid)
        assert psutil.Process(pid).ppid() == shell.pid
        with pytest.raises(TimeoutExpired):
            handle.wait(0.05)
        handle.kill()
        assert handle.wait(30) is None
        assert shell.wait(30) == 0  # its parent, not the handle, reaped it
    finally:
        _cleanup(shell)
        if shell.stdout:
            shell.stdout.close()


def test_a_zombie_that_is_not_a_child_has_exited(mode: str) -> None:
    # the shell becomes a long sleep that never reaps its short one
    shell = subprocess.Popen(["sh", "-c", "sleep 0.05 & echo $!; exec sleep 60"], stdout=PIPE)
    try:
        assert shell.stdout is not None
        pid = int(shell.stdout.readline())
        handle = Process(pid)
        assert handle.wait(30) is None
        assert _psutil_status(pid) == psutil.STATUS_ZOMBIE  # exited, not reaped
        assert handle.wait(0) is None
        handle.send_signal(signal.SIGKILL)  # a zombie still takes signals
    finally:
        _cleanup(shell)
        if shell.stdout:
            shell.stdout.close()


def test_the_timeout(mode: str) -> None:
    proc = _sleeper()
    try:
        handle = Process(proc.pid)
        start = time.monotonic()
        with pytest.raises(TimeoutExpired) as caught:
            handle.wait(0.2)
        assert time.monotonic() - start >= 0.2  # it did not give up before the timeout
        err = caught.value
        assert isinstance(err, TimeoutError) and isinstance(err, ProcError)
        assert (err.seconds, err.pid, err.path, err.errno) == (0.2, proc.pid, handle.path(), None)
        assert "0.2 s" in str(err)
        with pytest.raises(TimeoutExpired):
            handle.wait(0)
        with pytest.raises(ValueError, match="at least 0"):
            handle.wait(-1)
        with pytest.raises(TypeError):
            handle.wait("1")  # type: ignore[arg-type]
        assert proc.poll() is None  # still running, not reaped
    finally:
        _cleanup(proc)


def _children() -> list[subprocess.Popen[bytes]]:
    """Children that exited with 0 and 3, one killed by SIGTERM (all three zombies by now,
    so that a short timeout sees them on a busy machine), one that keeps running."""
    procs = [
        subprocess.Popen(["sh", "-c", "exit 0"]),
        subprocess.Popen(["sh", "-c", "exit 3"]),
        _sleeper(),
        _sleeper(),
    ]
    procs[2].terminate()
    wait_for(lambda: all(_psutil_status(p.pid) == psutil.STATUS_ZOMBIE for p in procs[:3]), 30)
    return procs


def test_wait_procs_answers_as_psutil(mode: str) -> None:
    ours, theirs = _children(), _children()
    try:
        handles = [Process(proc.pid) for proc in ours]
        seen: list[ExitedProcess] = []
        gone, alive = wait_procs(handles, timeout=0.5, callback=seen.append)
        their_gone, their_alive = psutil.wait_procs(
            [psutil.Process(proc.pid) for proc in theirs], timeout=0.5
        )
        pids = [proc.pid for proc in ours]
        their_pids = [proc.pid for proc in theirs]
        mine = {pids.index(record.process.pid): record.returncode for record in gone}
        codes = {p.pid: p.returncode for p in their_gone}  # type: ignore[attr-defined]
        psutils = {their_pids.index(pid): int(code) for pid, code in codes.items()}
        assert mine == psutils == {0: 0, 1: 3, 2: -signal.SIGTERM}
        assert [pids.index(p.pid) for p in alive] == [3]
        assert [their_pids.index(p.pid) for p in their_alive] == [3]
        assert seen == gone and all(isinstance(record, ExitedProcess) for record in gone)
        assert alive[0] is handles[3]
    finally:
        for proc in ours[:3] + theirs[:3]:
            proc.returncode = 0
        _cleanup(*ours, *theirs)


def test_wait_procs_sees_each_exit_as_it_happens(mode: str) -> None:
    procs = [_sleeper() for _ in range(3)]
    try:
        handles = [Process(proc.pid) for proc in procs]
        order: list[int] = []

        def next_one(record: ExitedProcess) -> None:
            order.append(record.process.pid)
            left = [h for h in handles if h.pid not in order]
            if left:
                left[0].kill()  # the next exit comes from within the callback

        handles[0].kill()
        gone, alive = wait_procs(handles, timeout=30, callback=next_one)
        assert alive == [] and order == [proc.pid for proc in procs]
        assert {record.returncode for record in gone} == {-signal.SIGKILL}
    finally:
        for proc in procs:
            proc.returncode = 0
        _cleanup(*procs)


def test_wait_procs_arguments(mode: str) -> None:
    assert wait_procs([]) == ([], [])
    proc = _sleeper()
    try:
        handle = Process(proc.pid)
        with pytest.raises(TypeError, match="callable"):
            wait_procs([handle], callback=1)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            wait_procs([handle], timeout=-0.5)
        gone, alive = wait_procs([handle, handle], timeout=0)
        assert gone == [] and alive == [handle]  # given twice, counted once
        handle.kill()
        gone, alive = wait_procs([handle, handle], timeout=30)
        assert gone == [ExitedProcess(handle, -signal.SIGKILL)] and alive == []
    finally:
        proc.returncode = 0
        _cleanup(proc)


def test_out_of_descriptors_the_wait_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    # pidfd_open fails with EMFILE for some: those are polled through their directories,
    # the others watched through pidfds, in one wait
    real = os.pidfd_open
    starved: set[int] = set()
    polled: list[int] = []

    def scarce(pid: int, flags: int = 0) -> int:
        if pid in starved:
            polled.append(pid)
            raise OSError(errno.EMFILE, "Too many open files")
        return real(pid, flags)

    monkeypatch.setattr(process_actions, "_pidfd_open", scarce)
    shell, grandchild = _grandchild()
    procs = _children()
    try:
        handles = [Process(proc.pid) for proc in procs] + [Process(grandchild)]
        starved.update((procs[0].pid, procs[2].pid, procs[3].pid, grandchild))
        handles[-1].kill()
        gone, alive = wait_procs(handles, timeout=1)
        codes = {record.process.pid: record.returncode for record in gone}
        assert codes == {
            procs[0].pid: 0,
            procs[1].pid: 3,
            procs[2].pid: -signal.SIGTERM,
            grandchild: None,
        }
        assert alive == [handles[3]]
        # (twice each: the pool retries after EMFILE; the grandchild, killed before the
        # wait, may be reaped by its shell before the wait looks at it)
        assert set(polled) | {grandchild} == starved
        with pytest.raises(TimeoutExpired):
            handles[3].wait(0.05)
    finally:
        for proc in procs[:3]:
            proc.returncode = 0
        _cleanup(*procs, shell)
        if shell.stdout:
            shell.stdout.close()


def test_no_descriptor_is_left_open(mode: str) -> None:
    procs = [_sleeper() for _ in range(3)]
    try:
        handles = [Process(proc.pid) for proc in procs]
        for handle in handles:
            handle.stat()  # pinned before the count
        before = open_fds()
        with pytest.raises(TimeoutExpired):
            handles[0].wait(0.01)
        wait_procs(handles, timeout=0.01)

        def boom(record: ExitedProcess) -> None:
            raise RuntimeError("from the callback")

        handles[1].kill()
        with pytest.raises(RuntimeError, match="from the callback"):
            wait_procs(handles, timeout=30, callback=boom)
        handles[0].send_signal(0)
        assert open_fds() == before
    finally:
        procs[1].returncode = 0
        _cleanup(*procs)


def test_top_level_names() -> None:
    assert procfs.wait_procs is wait_procs
    assert procfs.TimeoutExpired is TimeoutExpired
    assert issubclass(TimeoutExpired, procfs.ProcError)


# -- pid reuse ------------------------------------------------------------------


def _fork_sleeper() -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        while True:
            signal.pause()
    return pid


def _fork_with_pid(pid: int, attempts: int = 200) -> int | None:
    """Fork a child that gets ``pid`` (free now), through ``ns_last_pid``; None if other
    forks keep taking it first."""
    with open(NS_LAST_PID, "r+b", buffering=0) as control:
        fcntl.flock(control, fcntl.LOCK_EX)  # as CRIU does: one writer at a time
        for _ in range(attempts):
            control.seek(0)
            control.write(b"%d" % (pid - 1))
            child = _fork_sleeper()
            if child == pid:
                return child
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
    return None


def _start_ticks(pid: int) -> int:
    data = Path(f"/proc/{pid}/stat").read_bytes()
    return int(data[data.rindex(b")") + 2 :].split()[19])


def reuse_check(pinned: bool, fallback: bool) -> str:
    """A stale handle whose pid a newcomer got: its actions fail, the newcomer lives on.

    Returns "ok", "no reuse" (the pid could not be handed out), or what went wrong.
    """
    old = _fork_sleeper()
    stale = Process(old)
    stale.stat()
    if not pinned:
        stale._unpin()  # the next action pins again and checks the start time
    os.kill(old, signal.SIGKILL)
    os.waitpid(old, 0)
    newcomer = _fork_with_pid(old)
    if newcomer is None:
        return "no reuse"
    try:
        born = _start_ticks(newcomer)
        failures = []
        actions: list[tuple[str, Callable[[], object]]] = [
            ("send_signal", lambda: stale.send_signal(signal.SIGTERM)),
            ("kill", stale.kill),
            ("suspend", stale.suspend),
        ]
        for name, action in actions:
            try:
                action()
                failures.append(f"{name} acted on the newcomer")
            except NotFoundError:
                pass
        if stale.wait(0) is not None:
            failures.append("wait reaped the newcomer")
        os.kill(newcomer, 0)  # still there
        state = Process(newcomer).stat()
        if _start_ticks(newcomer) != born or state.state not in "SR":
            failures.append(f"the newcomer changed: {state.state}")
        if os.waitpid(newcomer, os.WNOHANG) != (0, 0):
            failures.append("the newcomer exited")
        return "; ".join(failures) or "ok"
    finally:
        try:
            os.kill(newcomer, signal.SIGKILL)
            os.waitpid(newcomer, 0)
        except (ProcessLookupError, ChildProcessError):  # a failure: reported above
            pass


def _reuse_in_all_modes() -> list[str]:
    out = []
    for fallback in (False, True):
        saved = process_actions._pidfd_send_signal, process_actions._pidfd_open
        if fallback:
            process_actions._pidfd_send_signal = process_actions._pidfd_open = None
        try:
            for pinned in (True, False):
                out.append(
                    f"{'fallback' if fallback else 'pidfd'}/{pinned}: "
                    + reuse_check(pinned, fallback)
                )
        finally:
            process_actions._pidfd_send_signal, process_actions._pidfd_open = saved
    return out


def _require_pid_control() -> None:
    if os.geteuid() != 0 or not os.path.exists(NS_LAST_PID):
        pytest.skip("needs root and ns_last_pid (CONFIG_CHECKPOINT_RESTORE)")


def test_a_stale_handle_does_not_touch_the_newcomer() -> None:
    _require_pid_control()
    results = _reuse_in_all_modes()
    if all(result.endswith("no reuse") for result in results):
        pytest.skip("other processes kept taking the pid")  # pragma: no cover
    for result in results:
        assert result.endswith(("ok", "no reuse")), result


def test_a_stale_handle_in_a_new_pid_namespace() -> None:
    # where nothing else forks: the pid is always handed out
    _require_pid_control()
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("util-linux unshare is not installed")
    script = "from tests.test_process_actions import _reuse_in_all_modes as r; print(r())"
    done = subprocess.run(
        [unshare, "--pid", "--fork", "--mount-proc", sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert eval(done.stdout) == [
        f"{mode}/{pinned}: ok" for mode in ("pidfd", "fallback") for pinned in (True, False)
    ]


def test_a_root_that_numbers_processes_otherwise() -> None:
    # a new pid namespace that still sees its parent's /proc: pids there are not ours
    _require_pid_control()
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("util-linux unshare is not installed")
    script = """
import os, procfs
from procfs import process_actions
outside = int(os.readlink("/proc/self"))
handle = procfs.Process(outside)  # ourselves, by the parent namespace's number
assert os.getpid() == 1 and outside != 1
handle.send_signal(0)  # through the pinned directory: no numbers involved
try:
    handle.wait(0)
except procfs.TimeoutExpired:
    print("timeout")
process_actions._pidfd_send_signal = None
try:
    handle.send_signal(0)
except procfs.ProcError as exc:
    print(type(exc).__name__, "another pid namespace" in str(exc))
"""
    done = subprocess.run(
        [unshare, "--pid", "--fork", sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n") == ["timeout", "ProcError True", ""]


# -- a signal to one thread ------------------------------------------------------------

_THREADS = """\
import os, signal, sys, threading
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})  # (the thread inherits the mask)
started = threading.Event()
def worker():
    sys.stdout.write(f"{threading.get_native_id()}\\n"); sys.stdout.flush(); started.set()
    sys.stdin.read()
threading.Thread(target=worker, daemon=True).start()
started.wait()
sys.stdin.read()
"""


def _pending(pid: int, tid: int) -> tuple[int, int]:
    """The thread's own pending signals (SigPnd) and its process's (ShdPnd)."""
    status = Path(f"/proc/{pid}/task/{tid}/status").read_text().splitlines()
    fields = dict(line.split(":\t", 1) for line in status if ":\t" in line)
    return int(fields["SigPnd"], 16), int(fields["ShdPnd"], 16)


@pytest.mark.parametrize("thread_pidfds", [True, False], ids=["pidfd", "tgkill"])
def test_a_signal_reaches_that_thread_alone(
    monkeypatch: pytest.MonkeyPatch, thread_pidfds: bool
) -> None:
    if not thread_pidfds:  # (the path of kernels before 6.9)
        monkeypatch.setattr(process_actions, "_pidfd_open", None)
    proc = subprocess.Popen([sys.executable, "-c", _THREADS], stdin=PIPE, stdout=PIPE)
    try:
        assert proc.stdout is not None
        worker = int(proc.stdout.readline())
        task = procfs.Process(proc.pid).task(worker)
        task.send_signal(signal.SIGUSR1)  # blocked: it stays pending where it was sent
        bit = 1 << (signal.SIGUSR1 - 1)
        assert _pending(proc.pid, worker) == (bit, 0)
        assert _pending(proc.pid, proc.pid)[0] == 0  # not the main thread's
        task.send_signal(0)  # (a check, nothing sent)
    finally:
        proc.kill()
        proc.wait()
    with pytest.raises(NotFoundError):
        task.send_signal(signal.SIGUSR1)
    with pytest.raises(ValueError):
        task.send_signal(-1)
    with pytest.raises(TypeError):
        task.send_signal("SIGUSR1")  # type: ignore[arg-type]


def test_a_thread_of_a_captured_tree_is_not_signalled(tmp_path: Path) -> None:
    source = SAMPLES / "dev-machine" / "proc" / "1"
    shutil.copytree(source, tmp_path / "1")
    (tmp_path / "1" / "task" / "1").mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "stat", tmp_path / "1" / "task" / "1" / "stat")
    task = ProcFS(str(tmp_path)).process(1).task(1)
    with pytest.raises(ProcError, match="captured tree"):
        task.send_signal(signal.SIGTERM)
