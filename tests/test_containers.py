"""Procfs mounts the way containers see them: hidepid=2, and a new PID namespace.

Both tests mount a procfs of their own (root only) and skip cleanly where the
system does not allow it (unprivileged runs, restricted sandboxes).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import procfs
from procfs import NotFoundError, PermissionDeniedError, Process, ProcFS
from procfs.core import PARSERS
from tests.helpers import NOBODY, child, run_as
from tests.test_races import materialize, process_readers


def _require_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a procfs")


def _warm_up() -> list[str]:
    """Import everything the readers use, before a child drops its privileges."""
    assert PARSERS  # imports every parser module
    import procfs.net
    import procfs.system
    import procfs.tty

    assert procfs.system and procfs.net and procfs.tty
    readers = process_readers()
    me = Process.myself()
    for name in readers:
        try:
            materialize(getattr(me, name)())
        except procfs.ProcError:
            pass
    return readers


@contextmanager
def _mount_point() -> Iterator[Path]:
    """An empty directory that any user can traverse, removed (and unmounted) afterwards."""
    base = Path(tempfile.mkdtemp(prefix="pyprocfs-mnt-"))
    os.chmod(base, 0o755)
    target = base / "proc"
    target.mkdir()
    try:
        yield target
    finally:
        if os.path.ismount(target):
            subprocess.run(["umount", "-l", str(target)], check=False)
        shutil.rmtree(base, ignore_errors=True)


def _mount_options(target: Path) -> str | None:
    """The super options of the mount at ``target``, from this process's mountinfo."""
    for mount in Process.myself().mountinfo():
        if mount.mount_point == str(target):
            return ",".join(f"{k}={v}" if v else k for k, v in mount.super_options.items())
    return None


def _read_all(fs: ProcFS, readers: list[str]) -> dict[str, object]:
    """Every reader on every process of ``fs``: what was read, and what else escaped."""
    seen: dict[int, int] = {}
    escaped: list[str] = []
    reads = 0
    for process in fs.all_processes():
        try:
            seen[process.pid] = process.status().ruid
        except NotFoundError:
            continue
        for name in readers:
            try:
                materialize(getattr(process, name)())
                reads += 1
            except (NotFoundError, PermissionDeniedError):
                pass
            except Exception as exc:
                escaped.append(f"{process.pid} {name}: {type(exc).__name__}: {exc}")
    return {"seen": seen, "escaped": escaped, "reads": reads}


def _kernel_at_least(major: int, minor: int) -> bool:
    return procfs.kernel_version() >= (major, minor)


def test_hidepid_2_hides_other_users_processes() -> None:
    _require_root()
    if not _kernel_at_least(5, 8):
        # before 5.8 every procfs mount of a PID namespace shares its options: mounting
        # with hidepid=2 would change the options of the system's own /proc
        pytest.skip("per-mount procfs options need Linux 5.8")
    readers = _warm_up()
    system_options = _mount_options(Path("/proc"))
    with _mount_point() as target, child(b"rootowned") as root_child:
        mounted = subprocess.run(
            ["mount", "-t", "proc", "-o", "hidepid=2", "proc", str(target)],
            capture_output=True,
            text=True,
        )
        if mounted.returncode != 0:
            pytest.skip(f"cannot mount a procfs here: {mounted.stderr.strip()}")
        options = _mount_options(target) or ""
        assert "hidepid=2" in options or "hidepid=invisible" in options, options
        assert _mount_options(Path("/proc")) == system_options  # the system's is untouched
        fs = ProcFS(target)

        def probe() -> object:
            sleeper = os.fork()
            if sleeper == 0:  # pragma: no cover - the user's own second process
                time.sleep(30)
                os._exit(0)
            try:
                out = _read_all(fs, readers)
                out["me"] = os.getpid()
                out["sleeper"] = sleeper
                try:
                    Process(root_child.pid, fs).status()
                    out["root_child"] = "read"
                except NotFoundError:
                    out["root_child"] = "absent"
                out["pids"] = sorted(fs.pids())
                mine = Process(sleeper, fs)
                out["sleeper_full"] = [
                    (name, type(exc).__name__)
                    for name in ("stat", "status", "cmdline", "environ", "fd", "io", "maps")
                    for exc in _raised(getattr(mine, name))
                ]
                return out
            finally:
                os.kill(sleeper, signal.SIGKILL)
                os.waitpid(sleeper, 0)

        result = run_as(NOBODY, NOBODY, probe)
        assert isinstance(result, dict), result
        assert result["escaped"] == [], result["escaped"]
        seen = result["seen"]
        assert result["me"] in seen and result["sleeper"] in seen
        assert set(seen.values()) == {NOBODY}, seen  # only the user's own processes
        assert set(seen) <= set(result["pids"])
        assert result["root_child"] == "absent"
        assert result["sleeper_full"] == []
        assert result["reads"] > 0
        # root sees every process through the same mount
        everyone = set(fs.pids())
        assert root_child.pid in everyone and 1 in everyone
        assert len(everyone) > len(seen)


def _raised(action: object) -> list[BaseException]:
    """[] if calling ``action`` succeeds, else [the exception]."""
    try:
        materialize(action())  # type: ignore[operator]
    except Exception as exc:
        return [exc]
    return []


def _children_of(pid: int) -> list[int]:
    """The children of ``pid``, from the kernel's own list (``task/<pid>/children``)."""
    try:
        data = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        pytest.skip("no task/[tid]/children on this kernel")
    return [int(p) for p in data.split()]


def test_pid_namespace_mount_shows_that_namespace() -> None:
    _require_root()
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is not installed")
    readers = _warm_up()
    with _mount_point() as target:
        # The shell is pid 1 of a new PID namespace and mounts that namespace's procfs
        # in our mount namespace, where this test can read it.
        script = f"mount -t proc proc '{target}' || exit 1; echo ready; sleep 60 & wait"
        proc = subprocess.Popen(
            [unshare, "--pid", "--fork", "sh", "-c", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        host_init = None
        try:
            assert proc.stdout is not None
            if proc.stdout.readline() != b"ready\n":
                proc.wait(10)
                assert proc.stderr is not None
                pytest.skip(f"cannot enter a new PID namespace: {proc.stderr.read().decode()}")
            (host_init,) = _children_of(proc.pid)
            fs = ProcFS(target)
            pids = sorted(fs.pids())
            # the namespace's view: its own pid 1 (the shell), and only its few processes
            assert pids[0] == 1 and len(pids) <= 4, pids
            init = fs.process(1)
            assert init.cmdline() == ["sh", "-c", script]
            assert init.stat().ppid == 0
            assert init.status().nspid == (1,)
            # the same process seen from the host: another pid, the same start
            host = Process(host_init)
            assert host.stat().starttime == init.stat().starttime
            nspid = Path(f"/proc/{host_init}/status").read_text().split("NSpid:")[1]
            assert nspid.split("\n")[0].split() == [str(host_init), "1"]
            assert host.status().nspid == (host_init, 1)
            # we are not in that namespace: its "self" names nobody
            with pytest.raises(NotFoundError):
                fs.myself()
            # the default root is the host's: many processes, its own init, the shell's host pid
            host_pids = set(procfs.pids())
            assert host_init in host_pids and os.getpid() in host_pids and 1 in host_pids
            assert len(host_pids) > len(pids)
            assert Process(1).stat().starttime != init.stat().starttime or host_init == 1
            # every reader works through the namespace's root
            result = _read_all(fs, readers)
            assert result["escaped"] == []
            seen = result["seen"]
            assert isinstance(seen, dict) and 1 in seen and len(seen) <= 4
        finally:
            if host_init is not None:
                os.kill(host_init, signal.SIGKILL)  # ends the whole namespace
            proc.kill()
            proc.wait(10)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
