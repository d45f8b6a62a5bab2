"""The descriptor pool: no deadlock from the garbage collector or fork, graceful
behaviour near the descriptor limit, and no re-binding of an evicted handle to a newcomer.

Scenarios that hung before the fixes run in a child interpreter with a timeout, so a
regression fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from procfs import NotFoundError, Process, ProcFS
from procfs._pool import POOL
from procfs.errors import ProcError, ResourceLimitError
from tests.helpers import wait_for

#: How long a child scenario may take before it counts as hung.
TIMEOUT = 60


def _run(script: str) -> str:
    """Run ``script`` in a fresh interpreter; its stdout (it must exit 0 in time)."""
    try:
        out = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(script)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the scenario hung for {TIMEOUT} s")
    assert out.returncode == 0, out.stderr
    return out.stdout


# -- 1. the garbage collector inside the pool's critical section --------------

_GC_IN_CRITICAL_SECTION = """
    import gc, os, subprocess
    import procfs
    from procfs._pool import POOL

    class Collecting(dict):
        # every insertion into the pool's table (made with the pool locked) first runs
        # the cyclic garbage collector, as an allocation there may
        def __setitem__(self, key, value):
            gc.collect()
            super().__setitem__(key, value)

    class Holder:  # a handle kept in a reference cycle: only the cyclic GC frees it
        def __init__(self, handle):
            self.handle = handle
            self.me = self

    sleepers = [subprocess.Popen(["sleep", "60"]) for _ in range(8)]
    try:
        before = len(os.listdir("/proc/self/fd"))
        POOL.capacity = 4
        POOL.handles = Collecting(POOL.handles)
        for round in range(20):
            # more live handles than the pool holds, each reachable only from a cycle
            holders = [Holder(procfs.Process(proc.pid)) for proc in sleepers]
            for holder in holders:
                holder.handle.status()
            del holders, holder
        keep = [procfs.Process(proc.pid) for proc in sleepers]
        for handle in keep:
            assert handle.status().pid == handle.pid
        del keep
        gc.collect()
        procfs.Process(os.getpid()).stat()  # a pool operation: deferred closes are done
        after = len(os.listdir("/proc/self/fd"))
        print(before, after, len(POOL.handles))
    finally:
        for proc in sleepers:
            proc.kill()
            proc.wait()
"""


def test_gc_inside_the_pool_lock_does_not_deadlock() -> None:
    """A handle freed by the cyclic GC while the pool is locked (in the same thread)
    gives its descriptor back later instead of waiting for the lock forever."""
    before, after, pooled = map(int, _run(_GC_IN_CRITICAL_SECTION).split())
    assert pooled <= 4
    assert after <= before + pooled  # every descriptor of a freed handle was closed


_GC_EVERY_ALLOCATION = """
    import gc, os, subprocess
    import procfs
    from procfs._pool import POOL

    class Holder:
        def __init__(self, handle):
            self.handle = handle
            self.me = self

    sleepers = [subprocess.Popen(["sleep", "60"]) for _ in range(8)]
    try:
        POOL.capacity = 2
        gc.set_threshold(1)  # a collection at (nearly) every allocation
        for round in range(200):
            holders = [Holder(procfs.Process(proc.pid)) for proc in sleepers]
            for holder in holders:
                holder.handle.stat()
            del holders, holder
        gc.set_threshold(700)
        gc.collect()
        print("ok")
    finally:
        for proc in sleepers:
            proc.kill()
            proc.wait()
"""


def test_default_settings_with_gc_at_every_allocation() -> None:
    """Handles in reference cycles, more than the pool holds, the GC run as often as it can."""
    assert _run(_GC_EVERY_ALLOCATION).split() == ["ok"]


# -- 2. fork while another thread holds the pool lock -------------------------

_FORK_WHILE_LOCKED = """
    import os, threading, time
    import procfs
    from procfs._pool import POOL

    parent = procfs.Process(os.getpid())
    parent.status()  # parsers loaded, the pool in use
    locked = threading.Event()

    def hold():
        with POOL.lock:
            locked.set()
            time.sleep(0.5)

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait()
    pid = os.fork()
    if pid == 0:
        try:
            me = procfs.Process(os.getpid())
            mine = me.status().pid == os.getpid() and me.stat().pid == os.getpid()
            code = 0 if mine and parent.status().pid == os.getppid() else 3
        except BaseException:
            code = 4
        os._exit(code)
    holder.join()
    deadline = time.monotonic() + 20
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            print(os.waitstatus_to_exitcode(status))
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            print("hung")
            break
        time.sleep(0.01)
    assert procfs.Process(os.getpid()).stat().pid == os.getpid()  # the parent still works
"""


def test_fork_while_another_thread_holds_the_pool_lock() -> None:
    """The child of a fork made while another thread is in the pool can use handles."""
    assert _run(_FORK_WHILE_LOCKED).split() == ["0"]


_FORK_FROM_INSIDE_THE_POOL = """
    import os, time
    import procfs, procfs._pool
    from procfs._pool import POOL

    procfs._pool._FORK_WAIT = 0.2
    parent = procfs.Process(os.getpid())
    parent.status()
    with POOL.lock:  # as a finalizer run by the GC inside the pool would
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            ok = procfs.Process(os.getpid()).status().pid == os.getpid()
            ok = ok and parent.status().pid == os.getppid() and not POOL.lock.locked()
            os._exit(0 if ok else 3)
        waited = time.monotonic() - started
    done, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status), int(waited < 5), parent.stat().pid == os.getpid())
"""


def test_fork_from_inside_the_pool_gives_up_waiting() -> None:
    """A fork by the thread that holds the lock waits a moment, not forever; the
    child starts with an empty pool of its own."""
    assert _run(_FORK_FROM_INSIDE_THE_POOL).split() == ["0", "1", "True"]


# -- 3. near the descriptor limit ---------------------------------------------

_NEAR_THE_LIMIT = """
    import os, resource
    import procfs
    from procfs import NotFoundError, ProcError
    from procfs._pool import POOL
    from procfs.errors import ResourceLimitError

    resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    held = []
    while len(os.listdir("/proc/self/fd")) < 58:  # the application's own descriptors
        held.append(os.open("/dev/null", os.O_RDONLY))
    def listed():
        return {int(name) for name in os.listdir("/proc") if name.isdigit()}

    before = listed()
    handles = list(procfs.all_processes())
    throughout = before & listed()
    assert throughout <= {handle.pid for handle in handles}  # all_processes() drops none
    gone, read = set(), set()
    for round in range(3):
        for handle in handles:
            try:
                assert handle.stat().pid == handle.pid
                read.add(handle.pid)
            except NotFoundError:
                gone.add(handle.pid)
    missing = {handle.pid for handle in handles} - gone - read
    assert not missing, sorted(missing)
    assert POOL.limit() <= 2, POOL.limit()

    # the application takes every descriptor left but one: a new handle (which opens
    # its directory, then its stat) makes room by closing the idle pooled one
    assert POOL.handles
    spare = []
    try:
        while True:
            spare.append(os.open("/dev/null", os.O_RDONLY))
    except OSError:
        pass
    os.close(spare.pop())
    me = procfs.Process(os.getpid())
    assert me.stat().pid == os.getpid()
    # with nothing idle left to close, the error says what it is
    try:
        while True:
            spare.append(os.open("/dev/null", os.O_RDONLY))
    except OSError:
        pass
    try:
        procfs.Process(1)
        raise SystemExit("no error with every descriptor taken")
    except ResourceLimitError as exc:
        assert isinstance(exc, OSError) and isinstance(exc, ProcError), exc
        assert not isinstance(exc, NotFoundError), exc
        print(len(read), len(gone), exc.errno)
"""


def test_near_the_descriptor_limit_every_process_is_read() -> None:
    """64 descriptors, 58 of them the application's: every live process is read, and
    running out entirely is a ResourceLimitError, not "process gone"."""
    read, gone, code = map(int, _run(_NEAR_THE_LIMIT).split())
    assert read > 10 and gone < read
    assert code == 24  # EMFILE


def test_resource_limit_error_is_an_oserror_of_its_own_kind() -> None:
    from procfs.errors import from_oserror

    error = from_oserror(OSError(24, "Too many open files"), "/proc/1")
    assert isinstance(error, ResourceLimitError)
    assert isinstance(error, OSError) and isinstance(error, ProcError)
    assert not isinstance(error, FileNotFoundError)
    assert (error.errno, error.path) == (24, "/proc/1")
    assert "descriptors" in str(error)
    assert isinstance(
        from_oserror(OSError(23, "Too many open files in system"), "x"), ResourceLimitError
    )


def test_a_field_scan_with_a_default_still_raises_when_out_of_descriptors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A default stands for one process's unreadable file, not for every process's."""
    import procfs._fs

    errors: list[ProcError] = []
    assert list(ProcFS().scan_fields(["comm"], default=None, errors=errors))  # readable now
    real_open = procfs._fs._open

    def open_per_process(path: str, flags: int, dir_fd: int | None = None) -> int:
        if dir_fd is None:  # the root itself
            return real_open(path, flags)
        raise OSError(24, "Too many open files")  # every file of a process, on any path of _fs

    monkeypatch.setattr(procfs._fs, "_open", open_per_process)
    with pytest.raises(ResourceLimitError):
        list(ProcFS().scan_fields(["comm"], default=None, errors=errors))
    assert errors == []


class _Starved(ProcFS):
    """A root whose every read runs out of descriptors."""

    def read(self, relative: str, single: bool = False, table: bool = False) -> bytes:
        from procfs.errors import from_oserror

        raise from_oserror(OSError(24, "Too many open files"), self.path(relative))


def test_ps_does_not_leave_out_processes_when_out_of_descriptors() -> None:
    from procfs.cli import ps

    assert ps._euid_of(ProcFS(), os.getpid()) == os.geteuid()
    with pytest.raises(ResourceLimitError):
        ps._euid_of(_Starved(), os.getpid())


# -- 4. a reused pid with the same start time ---------------------------------

_STAT = (
    "{pid} ({comm}) S 1 {pid} {pid} 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 {start} 0 0 "
    + ("0 " * 30).strip()
)


def _fake_process(root: Path, pid: int, comm: str, start: int) -> Path:
    directory = root / str(pid)
    directory.mkdir()
    (directory / "stat").write_text(_STAT.format(pid=pid, comm=comm, start=start) + "\n")
    (directory / "cmdline").write_bytes(comm.encode() + b"\0")
    return directory


@pytest.fixture
def small_pool() -> Iterator[None]:
    saved = POOL.capacity
    POOL.capacity = 1
    try:
        yield
    finally:
        POOL.capacity = saved


@pytest.mark.parametrize("read", ["stat", "cmdline"])
def test_evicted_handle_never_binds_a_newcomer_of_the_same_tick(
    tmp_path: Path, small_pool: None, read: str
) -> None:
    fs = ProcFS(tmp_path)
    old = _fake_process(tmp_path, 100, "old", 4242)
    _fake_process(tmp_path, 200, "other", 4000)
    handle = Process(100, fs)
    assert handle.stat().comm == "old"
    Process(200, fs).stat()  # takes the pool's only place: the first handle is evicted
    assert handle._dirfd < 0
    old.rename(tmp_path / "100.gone")  # the old process exits; a newcomer gets its pid
    _fake_process(tmp_path, 100, "newcomer", 4242)  # in the same clock tick
    with pytest.raises(NotFoundError):
        getattr(handle, read)()
    assert Process(100, fs).stat().comm == "newcomer"  # a new handle binds the newcomer


def test_evicted_handle_rebinds_the_same_directory(tmp_path: Path, small_pool: None) -> None:
    fs = ProcFS(tmp_path)
    _fake_process(tmp_path, 100, "same", 4242)
    _fake_process(tmp_path, 200, "other", 4000)
    handle = Process(100, fs)
    Process(200, fs).stat()
    assert handle._dirfd < 0
    assert handle.stat().comm == "same"
    assert handle.cmdline() == ["same"]


def test_young_live_process_evicted_and_pinned_again_is_still_itself(
    small_pool: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen within its first clock tick (forced here), a handle checks its directory's
    inode on the next pin: the same live process passes, many times over."""
    import procfs._pool

    monkeypatch.setattr(procfs._pool, "boottime_ns", lambda: 0)  # every process is young
    with subprocess.Popen(["sleep", "60"]) as proc:
        try:
            handle = Process(proc.pid)
            wait_for(lambda: handle.cmdline() != [])  # (set a moment after Popen returns)
            other = Process(os.getpid())
            for _ in range(20):
                other.stat()  # evicts the handle
                assert handle._dirfd < 0
                assert handle.stat().pid == proc.pid
                assert handle.status().pid == proc.pid
                assert handle.cmdline() == ["sleep", "60"]
        finally:
            proc.kill()


def test_old_live_process_evicted_and_pinned_again_is_still_itself(small_pool: None) -> None:
    with subprocess.Popen(["sleep", "60"]) as proc:
        try:
            handle = Process(proc.pid)
            other = Process(os.getpid())
            for _ in range(20):
                other.stat()
                assert handle.status().pid == proc.pid
                assert handle.stat().pid == proc.pid
        finally:
            proc.kill()


def test_settled_once_the_start_tick_is_over() -> None:
    """The start time alone identifies a process seen after the tick of its start."""
    from procfs._pool import _TICK_NS, settled

    assert _TICK_NS * os.sysconf("SC_CLK_TCK") == 1_000_000_000
    assert not settled(500, 500 * _TICK_NS)
    assert not settled(500, 501 * _TICK_NS - 1)
    assert settled(500, 501 * _TICK_NS)
    me = Process.myself()
    me.stat()
    assert me._settled and me._inode is None  # (this test process is older than a tick)


def test_errors_module_documents_the_new_kind() -> None:
    import procfs.errors

    assert "ResourceLimitError" in (procfs.errors.__doc__ or "")
    assert issubclass(ResourceLimitError, ProcError)
