"""Process handles read from many threads while a tiny descriptor pool evicts under them."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

import procfs.core.io
import procfs.core.statm
import procfs.core.status
from procfs._pool import POOL as _POOL
from procfs.process import Process
from tests.helpers import open_fds

CHILDREN = 24
THREADS = 4
READS = 400


@pytest.fixture
def sleepers() -> Iterator[list[int]]:
    children = [subprocess.Popen(["sleep", "60"]) for _ in range(CHILDREN)]
    try:
        yield [child.pid for child in children]
    finally:
        for child in children:
            child.kill()
            child.wait()


@pytest.fixture
def tiny_pool() -> Iterator[None]:
    saved = _POOL.capacity
    interval = sys.getswitchinterval()
    _POOL.capacity = 4  # far fewer descriptors than handles: constant eviction
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        _POOL.capacity = saved


def test_reads_never_use_an_evicted_descriptor(sleepers: list[int], tiny_pool: None) -> None:
    """Each read returns its own process's file: no descriptor is closed (and its number
    reused for another process's directory) while a read goes through it."""
    assert procfs.core.status and procfs.core.statm and procfs.core.io  # parsers loaded
    before = open_fds()
    handles = [Process(pid) for pid in sleepers]
    mixups: list[str] = []
    errors: list[BaseException] = []

    def reader(seed: int) -> None:
        pick = random.Random(seed).choice
        try:
            for _ in range(READS):
                handle = pick(handles)
                status = handle.status()
                stat = handle.stat()
                handle.statm()
                if status.pid != handle.pid or stat.pid != handle.pid:
                    mixups.append(f"{handle.pid}: status {status.pid}, stat {stat.pid}")
        except BaseException as exc:  # report in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert not mixups, mixups[:5]
    assert len(_POOL.handles) <= _POOL.limit()
    assert all(not handle._busy for handle in handles)
    handles.clear()
    assert open_fds() == before


def test_checked_handles_leave_the_pool_free(sleepers: list[int], tiny_pool: None) -> None:
    """``Process(pid)`` and ``task(tid)`` pin to check, then leave the descriptor evictable:
    more checked handles than the pool holds keep at most the pool's worth open."""
    before = len(open_fds())
    handles = [Process(pid) for pid in sleepers]
    tasks = [handle.task(handle.pid) for handle in handles]
    assert len(_POOL.handles) <= _POOL.limit()
    assert len(open_fds()) <= before + _POOL.limit()
    assert [task.stat().pid for task in tasks] == sleepers
    assert [handle.status().pid for handle in handles] == sleepers
