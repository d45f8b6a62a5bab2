"""Unprivileged reads: an ordinary user reads every process; only typed errors come out.

Each test drops to ``nobody`` in a forked child (tests.helpers.run_as), so it
needs root to start; it skips otherwise.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from procfs import NotFoundError, PermissionDeniedError, Process, ProcFS
from tests.helpers import NOBODY, child, run_as
from tests.test_containers import _read_all, _warm_up
from tests.test_races import materialize

#: Readers that need a capability even for a process of the same user (proc(5)).
_NEEDS_CAPABILITY = {
    "timerslack_ns": "CAP_SYS_NICE, for any process but the caller itself",
    "stack": "CAP_SYS_ADMIN",
}


def _require_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to drop privileges")


def test_every_reader_on_every_process_as_nobody() -> None:
    _require_root()
    readers = _warm_up()
    with child(b"rootsecret") as root_child:

        def probe() -> object:
            out = _read_all(ProcFS(), readers)
            denied: dict[str, str] = {}
            handle = Process(root_child.pid)
            for name in readers:
                try:
                    materialize(getattr(handle, name)())
                except PermissionDeniedError as exc:
                    denied[name] = str(exc.path)
                except NotFoundError:
                    pass
            out["root_child_denied"] = denied
            out["root_child_comm"] = handle.stat().comm
            return out

        result = run_as(NOBODY, NOBODY, probe)
    assert isinstance(result, dict), result
    assert result["escaped"] == [], result["escaped"]
    seen = result["seen"]
    assert isinstance(seen, dict)
    assert 1 in seen and root_child.pid in seen  # stat and status are world-readable
    assert result["reads"] > 0
    assert result["root_child_comm"] == "rootsecret"
    denied = result["root_child_denied"]
    assert isinstance(denied, dict)
    # the private files of another user's process are refused, and the error names them
    for name in ("environ", "fd", "io", "exe", "cwd", "root"):
        assert denied.get(name) == f"/proc/{root_child.pid}/{name}", (name, denied)
    assert "stat" not in denied and "status" not in denied and "cmdline" not in denied


def test_own_processes_are_fully_readable() -> None:
    _require_root()
    readers = _warm_up()

    def probe() -> object:
        forked = os.fork()
        if forked == 0:  # pragma: no cover - a second process of the same user
            time.sleep(30)
            os._exit(0)
        spawned = subprocess.Popen(["sleep", "30"])
        failures: dict[str, str] = {}
        reads = 0
        try:
            deadline = time.monotonic() + 5
            while Process(spawned.pid).cmdline() != ["sleep", "30"]:  # until it has exec'd
                assert time.monotonic() < deadline
                time.sleep(0.01)
            for label, pid in (("self", os.getpid()), ("fork", forked), ("exec", spawned.pid)):
                handle = Process(pid)
                for name in readers:
                    try:
                        materialize(getattr(handle, name)())
                        reads += 1
                    except Exception as exc:
                        failures[f"{label} {name}"] = f"{type(exc).__name__}: {exc}"
        finally:
            os.kill(forked, signal.SIGKILL)
            os.waitpid(forked, 0)
            spawned.kill()
            spawned.wait()
        return {"failures": failures, "reads": reads}

    result = run_as(NOBODY, NOBODY, probe)
    assert isinstance(result, dict), result
    failures = result["failures"]
    assert isinstance(failures, dict)
    for where, error in failures.items():
        label, name = where.split(" ")
        assert label != "self", (where, error)
        assert name in _NEEDS_CAPABILITY and error.startswith("PermissionDeniedError"), (
            where,
            error,
        )
    assert result["reads"] >= 3 * (len(readers) - len(_NEEDS_CAPABILITY))


def test_unreadable_files_in_a_captured_tree() -> None:
    """A captured tree with files its reader may not open gives PermissionDeniedError."""
    _require_root()
    root = Path(tempfile.mkdtemp(prefix="pyprocfs-perm-"))
    try:
        os.chmod(root, 0o755)
        (root / "meminfo").write_bytes(b"MemTotal: 1 kB\nMemFree: 1 kB\n")
        (root / "loadavg").write_bytes(b"0.00 0.01 0.05 1/100 42\n")
        os.chmod(root / "loadavg", 0o600)
        fs = ProcFS(root)

        def probe() -> object:
            out: dict[str, object] = {"meminfo": fs.meminfo().mem_total}
            try:
                fs.loadavg()
            except PermissionDeniedError as exc:
                out["loadavg"] = (type(exc).__name__, exc.path, isinstance(exc, PermissionError))
            return out

        result = run_as(NOBODY, NOBODY, probe)
    finally:
        shutil.rmtree(root)
    assert result == {
        "meminfo": 1024,
        "loadavg": ("PermissionDeniedError", f"{root}/loadavg", True),
    }
