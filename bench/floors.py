"""The floors: plain Python doing only the reads a workload cannot avoid.

No parsing, no records, no output: what is left of a workload's cost when
everything a library adds is taken away. Each floor uses the cheapest plain
calls (``openat`` relative to a ``/proc`` descriptor, one ``read`` for a
one-record file) so that the ratios to it are honest.

* ``a`` (ps): list ``/proc``; open, read once and close every ``[pid]/stat``.
* ``b`` (netstat): readlink every ``[pid]/fd/*``; read ``net/tcp`` and
  ``net/tcp6`` whole.
* ``c`` (top, an extra reference): ``a`` for ``stat``, ``status``, ``statm``
  and ``io``.
* ``d`` (system, an extra reference): read ``meminfo``, ``loadavg``,
  ``stat``, ``cpuinfo``, ``diskstats`` and ``net/dev`` whole.
* ``e`` (iter): ``a`` for ``stat``, ``status`` and ``statm`` (what psutil reads for
  pid, name, username, cpu_times and memory_info).
* ``f`` (cpu_percent): ``a`` twice (two samples of every process's CPU time).

Each returns the number of files (or links) it read. Run one whole-process
as ``python bench/floors.py a|b|c|d|e|f|g``.
"""

from __future__ import annotations

import os

__all__ = [
    "FLOORS",
    "floor_a",
    "floor_b",
    "floor_c",
    "floor_d",
    "floor_e",
    "floor_f",
    "floor_g",
    "read_whole",
]

_O_RDONLY = os.O_RDONLY | os.O_CLOEXEC
_O_DIR = _O_RDONLY | os.O_DIRECTORY
_open = os.open
_read = os.read
_close = os.close
_listdir = os.listdir
_readlink = os.readlink

SYSTEM_FILES = ("meminfo", "loadavg", "stat", "cpuinfo", "diskstats", "net/dev")


def _read_each(names: tuple[str, ...], root: str = "/proc") -> int:
    """Open, read once (8 KiB) and close ``<pid>/<name>`` for every pid and name."""
    done = 0
    proc = _open(root, _O_DIR)
    try:
        for pid in _listdir(proc):
            if not pid.isdigit():
                continue
            for name in names:
                try:
                    fd = _open(pid + name, _O_RDONLY, dir_fd=proc)
                except OSError:
                    continue
                try:
                    _read(fd, 8192)
                    done += 1
                except OSError:
                    pass
                finally:
                    _close(fd)
    finally:
        _close(proc)
    return done


def floor_a(root: str = "/proc") -> int:
    """Floor (a): every ``[pid]/stat``, read and thrown away."""
    return _read_each(("/stat",), root)


def read_whole(path: str) -> bytes:
    """A file read to its end (as a seq_file table must be)."""
    fd = _open(path, _O_RDONLY)
    try:
        chunks: list[bytes] = []
        while True:
            chunk = _read(fd, 65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        _close(fd)


def floor_b(root: str = "/proc") -> int:
    """Floor (b): every ``[pid]/fd/*`` link, then ``net/tcp`` and ``net/tcp6``."""
    done = 0
    proc = _open(root, _O_DIR)
    try:
        for pid in _listdir(proc):
            if not pid.isdigit():
                continue
            try:
                fd_dir = _open(pid + "/fd", _O_DIR, dir_fd=proc)
            except OSError:
                continue
            try:
                for name in _listdir(fd_dir):
                    try:
                        _readlink(name, dir_fd=fd_dir)
                        done += 1
                    except OSError:
                        pass
            except OSError:
                pass
            finally:
                _close(fd_dir)
    finally:
        _close(proc)
    for table in ("/net/tcp", "/net/tcp6"):
        try:
            read_whole(root + table)
            done += 1
        except OSError:
            pass
    return done


def floor_c(root: str = "/proc") -> int:
    """Floor (c): ``stat``, ``status``, ``statm`` and ``io`` of every process."""
    return _read_each(("/stat", "/status", "/statm", "/io"), root)


def floor_d(root: str = "/proc") -> int:
    """Floor (d): the system-wide files of the ``system`` workload, read whole."""
    done = 0
    for name in SYSTEM_FILES:
        try:
            read_whole(f"{root}/{name}")
            done += 1
        except OSError:
            pass
    return done


def floor_e(root: str = "/proc") -> int:
    """Floor (e): ``stat``, ``status`` and ``statm`` of every process."""
    return _read_each(("/stat", "/status", "/statm"), root)


def floor_f(root: str = "/proc") -> int:
    """Floor (f): every ``[pid]/stat``, twice."""
    return floor_a(root) + floor_a(root)


def floor_g(root: str = "/proc", smaps: bool = True) -> int:
    """Floor (g): what a process-groups scrape reads of every process (``stat``, ``status``,
    ``io``, ``limits``, ``wchan``, ``cmdline``, and ``smaps_rollup`` with ``smaps``; not the
    ``fd`` count)."""
    files = ("/stat", "/status", "/io", "/limits", "/wchan", "/cmdline")
    return _read_each((*files, "/smaps_rollup") if smaps else files, root)


FLOORS = {
    "a": floor_a,
    "b": floor_b,
    "c": floor_c,
    "d": floor_d,
    "e": floor_e,
    "f": floor_f,
    "g": floor_g,
}


def main(argv: list[str]) -> int:
    """``python bench/floors.py a|b|c|d|e|f|g``: run one floor once."""
    if len(argv) != 1 or argv[0] not in FLOORS:
        os.write(2, b"usage: python bench/floors.py a|b|c|d|e|f|g\n")
        return 2
    FLOORS[argv[0]]()
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
