"""``procfs pgrep`` and ``procfs pkill`` against procps ``pgrep`` and ``pkill``.

The processes compared are ones the test starts, under a name of their own (a
link to ``sleep`` called ``pgt<random>``), so that both commands see the same
set whatever else the machine runs.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from procfs.cli import main

PGREP = shutil.which("pgrep")
PKILL = shutil.which("pkill")
needs_procps = pytest.mark.skipif(PGREP is None or PKILL is None, reason="procps is not installed")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def procps(*argv: str) -> tuple[int, str]:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout


class Family:
    """Sleeping processes named ``name`` (some with an extra argument), children of us."""

    def __init__(self, tmp: Path) -> None:
        self.name = "pgt" + secrets.token_hex(4)
        sleep = shutil.which("sleep")
        assert sleep is not None
        self.program = tmp / self.name
        self.program.symlink_to(sleep)
        self.children: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str, user: int | None = None) -> subprocess.Popen[bytes]:
        def drop() -> None:
            if user is not None:
                os.setgid(user)
                os.setuid(user)

        child = subprocess.Popen([str(self.program), *args], preexec_fn=drop)
        self.children.append(child)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # until exec has renamed it
            with contextlib.suppress(OSError):
                if Path(f"/proc/{child.pid}/comm").read_text().strip() == self.name:
                    return child
            time.sleep(0.005)
        raise AssertionError("the child did not start")

    def stop(self) -> None:
        for child in self.children:
            with contextlib.suppress(ProcessLookupError):
                child.kill()
            child.wait()


@pytest.fixture
def family() -> Iterator[Family]:
    # (a directory every user may enter: one child runs as nobody)
    directory = Path(tempfile.mkdtemp(prefix="pgrep-"))
    directory.chmod(0o755)
    made = Family(directory)
    try:
        yield made
    finally:
        made.stop()
        shutil.rmtree(directory)


@needs_procps
def test_the_same_selection_as_procps(family: Family) -> None:
    family.start("1000")
    family.start("1000", "1")
    family.start("1001")
    nobody = 65534
    family.start("1002", user=nobody)
    name = family.name
    me = str(os.getpid())
    for args in (
        [name],
        ["-l", name],
        ["-a", name],
        ["-c", name],
        ["-d", ",", name],
        ["-x", name],
        ["-x", name[:-1]],
        ["-i", name.upper()],
        ["-f", f"{name} 1000"],
        ["-f", "-a", f"{name} 100[01]$"],
        ["-x", "-f", f".*/{name} 1000"],
        ["-n", "-l", name],
        ["-o", "-l", name],
        ["-u", "nobody", name],
        ["-u", "root,65534", "-l", name],
        ["-U", "0", "-c", name],
        ["-G", str(nobody), name],
        ["-P", me, "-l", name],
        ["-s", "0", "-c", name],
        ["--ns", me, "-c", name],
        ["--ns", me, "--nslist", "net,pid", "-l", name],
        ["nosuch" + name],
    ):
        status, out, _ = run("pgrep", *args)
        expected = procps("pgrep", *args)
        assert (status, out) == expected, args


def test_inverse(family: Family) -> None:
    child = family.start("1000")
    status, out, _ = run("pgrep", "-v", family.name)
    others = {int(pid) for pid in out.split()}
    assert status == 0 and child.pid not in others and 1 in others
    assert os.getpid() not in others  # never itself


@needs_procps
def test_a_kernel_thread_and_the_long_pattern_warning() -> None:
    assert run("pgrep", "-a", "-x", "kthreadd")[:2] == procps("pgrep", "-a", "-x", "kthreadd")
    assert run("pgrep", "-f", "-a", r"^\[kthreadd\]$")[:2] == procps(
        "pgrep", "-f", "-a", r"^\[kthreadd\]$"
    )
    status, out, err = run("pgrep", "a-name-of-sixteen-c")
    assert (status, out) == (1, "")
    assert "longer than 15 characters" in err


def test_usage_errors() -> None:
    for args in (["pgrep"], ["pgrep", "-Z", "x"], ["pgrep", "("], ["pgrep", "-u", "no such user"]):
        status, out, err = run(*args)
        assert status == 2 and out == "" and "usage: procfs pgrep" in err, args
    status, out, _ = run("pgrep", "--help")
    assert status == 0 and out.startswith("usage: procfs pgrep")
    assert run("pkill", "-NOSUCHSIGNAL", "--bad")[0] == 2


def test_json(family: Family) -> None:
    child = family.start("1000", "7")
    status, out, _ = run("pgrep", "--json", family.name)
    assert status == 0
    assert json.loads(out) == [
        {"pid": child.pid, "name": family.name, "cmdline": f"{family.program} 1000 7"}
    ]


@needs_procps
@pytest.mark.parametrize("signal_arg", ["-KILL", "-9", "-SIGKILL", "--signal=KILL", "-kill"])
def test_pkill_signals_what_pgrep_selects(family: Family, signal_arg: str) -> None:
    keep = family.start("1000")
    doomed = [family.start("1001"), family.start("1001")]
    status, out, _ = run("pkill", signal_arg, "-e", "-f", f"{family.name} 1001")
    assert status == 0
    assert sorted(out.splitlines()) == sorted(
        f"{family.name} killed (pid {child.pid})" for child in doomed
    )
    for child in doomed:
        assert child.wait(5) == -signal.SIGKILL
    assert keep.poll() is None
    assert run("pkill", "-f", f"{family.name} 1001")[0] == 1  # nothing left to signal
    assert procps("pgrep", "-f", f"{family.name} 1000")[1] == f"{keep.pid}\n"


def test_bash_completion_offers_the_options_of_pgrep_and_pkill() -> None:
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    from tests.test_cli import _bash_complete

    assert _bash_complete("procfs", "pgrep", "--list") == ["--list-full", "--list-name"]
    assert _bash_complete("procfs", "pkill", "--si") == ["--signal"]
    assert "--echo" not in _bash_complete("procfs", "pgrep", "--")
    assert _bash_complete("procfs", "pkill", "--ns") == ["--ns", "--nslist"]


def test_long_options_are_the_short_ones() -> None:
    child = subprocess.Popen(["sleep", "60"])
    try:
        for short, long in (("-l", "--list-name"), ("-a", "--list-full"), ("-c", "--count")):
            assert run("pgrep", short, "-P", str(os.getpid()), "^sleep$") == run(
                "pgrep", long, f"--parent={os.getpid()}", "^sleep$"
            )
        status, out, _ = run("pgrep", "--parent", str(os.getpid()), "--delimiter=,", "sleep")
        assert (status, out) == (0, f"{child.pid}\n")
    finally:
        child.kill()
        child.wait()


@needs_procps
def test_a_process_without_a_command_line_matches_by_its_bracketed_name() -> None:
    assert PGREP is not None
    theirs = subprocess.run([PGREP, "-f", r"^\[kthreadd"], capture_output=True, text=True).stdout
    if not theirs:
        pytest.skip("no kthreadd here (a container)")
    for pattern in (r"^\[kthreadd", "kthreadd"):  # a regular expression, then plain text
        assert run("pgrep", "-f", pattern)[1] == theirs
    assert run("pgrep", "-a", "-f", r"^\[kthreadd")[1] == f"{theirs.strip()} [kthreadd]\n"
