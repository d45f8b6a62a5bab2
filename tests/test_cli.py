"""Tests for procfs.cli: the command dispatcher and the option parser the commands share."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from procfs.cli import COMMANDS, UsageError, main, parse
from tests.conftest import sample


def test_flags_options_and_positional() -> None:
    found = parse(
        ["-tan", "--json", "--root", "/r", "-p5", "x", "--", "-e"],
        flags=("-t", "-a", "-n", "--json"),
        options=("--root", "-p"),
        positional=None,
    )
    assert found.flags == {"-t", "-a", "-n", "--json"}
    assert found.value("--root") == "/r" and found.value("-p") == "5"
    assert found.positional == ["x", "-e"]  # after "--" nothing is an option
    assert found.has("-x", "-a") and not found.has("-e")


def test_option_values_in_every_form() -> None:
    forms = (["--root=/a"], ["--root", "/a"], ["-r/a"], ["-r", "/a"])
    for argv in forms:
        assert (
            parse(argv, options=("--root", "-r")).value("--root" if "root" in argv[0] else "-r")
            == "/a"
        )
    assert parse(["--root", "/a", "--root=/b"], options=("--root",)).value("--root") == "/b"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--root"], "option --root needs a value"),
        (["-r"], "option -r needs a value"),
        (["--nope"], "unknown option --nope"),
        (["-z"], "unknown option -z"),
        (["--json=1"], "unknown option --json=1"),
        (["extra"], "unexpected argument"),
    ],
)
def test_usage_errors(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse(argv, flags=("--json",), options=("--root", "-r"))


def test_main_dispatches_and_refuses_unknown_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)
    assert main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err
    assert main(["ps", "--bogus"]) == 2
    assert "unknown option --bogus" in capsys.readouterr().err


def test_commands_run_without_the_cyclic_collector_and_restore_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc
    import sys
    import types

    seen: list[bool] = []

    def fake_main(argv: list[str]) -> int:
        seen.append(gc.isenabled())
        return len(argv)

    fake = types.ModuleType("procfs_fake_command")
    fake.main = fake_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "procfs_fake_command", fake)
    monkeypatch.setitem(COMMANDS, "fake", ("procfs_fake_command", "a test command"))
    assert gc.isenabled()
    assert main(["fake", "a", "b"]) == 2
    assert seen == [False] and gc.isenabled()
    gc.disable()  # as the procfs script does before its imports: left off
    try:
        assert main(["fake"]) == 0
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()


# -- leave: the end of the procfs process ------------------------------------------------

_LEAVE = """\
import os, sys
from procfs.cli import leave

usual_exit = sys.exit

def traced_exit(status: int) -> None:  # shows whether leave takes the usual way out
    os.write(2, b"usual exit\\n")
    usual_exit(status)

sys.exit = traced_exit
{setup}
sys.stdout.write("out\\n")  # still in the stream's buffer: leave must flush it
{before_leave}
leave({status})
"""


def _leave(
    status: int = 0, setup: str = "", before_leave: str = "", **run: Any
) -> subprocess.CompletedProcess[bytes]:
    code = _LEAVE.format(status=status, setup=setup, before_leave=before_leave)
    run.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-c", code], stderr=subprocess.PIPE, env=_BUFFERED, **run
    )


#: The environment with the standard streams buffered (as usual) even if this one is not.
_BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def test_leave_flushes_the_output_and_skips_the_teardown() -> None:
    result = _leave(3)
    assert (result.returncode, result.stdout, result.stderr) == (3, b"out\n", b"")


def test_leave_exits_as_usual_when_something_runs_at_exit() -> None:
    registered = _leave(4, setup="import atexit; atexit.register(os.write, 2, b'at exit\\n')")
    assert registered.returncode == 4 and registered.stdout == b"out\n"
    assert registered.stderr.splitlines() == [b"usual exit", b"at exit"]
    # another thread may still be running: the usual exit waits for it
    threads = _leave(
        5,
        setup=(
            "import threading, time\n"
            "threading.Thread(target=lambda: (time.sleep(0.2), os.write(1, b'late\\n'))).start()"
        ),
    )
    assert threads.returncode == 5
    assert sorted(threads.stdout.splitlines()) == [b"late", b"out"]
    assert threads.stderr == b"usual exit\n"


def test_leave_reports_an_output_it_cannot_write() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "wb") as full:
        result = _leave(0, stdout=full)
    assert result.returncode == 1
    assert result.stderr == b"procfs: cannot write the output: [Errno 28] No space left on device\n"


def test_leave_takes_a_reader_gone_at_the_end_as_no_error() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", _LEAVE.format(status=0, setup="", before_leave="input()")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_BUFFERED,
    ) as child:
        assert child.stdin is not None and child.stdout is not None and child.stderr is not None
        child.stdout.close()  # the reader goes away before the output is flushed
        child.stdin.write(b"\n")
        child.stdin.close()
        assert child.wait() == 0
        assert child.stderr.read() == b""


def test_the_procfs_script_prints_what_main_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "tcp").write_bytes(sample("dev-machine/proc/net/tcp"))
    argv = ["netstat", "-4", "--root", str(tmp_path)]
    assert main(argv) == 0
    expected = capsys.readouterr().out
    assert expected.count("\n") > 10
    script = Path(__file__).parent.parent / "bin" / "procfs"
    for command in ([sys.executable, str(script)], [sys.executable, "-m", "procfs"]):
        result = subprocess.run([*command, *argv], capture_output=True, text=True)
        assert (result.returncode, result.stdout, result.stderr) == (0, expected, "")


def test_an_output_that_cannot_be_written_is_reported_without_a_traceback() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    for argv in (["netstat"], ["ps", "-e"], ["netstat", "--json"], ["--help"]):
        with open("/dev/full", "wb") as full:
            result = subprocess.run(
                [sys.executable, "-m", "procfs", *argv], stdout=full, stderr=subprocess.PIPE
            )
        assert result.returncode == 1, argv
        assert result.stderr == (
            b"procfs: cannot write the output: [Errno 28] No space left on device\n"
        ), argv


def test_a_closed_standard_output_is_reported_without_a_traceback() -> None:
    # `procfs ps >&-`: Python starts with sys.stdout None; cat says "Bad file descriptor"
    script = Path(__file__).parent.parent / "bin" / "procfs"
    for argv in (["ps", "-e"], ["netstat"], ["--help"]):
        result = subprocess.run(
            [sys.executable, str(script), *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(),
            preexec_fn=lambda: os.close(1),
        )
        assert result.returncode == 1, argv
        assert result.stderr == (
            b"procfs: cannot write the output: [Errno 9] the standard output is closed\n"
        ), argv


_FLOOD = """\
import sys, types
from procfs.cli import COMMANDS, leave, main

def flood_main(argv: list[str]) -> int:
    sys.stdout.write("x" * 100 + "\\n")
    return 0

flood = types.ModuleType("procfs_flood")
flood.main = flood_main
sys.modules["procfs_flood"] = flood
COMMANDS["flood"] = ("procfs_flood", "a test command")
for _ in range(20000):
    main(["flood"])
leave(0)
"""


def test_a_reader_gone_during_the_command_is_no_error() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", _FLOOD], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.read(101) == b"x" * 100 + b"\n"
        child.stdout.close()  # as `| head -1` does
        assert child.wait() == 0
        assert child.stderr.read() == b""
