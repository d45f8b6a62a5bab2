"""The family and the open things of processes: procfs against psutil and a raw-read floor.

In one process, each job done by procfs, by psutil and by plain reads (the
floor: only the system calls the job cannot avoid), interleaved round-robin
with ``gc.collect()`` before each run; medians of the CPU time of this process
(user + system: the machine may be shared) and ratios are printed::

    python bench/relations.py [ROUNDS [JOB...]]

The jobs, over every process of the machine:

* tree: every process's children (procfs: ``process_tree()``; psutil: the
  ppid map its ``children()`` reads, made into a tree; floor: read every
  ``[pid]/stat``).
* children: the descendants of pid 1 (procfs: ``Process(1).children(recursive=True)``;
  psutil: the same call).
* open_files: every process's regular open files (procfs:
  ``Process.open_files()``; psutil: ``Process.open_files()``; floor: readlink
  every ``[pid]/fd/*`` and ``stat`` the path ones).
* connections: every process's TCP, UDP and unix sockets (procfs:
  ``Process.connections("all")``; psutil: ``Process.net_connections("all")``;
  floor: readlink every ``[pid]/fd/*``, then read the five tables of those
  with a socket).
* net_connections: ``net_connections("all")`` of both (floor: readlink every
  ``[pid]/fd/*`` and read the five tables once).
"""

from __future__ import annotations

import gc
import importlib
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import procfs

psutil: Any = importlib.import_module("psutil")  # (untyped: no stubs installed)

TABLES = ("tcp", "tcp6", "udp", "udp6", "unix")


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _each(read: Callable[[int], object]) -> int:
    """``read(pid)`` for every process, skipping those gone or denied; how many answered."""
    done = 0
    for pid in _pids():
        try:
            read(pid)
            done += 1
        except (procfs.ProcError, psutil.Error):
            continue
    return done


def _links(pid: int) -> list[str]:
    """The targets of ``/proc/<pid>/fd/*`` (those that can be read)."""
    base = f"/proc/{pid}/fd/"
    out: list[str] = []
    try:
        names = os.listdir(base)
    except OSError:
        return out
    for name in names:
        try:
            out.append(os.readlink(base + name))
        except OSError:
            continue
    return out


def _read(path: str) -> int:
    fd = os.open(path, os.O_RDONLY)
    try:
        size = 0
        while chunk := os.read(fd, 65536):
            size += len(chunk)
        return size
    finally:
        os.close(fd)


def floor_stat() -> int:
    done = 0
    for pid in _pids():
        try:
            _read(f"/proc/{pid}/stat")
            done += 1
        except OSError:
            continue
    return done


def floor_open_files() -> int:
    done = 0
    for pid in _pids():
        for target in _links(pid):
            if target[:1] == "/":
                try:
                    os.stat(target)
                except OSError:
                    continue
                done += 1
    return done


def floor_connections() -> int:
    done = 0
    for pid in _pids():
        if any(target[:8] == "socket:[" for target in _links(pid)):
            for table in TABLES:
                try:
                    done += _read(f"/proc/{pid}/net/{table}") > 0
                except OSError:
                    continue
    return done


def floor_net_connections() -> int:
    done = sum(len(_links(pid)) for pid in _pids())
    return done + sum(_read(f"/proc/net/{table}") > 0 for table in TABLES)


def psutil_tree() -> int:
    by_parent: dict[int, list[int]] = {}
    for pid, ppid in psutil._pslinux.ppid_map().items():
        by_parent.setdefault(ppid, []).append(pid)
    return len(by_parent)


JOBS: dict[str, dict[str, Callable[[], object]]] = {
    "tree": {
        "procfs": procfs.process_tree,
        "psutil": psutil_tree,
        "floor": floor_stat,
    },
    "children": {
        "procfs": lambda: procfs.Process(1).children(recursive=True),
        "psutil": lambda: psutil.Process(1).children(recursive=True),
    },
    "open_files": {
        "procfs": lambda: _each(lambda pid: procfs.Process(pid).open_files()),
        "psutil": lambda: _each(lambda pid: psutil.Process(pid).open_files()),
        "floor": floor_open_files,
    },
    "connections": {
        "procfs": lambda: _each(lambda pid: procfs.Process(pid).connections("all")),
        "psutil": lambda: _each(lambda pid: psutil.Process(pid).net_connections("all")),
        "floor": floor_connections,
    },
    "net_connections": {
        "procfs": lambda: procfs.net_connections("all"),
        "psutil": lambda: psutil.net_connections("all"),
        "floor": floor_net_connections,
    },
}


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 15
    jobs = argv[1:] or list(JOBS)
    print(
        f"{len(_pids())} processes, {rounds} interleaved rounds;"
        " median ms of CPU time (ratio to psutil)"
    )
    for job in jobs:
        runners = JOBS[job]
        times: dict[str, list[float]] = {name: [] for name in runners}
        for run in runners.values():  # warm-up: imports, caches
            run()
        for _ in range(rounds):
            for name, run in runners.items():
                gc.collect()
                start = time.process_time()
                run()
                times[name].append(time.process_time() - start)
        medians = {name: statistics.median(found) * 1000 for name, found in times.items()}
        cells = [
            f"{name} {ms:7.2f} ({ms / medians['psutil']:.2f}x)" for name, ms in medians.items()
        ]
        print(f"{job:<16}" + "   ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
