"""/proc/[pid]/syscall: the three forms, and blocked or spinning children."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.syscall import Syscall, parse_syscall
from procfs.errors import ParseError
from tests.conftest import sample
from tests.helpers import child, wait_for

# read(2) by machine; other architectures are skipped
READ = {"x86_64": 0, "aarch64": 63}


def test_registered() -> None:
    assert PARSERS["[pid]/syscall"] is parse_syscall
    assert PARSERS["[pid]/task/[tid]/syscall"] is parse_syscall


def test_running() -> None:
    got = parse_syscall(sample("handmade/proc/4711/syscall"))
    assert got == Syscall(True)
    assert got.running and not got.in_syscall and got.number is None


def test_blocked_outside_a_system_call() -> None:
    got = parse_syscall(sample("handmade/proc/4711/task/4712/syscall"))
    assert got == Syscall(False, -1, None, 0x7FFC8B2A1E28, 0x7F0F1B2E4D3E)
    assert not got.in_syscall


def test_captured_blocked_in_read_and_nanosleep() -> None:
    # a Python process reading its stdin (a pipe), and its second thread in time.sleep
    main = parse_syscall(sample("dev-machine/proc/15532/syscall"))
    assert main.number == 0  # read on x86_64
    assert main.args == (0x0, 0x5566E194F090, 0x2000, 0x1000, 0x0, 0x0)
    assert main.stack_pointer == 0x7FFCB93DC420
    assert main.program_counter == 0x7F0B855162EC
    thread = parse_syscall(sample("dev-machine/proc/15532/task/15542/syscall"))
    assert thread.number == 230  # clock_nanosleep on x86_64
    assert thread.args is not None and thread.args[0] == 1  # CLOCK_MONOTONIC
    assert thread.to_dict()["args"] == list(thread.args)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"walking\n",
        b"0 0x1 0x2\n",  # a non-negative number needs the six arguments
        b"-1 0x1 0x2 0x3\n",
        b"-1 12 0x2\n",  # registers are written in hex with 0x
        b"x 0x1 0x2\n",
        b"0 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0xzz\n",
    ],
)
def test_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_syscall(data)


def test_live_child_blocked_in_read() -> None:
    machine = platform.machine()
    if machine not in READ:
        pytest.skip(f"no syscall number table for {machine}")
    with child(b"blocked") as proc:
        handle = procfs.Process(proc.pid)
        # it said "ready" just before it calls read: wait until it is blocked there
        wait_for(lambda: not handle.syscall().running and handle.syscall().number != -1)
        got = handle.syscall()
        assert got.number == READ[machine]
        assert got.args is not None and got.args[0] == 0  # fd 0, the pipe
        assert got.stack_pointer and got.program_counter


def test_live_spinning_child_is_running_or_outside_a_system_call() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        handle = procfs.Process(proc.pid)
        for _ in range(20):
            got = handle.syscall()
            assert got.running or (got.number == -1 and got.args is None), got
    finally:
        proc.kill()
        proc.wait()


def test_live_thread_in_sleep() -> None:
    machine = platform.machine()
    if machine != "x86_64":
        pytest.skip("the clock_nanosleep number is checked on x86_64 only")
    code = (
        "import sys, threading, time\n"
        "t = threading.Thread(target=time.sleep, args=(60,), daemon=True); t.start()\n"
        "print(t.native_id, flush=True); sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        tid = int(proc.stdout.readline())
        task = procfs.Process(proc.pid).task(tid)
        for _ in range(100):
            got = task.syscall()
            if got.number == 230:
                break
            os.sched_yield()
        assert got.number == 230  # clock_nanosleep
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
