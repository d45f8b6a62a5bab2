"""Races and resources: reading every process while others start and exit, and 100,000 reads.

The promise under test: whatever a racing process does, a caller gets either
correct data or a typed error (here only NotFoundError and
PermissionDeniedError, as nothing is malformed), a handle never mixes two
processes, and no read leaks a descriptor or memory, on error paths too.
(Pid reuse and many handles are covered in test_process.py.)
"""

from __future__ import annotations

import gc
import inspect
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest

import procfs
from procfs import NotFoundError, ParseError, PermissionDeniedError, Process, ProcFS
from procfs.core import PARSERS
from procfs.core._record import to_plain
from procfs.process_actions import ProcessActions
from tests.helpers import open_fds

# Methods of Process that read nothing, or need arguments; and the actions (kill(),
# wait(), ...), which act on the process rather than read it.
_NOT_READERS = frozenset(
    {"read", "readlink", "listdir", "path", "myself"} | set(vars(ProcessActions))
)


def process_readers() -> list[str]:
    """Every per-process reader: the public methods of Process callable without arguments."""
    out = []
    for name in sorted(dir(Process)):
        if name.startswith("_") or name in _NOT_READERS:
            continue
        static = inspect.getattr_static(Process, name)
        if isinstance(static, (classmethod, staticmethod, property)) or not callable(static):
            continue
        params = list(inspect.signature(static).parameters.values())[1:]
        if all(
            p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params
        ):
            out.append(name)
    return out


def materialize(value: object) -> object:
    """Force lazy results (iterators of records or handles) and convert them to plain data."""
    if isinstance(value, Iterator):
        value = list(value)
    return to_plain(value)


def test_readers_are_discovered() -> None:
    readers = process_readers()
    for name in ("stat", "status", "statm", "io", "maps", "cmdline", "environ", "fd", "limits"):
        assert name in readers
    assert "mountinfo" in readers and "exe" in readers and "read" not in readers


class Churn:
    """A thread that starts and reaps short-lived processes as fast as it is allowed to."""

    # argv of the children, and how long each kind lives
    KINDS = (["true"], ["sleep", "0.01"], ["sleep", "0.2"], ["sleep", "1"])

    def __init__(self) -> None:
        self.started = 0
        self.reaped = 0
        self.pids: set[int] = set()
        self.stop = threading.Event()
        self.error: BaseException | None = None
        paths = [shutil.which(kind[0]) for kind in self.KINDS]
        if None in paths:
            pytest.skip("true or sleep is missing")
        self.paths = [str(p) for p in paths]
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        live: list[int] = []
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        try:
            while not self.stop.is_set():
                index = self.started % len(self.KINDS)
                pid = os.posix_spawn(self.paths[index], self.KINDS[index], env)
                self.pids.add(pid)
                live.append(pid)
                self.started += 1
                still = []
                for child in live:
                    done, _ = os.waitpid(child, os.WNOHANG)
                    if done:
                        self.reaped += 1
                    else:
                        still.append(child)
                live = still
                time.sleep(0.001)
        except BaseException as exc:  # pragma: no cover - reported by the test
            self.error = exc
        finally:
            for child in live:
                os.waitpid(child, 0)
                self.reaped += 1

    def __enter__(self) -> Churn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(30)


def test_churn_only_typed_errors_and_no_mixed_records() -> None:
    readers = process_readers()
    me = os.getpid()
    own_cmdline = Process.myself().cmdline()
    allowed_cmdlines = [[], own_cmdline, *(list(kind) for kind in Churn.KINDS)]
    unexpected: list[str] = []
    counts = {"processes": 0, "reads": 0, "not_found": 0, "denied": 0, "children_read": 0}

    def read_everything(process: Process, ours: bool) -> None:
        counts["processes"] += 1
        try:
            first = process.stat()
        except NotFoundError:
            counts["not_found"] += 1
            return
        if first.pid != process.pid:
            unexpected.append(f"stat of {process.pid} names {first.pid}")
        for name in readers:
            try:
                value = getattr(process, name)()
                materialize(value)
                counts["reads"] += 1
            except NotFoundError:
                counts["not_found"] += 1
                continue
            except PermissionDeniedError:
                counts["denied"] += 1
                continue
            except Exception as exc:
                unexpected.append(f"{process.pid} {name}: {type(exc).__name__}: {exc}")
                continue
            if name == "status" and (value.pid, value.tgid) != (process.pid, process.pid):
                unexpected.append(f"status of {process.pid} names {value.pid}")
            if name == "stat" and value.starttime != first.starttime:
                unexpected.append(f"stat of {process.pid} changed its start time")
            if name == "cmdline" and ours:
                counts["children_read"] += 1
                if value not in allowed_cmdlines:
                    unexpected.append(f"child {process.pid} has cmdline {value}")
            if name == "cmdline" and process.pid == me and value != own_cmdline:
                unexpected.append(f"our own cmdline read as {value}")

    duration = 4.0
    passes = 0
    with Churn() as churn:
        began = time.monotonic()
        while passes < 1 or time.monotonic() - began < duration:
            passes += 1
            # every process (a pass can take seconds on a busy machine) ...
            for process in procfs.all_processes():
                read_everything(process, process.pid in churn.pids)
            # ... then quick passes that read only the churned children, while they live and die
            quick_until = time.monotonic() + 1.0
            while time.monotonic() < quick_until:
                for process in procfs.all_processes():
                    if process.pid in churn.pids:
                        read_everything(process, True)
        elapsed = time.monotonic() - began
    assert churn.error is None, churn.error
    assert not unexpected, unexpected[:20]
    rate = churn.started / elapsed
    print(f"churn: {churn.started} processes in {elapsed:.1f} s ({rate:.0f}/s), {dict(counts)}")
    assert rate >= 100, f"only {rate:.0f} processes a second"
    assert churn.reaped == churn.started
    # the race was really run: reads succeeded, and processes vanished under us
    assert counts["reads"] > 1000 and counts["not_found"] > 0, counts
    assert counts["children_read"] > 0, counts


def test_every_reader_on_a_zombie_and_an_exited_process() -> None:
    """A zombie has lost its memory, files and namespaces: each reader gives data or NotFound."""
    readers = process_readers()
    proc = subprocess.Popen(["sleep", "60"])
    handle = Process(proc.pid)
    handle.status()  # pinned while alive
    proc.kill()
    zombie = Process(proc.pid, _check=False)
    deadline = time.monotonic() + 5
    while zombie.stat().state != "Z":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    outcomes: dict[str, str] = {}
    for name in readers:
        try:
            materialize(getattr(zombie, name)())
            outcomes[name] = "read"
        except (NotFoundError, PermissionDeniedError) as exc:
            outcomes[name] = type(exc).__name__
        except Exception as exc:
            outcomes[name] = f"UNEXPECTED {type(exc).__name__}: {exc}"
    assert zombie.is_alive()
    assert outcomes["stat"] == outcomes["status"] == outcomes["cmdline"] == "read"
    proc.wait()
    for name in readers:
        try:
            materialize(getattr(handle, name)())
            if name not in ("is_alive", "is_running", "start_time_ticks"):
                outcomes[f"exited {name}"] = "UNEXPECTED: read"
        except (NotFoundError, PermissionDeniedError):
            pass
        except Exception as exc:
            outcomes[f"exited {name}"] = f"UNEXPECTED {type(exc).__name__}: {exc}"
    assert not {k: v for k, v in outcomes.items() if v.startswith("UNEXPECTED")}, outcomes


def _exited_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _read_kinds(small: Process) -> list[Callable[[], object]]:
    """One read of each kind, success and error paths; each returns or raises its expected error.

    ``small`` is a process with a short ``maps`` (the test process's own is long and slow).
    """
    fs = ProcFS()
    me = Process.myself()
    dead = subprocess.Popen(["sleep", "60"])
    pinned = Process(dead.pid)
    pinned.status()  # holds the directory of a process that is about to exit
    dead.kill()
    dead.wait()
    gone_pid = _exited_pid()
    gone = Process(gone_pid, _check=False)  # a handle whose process exited before its first read
    parse_stat = PARSERS["[pid]/stat"]

    def expect(error: type[Exception], action: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            try:
                action()
            except error:
                return None
            raise AssertionError(f"{action} did not raise {error.__name__}")

        return run

    kinds: list[Callable[[], object]] = [
        me.stat,
        me.status,
        me.statm,
        me.io,
        me.cmdline,
        me.comm,
        me.exe,
        me.limits,
        me.fd,
        small.maps,
        small.mountinfo,
        fs.meminfo,
        fs.loadavg,
        fs.cgroups,
        fs.boot_time_secs,
        fs.kernel_version,
        fs.pids,
        expect(NotFoundError, gone.stat),
        expect(NotFoundError, gone.status),
        expect(NotFoundError, pinned.stat),
        expect(NotFoundError, pinned.status),
        expect(NotFoundError, pinned.cmdline),
        expect(NotFoundError, lambda: Process(gone_pid)),
        expect(NotFoundError, lambda: fs.read("no/such/file")),
        expect(NotFoundError, lambda: me.read("no-such-file")),
        expect(ParseError, lambda: parse_stat(b"12 (x) Q not numbers", "/x/stat")),
        expect(ParseError, lambda: str(parse_stat(b"", "/x/stat"))),
    ]
    try:
        fs.read("sys/vm/drop_caches")
    except PermissionDeniedError:  # write-only: even root is refused
        kinds.append(expect(PermissionDeniedError, lambda: fs.read("sys/vm/drop_caches")))
    except procfs.ProcError:
        pass
    return kinds


def _max_rss() -> int:
    """The peak resident set size of this process, in bytes (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def test_100000_reads_leak_neither_descriptors_nor_memory() -> None:
    small = subprocess.Popen(["sleep", "120"])
    try:
        _reads_leak_nothing(_read_kinds(Process(small.pid)))
    finally:
        small.kill()
        small.wait()


def _reads_leak_nothing(kinds: list[Callable[[], object]]) -> None:
    total = 100_000
    rounds = -(-total // len(kinds))
    for kind in kinds:  # warm up: lazy imports, caches, the pinned directory
        for _ in range(50):
            kind()
    gc.collect()
    fds_before = open_fds()
    # small objects (pymalloc blocks) count one by one; big buffers show in the peak RSS
    blocks_before = sys.getallocatedblocks()
    rss_before = _max_rss()
    reads = 0
    for _ in range(rounds):
        for kind in kinds:
            kind()
        reads += len(kinds)
    gc.collect()
    blocks_after = sys.getallocatedblocks()
    assert reads >= total
    fds_after = open_fds()
    assert fds_after == fds_before, fds_after ^ fds_before
    # a leak of one object per read would be 100,000 blocks
    assert blocks_after - blocks_before < 2000, (blocks_before, blocks_after)
    # a leak of one 1 kB buffer per read would be 100 MB
    assert _max_rss() - rss_before < 16 << 20


def test_many_threads_reading_one_handle() -> None:
    """Handles are shared across threads: concurrent reads agree and close what they open."""
    with_threads = 8
    handle = Process.myself()
    before = open_fds()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(300):
                assert handle.stat().pid == os.getpid()
                assert handle.status().pid == os.getpid()
                handle.fd()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(with_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors[:3]
    handle._unpin()
    assert open_fds() - before == set()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
