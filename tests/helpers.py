"""Helpers for live tests: child processes with chosen names, privilege drops."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

NOBODY = 65534

_LIBC = ctypes.CDLL(None, use_errno=True)
_PR_SET_DUMPABLE = 4

_CHILD = """\
import os, sys
name = os.fsencode(sys.argv[1])
if name:
    with open("/proc/self/comm", "wb") as f:
        f.write(name)
sys.stdout.write("ready\\n")
sys.stdout.flush()
sys.stdin.read()
"""


@contextmanager
def child(comm: bytes = b"", argv: list[bytes] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """A Python child that set its comm to ``comm`` and waits until its stdin closes.

    ``argv`` are extra arguments that show up in its cmdline.
    """
    args: list[bytes | str] = [sys.executable, "-c", _CHILD, comm]
    args.extend(argv or [])
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        yield proc
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.wait(10)
        if proc.stdout:
            proc.stdout.close()


def run_as(uid: int, gid: int, action: Callable[[], object]) -> object:
    """Run ``action`` in a forked child with dropped privileges; return its result.

    Everything the action needs must already be imported: the interpreter's
    own files may not be readable by ``uid``. Results travel back as ``repr``.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        status = 0
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            # a process that drops privileges becomes non-dumpable, which makes its own
            # /proc files root's; an ordinary user's process is dumpable
            _LIBC.prctl(_PR_SET_DUMPABLE, 1, 0, 0, 0)
            result = repr(action())
        except BaseException as exc:
            result = repr(("raised", type(exc).__name__, str(exc)))
            status = 1
        os.write(write_end, result.encode())
        os._exit(status)
    os.close(write_end)
    chunks = []
    while True:
        data = os.read(read_end, 65536)
        if not data:
            break
        chunks.append(data)
    os.close(read_end)
    os.waitpid(pid, 0)
    import ast

    return ast.literal_eval(b"".join(chunks).decode())


def open_fds() -> set[str]:
    """The descriptors this process has open now."""
    return set(os.listdir("/proc/self/fd"))


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll ``predicate`` until it is true, or fail the test."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail("condition not reached in time")
        time.sleep(0.01)


def vmstat_free_pages() -> int:
    """``nr_free_pages`` of ``/proc/vmstat``, read by hand (a reference for other readers)."""
    with open("/proc/vmstat", "rb") as f:
        for line in f:
            name, _, value = line.partition(b" ")
            if name == b"nr_free_pages":
                return int(value)
    raise AssertionError("no nr_free_pages in /proc/vmstat")
