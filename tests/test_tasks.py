"""Threads: Process.tasks() and Task handles, with the same readers as a process."""

from __future__ import annotations

import ctypes
import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from procfs import NotFoundError, Process, ProcFS
from procfs.process import Task
from tests.conftest import SAMPLES
from tests.helpers import open_fds, wait_for

_LIBC = ctypes.CDLL(None, use_errno=True)
_PR_SET_NAME = 15


@contextmanager
def threads(count: int) -> Iterator[list[tuple[int, str]]]:
    """``count`` threads that name themselves and wait; yields their (tid, name)."""
    ready = threading.Barrier(count + 1)
    stop = threading.Event()
    found: list[tuple[int, str]] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        name = f"worker-{index}".encode()
        _LIBC.prctl(_PR_SET_NAME, ctypes.c_char_p(name), 0, 0, 0)
        with lock:
            found.append((threading.get_native_id(), name.decode()))
        ready.wait()
        stop.wait()

    workers = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for worker in workers:
        worker.start()
    ready.wait()
    try:
        yield found
    finally:
        stop.set()
        for worker in workers:
            worker.join()


def test_tasks_are_the_threads() -> None:
    me = Process.myself()
    with threads(3) as started:
        tasks = me.tasks()
        tids = {task.tid for task in tasks}
        assert {tid for tid, _ in started} | {threading.get_native_id()} <= tids
        assert tids == {int(name) for name in os.listdir("/proc/self/task")}
        assert all(task.pid == os.getpid() and task.process is me for task in tasks)
        by_tid = {task.tid: task for task in tasks}
        for tid, name in started:
            task = by_tid[tid]
            # the same readers as a process, on the thread's own files
            assert task.comm() == name
            assert task.stat().pid == tid and task.stat().comm == name
            status = task.status()
            assert (status.pid, status.tgid) == (tid, os.getpid())
            assert task.schedstat().pcount >= 1
            assert task.wchan()
            assert task.cgroups() == me.cgroups()
            assert task.namespaces() == me.namespaces()
        assert me.task(threading.get_native_id()).comm() == me.comm()


def test_task_handle_identity() -> None:
    me = Process.myself()
    a = me.task(os.getpid())
    b = Task(me, os.getpid())
    assert a == b and hash(a) == hash(b)
    assert repr(a) == f"Task(pid={os.getpid()}, tid={os.getpid()}, root='/proc')"
    assert a.start_time_ticks() == me.stat().starttime  # the main thread started with us
    assert a.path("stat") == f"/proc/{os.getpid()}/task/{os.getpid()}/stat"


def test_exited_thread_reads_as_not_found() -> None:
    me = Process.myself()
    with threads(1) as started:
        ((tid, _),) = started
        task = me.task(tid)
        assert task.stat().pid == tid
        unpinned = Task(me, tid, _check=False)
    # (join() returns before the kernel has let the thread go: wait until it has)
    wait_for(lambda: not os.path.exists(f"/proc/self/task/{tid}"))
    # the thread is gone: both the pinned and the unpinned handle know it
    assert not task.is_alive()
    with pytest.raises(NotFoundError):
        task.status()
    with pytest.raises(NotFoundError):
        unpinned.stat()
    with pytest.raises(NotFoundError):
        me.task(tid)
    assert tid not in {t.tid for t in me.tasks()}


def test_missing_task() -> None:
    with pytest.raises(NotFoundError):
        Process.myself().task(2**22 + 7)


def _in_syscall(task: Task) -> bool:
    return task.syscall().number is not None


def test_threads_of_another_process() -> None:
    code = (
        "import sys, threading\n"
        "e = threading.Event()\n"
        "ts = [threading.Thread(target=e.wait) for _ in range(2)]\n"
        "[t.start() for t in ts]\n"
        "print(*[t.native_id for t in ts], flush=True)\n"
        "sys.stdin.read(); e.set()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        expected = {proc.pid, *map(int, proc.stdout.readline().split())}
        handle = Process(proc.pid)
        assert {t.tid for t in handle.tasks()} == expected
        for task in handle.tasks():
            assert task.stat().ppid == os.getpid()
            # each thread blocks in a system call once it has got there
            wait_for(functools.partial(_in_syscall, task))
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()


def test_task_descriptors_are_pooled_and_released() -> None:
    me = Process.myself()
    me.stat()
    me._unpin()
    before = open_fds()
    with threads(2):
        tasks = me.tasks()
        for task in tasks:
            task.status()  # pins the thread's directory (and the process's)
        assert len(open_fds() - before) <= len(tasks) + 1
        del tasks, task
    me._unpin()
    assert open_fds() - before == set()


def test_captured_tree_tasks() -> None:
    fs = ProcFS(SAMPLES / "dev-machine" / "proc")
    process = fs.process(15532)
    (task,) = [t for t in process.tasks() if t.tid == 15542]
    assert task.comm() == "python3"
    assert task.wchan() == "hrtimer_nanosleep"
    assert task.schedstat().pcount == 1
    assert task.syscall().number == 230
    assert task.auxv() == process.auxv()
    assert task.smaps_rollup() is not None
    assert process.fs is fs and task.fs is fs


def test_task_has_no_process_only_readers() -> None:
    for name in ("autogroup", "coredump_filter", "mountstats", "timerslack_ns", "tasks", "task"):
        assert hasattr(Process, name)
        assert not hasattr(Task, name)
