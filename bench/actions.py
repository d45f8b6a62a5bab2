"""Signals and waits on one process: procfs's handle, psutil's, and the bare syscalls.

    python bench/actions.py [ROUNDS]

Each round times a batch of calls of every variant in turn (interleaved, so
a busy moment hits them all), on one ``sleep`` child; the table gives the
median per call over the rounds and the ratio to the floor (``x os.kill``) (``os.kill``,
which checks nothing). Variants:

* signal 0 (existence check, no effect): ``Process.send_signal(0)`` with its
  directory pinned (the usual case), the same after the pool evicted it
  (``_unpin`` before each call: a pin and a ``stat`` read), the rejected
  design of a pidfd opened per call (``pidfd_open`` + ``stat`` through the
  pinned directory + ``pidfd_send_signal`` + ``close``), psutil's
  ``Process.send_signal(0)`` and the floors ``os.kill`` and
  ``pidfd_send_signal`` on a pidfd kept open.
* wait(0) on a running child (a timeout at once): procfs's pidfd wait and
  psutil's.

A second table gives how late each library's ``wait()`` notices the exit of
a process that is not its child (a shell's ``head -c 1``, released through
a pipe 100 ms into the wait): milliseconds from the release to the wait's
return, median over the rounds. psutil polls such a process (sleeps growing
to 40 ms); procfs waits on its pidfd.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import threading
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

BATCH = 200


def variants(pid: int) -> dict[str, Callable[[], object]]:
    """The calls to time, by name (the floors last)."""
    import psutil

    import procfs

    handle = procfs.Process(pid)
    unpinned = procfs.Process(pid)
    theirs = psutil.Process(pid)
    kept = os.pidfd_open(pid)

    def cold() -> None:
        unpinned._unpin()
        unpinned.send_signal(0)

    def pidfd_per_call() -> None:
        fd = os.pidfd_open(pid)
        try:
            handle.stat()
            signal.pidfd_send_signal(fd, 0)
        finally:
            os.close(fd)

    def our_wait() -> None:
        try:
            handle.wait(0)
        except procfs.TimeoutExpired:
            pass

    def their_wait() -> None:
        try:
            theirs.wait(0)
        except psutil.TimeoutExpired:
            pass

    return {
        "procfs send_signal(0), pinned": lambda: handle.send_signal(0),
        "procfs send_signal(0), evicted": cold,
        "pidfd per call + stat check": pidfd_per_call,
        "psutil send_signal(0)": lambda: theirs.send_signal(0),
        "floor os.kill(pid, 0)": lambda: os.kill(pid, 0),
        "floor pidfd_send_signal(kept, 0)": lambda: signal.pidfd_send_signal(kept, 0),
        "procfs wait(0), running": our_wait,
        "psutil wait(0), running": their_wait,
    }


def exit_latency(which: str) -> float:
    """Milliseconds from releasing a non-child (a ``head -c 1`` of the shell's, reading
    our pipe), 100 ms into ``which``'s wait(), to the wait's return (the release, the
    wake-up and the exit included)."""
    import psutil

    import procfs

    shell = subprocess.Popen(
        ["sh", "-c", "exec 3<&0; head -c 1 <&3 >/dev/null & echo $!; wait"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert shell.stdin is not None and shell.stdout is not None
    pid = int(shell.stdout.readline())
    handle: procfs.Process | psutil.Process
    handle = procfs.Process(pid) if which == "procfs" else psutil.Process(pid)
    released: list[float] = []

    def release() -> None:  # while the wait has been going on for 100 ms
        assert shell.stdin is not None
        released.append(time.perf_counter())
        shell.stdin.write(b"x")
        shell.stdin.flush()

    timer = threading.Timer(0.1, release)
    timer.start()
    handle.wait()
    took = time.perf_counter() - released[0]
    timer.join()
    shell.stdin.close()
    shell.wait()
    shell.stdout.close()
    return took * 1000


def main(rounds: int) -> None:
    child = subprocess.Popen(["sleep", "600"])
    try:
        calls = variants(child.pid)
        times: dict[str, list[float]] = {name: [] for name in calls}
        for call in calls.values():  # warm up
            call()
        for _ in range(rounds):
            for name, call in calls.items():
                start = time.perf_counter_ns()
                for _ in range(BATCH):
                    call()
                times[name].append((time.perf_counter_ns() - start) / BATCH / 1000)
    finally:
        child.kill()
        child.wait()
    floor = statistics.median(times["floor os.kill(pid, 0)"])
    print(f"{'variant':36} {'median µs':>10} {'x os.kill':>10}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:36} {median:10.2f} {median / floor:10.1f}")
    late: dict[str, list[float]] = {"procfs": [], "psutil": []}
    for _ in range(max(3, rounds // 3)):
        for which, values in late.items():
            values.append(exit_latency(which))
    print(f"\n{'wait() on a non-child, after exit':36} {'ms':>10}")
    for which, values in late.items():
        print(f"{which:36} {statistics.median(values):10.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
