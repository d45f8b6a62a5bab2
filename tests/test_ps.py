"""``procfs ps`` against procps ``ps`` on the same machine."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from procfs import ProcFS
from procfs.cli import main
from procfs.cli.ps import format_time, printable, rows
from tests.helpers import child
from tests.proc_bind import run

pytestmark = pytest.mark.skipif(shutil.which("ps") is None, reason="procps ps is not installed")

Rows = dict[int, tuple[str, str, str]]


def _procps(*args: str) -> Rows:
    """pid -> (tty, time, comm) from procps ``ps``."""
    out = subprocess.run(
        ["ps", *args, "-o", "pid=,tty=,time=,comm="],
        capture_output=True,
        check=True,
        stdin=subprocess.DEVNULL,
    ).stdout
    table: Rows = {}
    for line in out.decode("utf-8", "replace").splitlines():
        pid, tty, time, comm = line.split(None, 3)
        table[int(pid)] = (tty, time, comm)
    return table


def _ours_from_text(text: str) -> Rows:
    lines = text.splitlines()
    assert lines[0].split() == ["PID", "TTY", "TIME", "CMD"]
    table: Rows = {}
    for line in lines[1:]:
        pid, tty, time, comm = line.split(None, 3)
        table[int(pid)] = (tty, time, comm)
    return table


def _compare(before: Rows, ours: Rows, after: Rows, own: set[int]) -> None:
    stable = {pid for pid in before.keys() & after.keys() if before[pid] == after[pid]} - own
    assert len(stable) >= 1
    missing = stable - ours.keys()
    assert not missing, f"ps shows {sorted(missing)} but procfs ps does not"
    # (a kernel worker's name is its current work item: it changes without the process running)
    different = {
        pid: (before[pid], ours[pid])
        for pid in stable
        if ours[pid] != before[pid]
        and not (ours[pid][2].startswith("kworker/") and before[pid][2].startswith("kworker/"))
    }
    assert not different
    # ours may include processes that started or ended between the runs, not many more
    assert len(ours.keys() - before.keys() - after.keys() - own) <= 5


def test_every_process_matches_procps() -> None:
    with child(b"odd (name) x"), child(b"tab\there"):
        zombie = subprocess.Popen(["true"])
        try:
            before = _procps("-e")
            ours = {
                row.pid: (row.tty, row.time, row.cmd) for row in rows(ProcFS("/proc"), every=True)
            }
            after = _procps("-e")
            _compare(before, ours, after, {os.getpid()})
            assert ours[zombie.pid][2] == "true"
        finally:
            zombie.wait()


def test_command_output_matches_procps() -> None:
    before = _procps("-e")
    out = subprocess.run(
        [sys.executable, "-m", "procfs", "ps", "-e"], capture_output=True, text=True, check=True
    )
    after = _procps("-e")
    ours = _ours_from_text(out.stdout)
    _compare(before, ours, after, set())
    header = out.stdout.splitlines()[0]
    procps_header = subprocess.run(["ps", "-e"], capture_output=True, text=True).stdout
    assert header == procps_header.splitlines()[0]


def test_default_selection_matches_procps() -> None:
    """Without -e: the caller's euid and controlling terminal, as procps selects."""
    code = (
        "import subprocess, sys\n"
        "from procfs.cli import main\n"
        "def procps():\n"
        "    return subprocess.run(['ps', '-o', 'pid='], capture_output=True, text=True).stdout\n"
        "before = procps()\n"
        "main(['ps'])\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(before + '--\\n' + procps())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    assert out.returncode == 0
    before, after = ({int(pid) for pid in part.split()} for part in out.stderr.split("--\n"))
    ours = _ours_from_text(out.stdout)
    # (this machine's other processes of the same user come and go meanwhile)
    assert before & after <= ours.keys()
    assert len(ours.keys() - before - after) <= 2
    assert len(before & after) >= 1


def test_terminal_names_match_procps() -> None:
    if shutil.which("setsid") is None:
        pytest.skip("util-linux setsid is not installed")
    master, slave = os.openpty()
    name = os.ttyname(slave)
    try:
        with open(name, "rb") as tty_in:
            sleeper = subprocess.Popen(["setsid", "--ctty", "sleep", "30"], stdin=tty_in)
        try:
            for _ in range(100):
                procps = _procps("-p", str(sleeper.pid))
                if procps and procps[sleeper.pid][2] == "sleep":
                    break
                subprocess.run(["sleep", "0.02"])
            ours = {row.pid: row for row in rows(ProcFS("/proc"), every=True)}
            assert procps[sleeper.pid][0] == name.removeprefix("/dev/")
            assert ours[sleeper.pid].tty == procps[sleeper.pid][0]
        finally:
            sleeper.kill()
            sleeper.wait()
    finally:
        os.close(master)
        os.close(slave)


def test_json_output() -> None:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(["ps", "-e", "--json"]) == 0
    import json

    data = json.loads(buffer.getvalue())
    me = next(row for row in data if row["pid"] == os.getpid())
    assert me["tname"] == (os.ttyname(0).removeprefix("/dev/") if os.isatty(0) else None)
    assert isinstance(me["time"], float) and me["time"] > 0
    assert list(me) == ["pid", "tname", "time", "ucmd"]  # the columns of ps -e


def test_bad_option_is_a_usage_error() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "procfs", "ps", "--bogus"], capture_output=True, text=True
    )
    assert out.returncode == 2
    assert "unknown option --bogus" in out.stderr
    assert "Traceback" not in out.stderr


def test_missing_root_is_a_clear_error() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "procfs", "ps", "-e", "--root", "/no/such/root"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert out.stderr.startswith("procfs ps: /no/such/root")
    assert "Traceback" not in out.stderr


def test_helpers() -> None:
    assert format_time(0) == "00:00:00"
    assert format_time(3661) == "01:01:01"
    assert format_time(2 * 86400 + 5) == "2-00:00:05"
    assert printable("a\nb\tc") == "a?b?c"
    assert printable("ok \udcff") == "ok ?"


def test_a_process_without_stat_is_left_out(tmp_path: Path) -> None:
    # a captured tree where one process's directory lost its stat (as in
    # node_exporter's fixtures): procps leaves such a process out, on either path
    stat = b"5 (sleep) S 1 5 5 0 -1 4194304 90 0 0 0 250 50 0 0 20 0 1 0 400 8192 100 1 0 0"
    files = {"5/stat": stat + b" 0" * 28 + b"\n", "7/cmdline": b"gone\0"}
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    tps = os.sysconf("SC_CLK_TCK")
    seconds = 300 // tps
    line = f"    5 ?        00:00:{seconds:02d} sleep\n"
    for argv in (["-e"], ["-e", "-o", "pid,tty,time,comm"]):
        out = run("ps", *argv, "--root", str(tmp_path))
        assert (out.returncode, out.stderr) == (0, ""), argv
        assert out.stdout.splitlines(keepends=True)[1:] == [line], argv


@pytest.mark.parametrize("child_fails", [False, True])
def test_half_of_the_processes_read_aside_change_nothing(
    monkeypatch: pytest.MonkeyPatch, child_fails: bool
) -> None:
    """A captured tree (a fixed answer): ps with the later half of the processes read in a
    child process prints what it prints without, and the child ran (or failed, and the
    parent read that half itself)."""
    import procfs.cli.aside
    import procfs.cli.ps_run

    root = str(Path(__file__).parent / "samples" / "dev-machine" / "proc")
    argv = ["ps", "-e", "-o", "pid,ppid,user,rss,vsz,stat,args", "--root", root]

    def ours() -> str:
        buffer = io.StringIO()
        with redirect_stdout(buffer):
            assert main(argv) == 0
        return buffer.getvalue()

    alone = ours()
    forks: list[int] = []
    real_fork, real_rows = os.fork, procfs.cli.ps_run._rows
    parent = os.getpid()

    def fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    def rows(*args: object) -> object:
        if child_fails and os.getpid() != parent:
            raise RuntimeError("the child's scan failed")
        return real_rows(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(procfs.cli.aside, "may_fork", lambda: True)
    monkeypatch.setattr(procfs.cli.ps_run, "SPLIT_FROM", 2)
    monkeypatch.setattr(procfs.cli.ps_run, "_rows", rows)
    monkeypatch.setattr(os, "fork", fork)
    assert ours() == alone
    # the header and the sample's three processes with a stat (pids 1, 2 and 8417)
    assert [line.split()[0] for line in alone.splitlines()] == ["PID", "1", "2", "8417"]
    assert len(forks) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forks[0], os.WNOHANG)  # reaped
