"""Tests for procfs.cli: the command dispatcher and the option parser the commands share."""

from __future__ import annotations

import os
import re
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


def test_a_command_that_needs_no_standard_output_runs_without_one(tmp_path: Path) -> None:
    # `procfs snapshot FILE >&-` writes its archive (then reports the summary it could
    # not print); `procfs exporter >&-`, a server, serves
    script = Path(__file__).parent.parent / "bin" / "procfs"

    def closed(*argv: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, str(script), *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=lambda: os.close(1),
        )

    archive = tmp_path / "s.tar.gz"
    snapshot = closed("snapshot", str(archive))
    _, err = snapshot.communicate(timeout=120)
    assert snapshot.returncode == 1
    assert err.endswith(b"cannot write the output: [Errno 9] the standard output is closed\n")
    import tarfile

    with tarfile.open(archive) as tar:
        assert "proc/meminfo" in tar.getnames()
    pytest.importorskip("prometheus_client")
    import signal
    import urllib.request

    server = closed("exporter", "--web.listen-address", "127.0.0.1:0")
    try:
        assert server.stderr is not None
        line = server.stderr.readline().decode()
        url = re.search(r"http://\S+/", line)
        assert url, line
        with urllib.request.urlopen(url.group(0) + "metrics", timeout=30) as response:
            assert b"node_load1 " in response.read()
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)


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


# -- what every command does ------------------------------------------------------------

_SCRIPT = Path(__file__).parent.parent / "bin" / "procfs"

#: A run of each command that prints something and ends.
_RUNS = [
    ["free"],
    ["uptime"],
    ["vmstat"],
    ["pstree", "-p"],
    ["completion", "bash"],
    ["show", "meminfo"],
    ["ps", "-e"],
    ["netstat"],
]


def _procfs(*argv: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, str(_SCRIPT), *argv], capture_output=True, **kwargs)


def test_procfs_alone_lists_the_commands() -> None:
    result = _procfs()
    assert (result.returncode, result.stderr) == (0, b"")
    out = result.stdout.decode()
    assert out.startswith("usage: procfs COMMAND")
    assert all(f"  {name} " in out for name in COMMANDS)
    version = _procfs("--version")
    assert version.returncode == 0 and version.stdout.startswith(b"pyprocfs ")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_and_usage_errors_of_every_command(name: str) -> None:
    helps = ["--help"]
    module = __import__(COMMANDS[name][0], fromlist=["_"])
    if name != "free":  # (free's -h is --human, as in procps)
        helps.append("-h")
    for flag in helps:
        result = _procfs(name, flag)
        assert (result.returncode, result.stderr) == (0, b""), flag
        assert result.stdout.startswith(f"usage: procfs {name}".encode()), flag
        if hasattr(module, "USAGE"):  # (the exporter's help lists the collectors it has)
            assert result.stdout.decode() == module.USAGE
    wrong = _procfs(name, "--no-such-option")
    assert (wrong.returncode, wrong.stdout) == (2, b"")
    assert f"usage: procfs {name}".encode() in wrong.stderr
    assert b"Traceback" not in wrong.stderr


def test_declared_options_are_the_parsed_and_documented_ones() -> None:
    from procfs.cli import Option, parse_declared

    options = (Option("-b", "--bytes", help="b"), Option("-s", "--seconds", value="N"))
    parsed = parse_declared(["--bytes", "-s", "2", "--seconds=3"], options)
    assert parsed.has("-b") and parsed.has("--bytes")
    assert parsed.value("-s") == parsed.value("--seconds") == "3"
    with pytest.raises(UsageError, match="unknown option"):
        parse_declared(["--byte"], options)
    choice = (Option("-S", value="UNIT", choices=("k", "m")),)
    with pytest.raises(UsageError, match="takes one of k, m"):
        parse_declared(["-S", "x"], choice)
    for name, (module_name, _) in COMMANDS.items():
        module = __import__(module_name, fromlist=["_"])
        for option in getattr(module, "OPTIONS", ()):
            for spelled in option.names:  # every declared spelling is in the help
                assert spelled in module.USAGE, (name, spelled)


@pytest.mark.parametrize("argv", _RUNS, ids=" ".join)
def test_no_traceback_when_the_output_cannot_be_written(argv: list[str]) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, str(_SCRIPT), *argv], stdout=full, stderr=subprocess.PIPE
        )
    assert result.returncode == 1
    assert result.stderr == b"procfs: cannot write the output: [Errno 28] No space left on device\n"
    closed = subprocess.run(
        [sys.executable, str(_SCRIPT), *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
    )
    assert closed.returncode == 1 and b"Traceback" not in closed.stderr


@pytest.mark.parametrize(
    "argv", [["free", "-s", "0.01"], ["pstree", "-a", "-l"], ["vmstat", "-d", "1"]], ids=" ".join
)
def test_a_reader_that_goes_away_is_no_error(argv: list[str]) -> None:
    with subprocess.Popen(
        [sys.executable, str(_SCRIPT), *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.readline()
        child.stdout.close()  # as `| head -1` does
        assert child.wait(timeout=30) == 0
        assert child.stderr.read() == b""


def _started(argv: list[str]) -> subprocess.Popen[bytes]:
    child = subprocess.Popen(
        [sys.executable, str(_SCRIPT), *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None
    assert child.stdout.readline()  # it runs
    return child


def test_sigterm_ends_a_command_quietly_with_143() -> None:
    import signal

    for argv in (["free", "-s", "0.05"], ["vmstat", "1"]):
        child = _started(argv)
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=30) == -signal.SIGTERM, argv  # ended by the signal
        assert child.stderr is not None and child.stderr.read() == b""
    # which a shell reports as 128 + 15
    shell = subprocess.run(
        ["sh", "-c", f'{sys.executable} {_SCRIPT} vmstat 1 & sleep 1; kill $!; wait $!; echo "$?"'],
        capture_output=True,
        text=True,
    )
    assert shell.stdout.splitlines()[-1] == "143"
    assert "Traceback" not in shell.stderr


def test_ctrl_c_at_any_moment_prints_no_traceback() -> None:
    import signal
    import time

    child = _started(["vmstat", "1"])
    child.send_signal(signal.SIGINT)
    assert child.wait(timeout=30) == 130
    assert child.stderr is not None and child.stderr.read() == b""
    # while the interpreter and the modules load
    for delay in (0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08):
        early = subprocess.Popen(
            [sys.executable, str(_SCRIPT), "vmstat", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        early.send_signal(signal.SIGINT)
        status = early.wait(timeout=30)
        assert early.stderr is not None
        said = early.stderr.read()
        before_line_one = re.fullmatch(
            rb'Traceback \(most recent call last\):\n  File "[^"]*", line 0, in <module>\n'
            rb"KeyboardInterrupt\n",
            said,
        )
        if said.startswith(b"Fatal Python error: init_") or before_line_one:
            # Interrupted inside the interpreter's own start (its streams, its site
            # module, or the script's code object before its first line runs):
            # CPython reports that itself, nothing of procfs has run yet.
            continue
        assert b"Traceback" not in said, delay
        assert status in (130, -signal.SIGINT), (delay, status, said)


def _bash_complete(*words: str) -> list[str]:
    script = _procfs("completion", "bash").stdout.decode()
    test = (
        script
        + "COMP_WORDS=("
        + " ".join(f"'{word}'" for word in words)
        + '); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _procfs; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    result = subprocess.run(["bash", "-c", test], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return sorted(line for line in result.stdout.splitlines() if line)


def test_bash_completion_offers_commands_options_and_values(tmp_path: Path) -> None:
    import shutil

    if shutil.which("bash") is None:
        pytest.skip("no bash")
    assert _bash_complete("procfs", "") == sorted([*COMMANDS, "--help", "--version"])
    assert _bash_complete("procfs", "fr") == ["free"]
    assert _bash_complete("procfs", "free", "--s") == ["--seconds", "--si"]
    assert _bash_complete("procfs", "vmstat", "-S", "") == ["B", "K", "M", "b", "k", "m"]
    assert _bash_complete("procfs", "completion", "") == ["bash", "zsh"]
    assert _bash_complete("procfs", "pstree", "--sh") == [
        "--show-parents",
        "--show-pgids",
        "--show-pids",
    ]
    assert "--listening" in _bash_complete("procfs", "netstat", "--")
    assert _bash_complete("procfs", "ps", "--q") == ["--quick-pid"]
    assert {"-N", "-L", "-T", "--deselect", "--ppid"} <= set(_bash_complete("procfs", "ps", "-"))
    (tmp_path / "somedir").mkdir()
    assert _bash_complete("procfs", "free", "--root", str(tmp_path / "som")) == [
        str(tmp_path / "somedir")
    ]
    from procfs.cli.completion import command_options

    for name in COMMANDS:  # every declared option is offered
        offered = _bash_complete("procfs", name, "-")
        for option in command_options(name):
            assert set(option.names) <= set(offered), (name, option)


def test_zsh_completion_declares_every_command() -> None:
    script = _procfs("completion", "zsh").stdout.decode()
    assert script.startswith("#compdef procfs\n")
    for name in COMMANDS:
        assert f"    {name}) _arguments " in script
    assert "'(-S --unit)'{-S,--unit}'[memory in k, K, m or M]:UNIT:(b B k K m M)'" in script
    import shutil

    if shutil.which("zsh"):
        check = subprocess.run(["zsh", "-n"], input=script, capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


def test_snapshot_to_the_standard_output() -> None:
    import io
    import tarfile

    result = _procfs("snapshot", "-")
    assert result.returncode == 0
    assert result.stderr.startswith(b"wrote -: ")  # the report goes to the standard error
    with tarfile.open(fileobj=io.BytesIO(result.stdout), mode="r:gz") as archive:
        names = archive.getnames()
    assert "MANIFEST" in names and "proc/meminfo" in names


def test_snapshot_progress_only_on_a_terminal(tmp_path: Path) -> None:
    import pty

    plain = _procfs("snapshot", str(tmp_path / "a.tar.gz"))
    assert plain.returncode == 0 and b"capturing" not in plain.stderr + plain.stdout
    # on a terminal: the count of files and the seconds, then the line cleared
    pid, fd = pty.fork()
    if pid == 0:  # the child: its standard streams are the terminal
        os.execv(sys.executable, [sys.executable, str(_SCRIPT), "snapshot", str(tmp_path / "b")])
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert re.search(rb"\rcapturing: \d+ files, \d+\.\d s", seen), seen[:200]
    assert b"wrote " in seen


#: Commands whose help another part of the project owns (not checked here yet).
_WIDE_HELP_ELSEWHERE = {"pgrep", "pkill", "lsof", "top"}


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - _WIDE_HELP_ELSEWHERE))
def test_help_fits_80_columns(name: str) -> None:
    result = _procfs(name, "--help")
    assert result.returncode == 0
    wide = [line for line in result.stdout.decode().splitlines() if len(line) > 80]
    assert wide == []


def _json_values(text: str, lines: bool) -> list[Any]:
    """The JSON document ``text`` (as a one-element list), or its JSON Lines."""
    import json

    if not lines:
        return [json.loads(text)]
    return [json.loads(line) for line in text.splitlines()]


# (argv, JSON Lines?, the type of each value, keys each object has), as each --help says
_JSON_SHAPES: list[tuple[list[str], bool, type[Any], set[str]]] = [
    (["free", "--json"], False, dict, {"total", "swap_used", "low_free", "committed"}),
    (["free", "--json", "-c", "2", "-s", "0.01"], True, dict, {"total", "available"}),
    (["vmstat", "--json"], True, dict, {"r", "b", "swpd", "cs", "us", "st"}),
    (["vmstat", "--json", "-t", "1", "2"], True, dict, {"r", "id", "timestamp"}),
    (["vmstat", "--json", "-s"], False, dict, {"total memory", "forks"}),
    (["vmstat", "--json", "-d"], True, dict, {"disk", "reads", "writes"}),
    (["uptime", "--json"], False, dict, {"uptime", "idle", "boot_time", "users", "load"}),
    (["pstree", "--json"], False, list, set()),
    (["show", "meminfo", "--json"], False, dict, {"mem_total"}),
    (["show", "--list", "--json"], False, list, set()),
    (["ps", "--json", "-e"], False, list, set()),
    (["netstat", "--json"], False, list, set()),
]


@pytest.mark.parametrize(("argv", "lines", "kind", "keys"), _JSON_SHAPES, ids=str)
def test_json_output_has_the_shape_its_help_says(
    argv: list[str], lines: bool, kind: type[Any], keys: set[str]
) -> None:
    if "-d" in argv and not Path("/proc/diskstats").exists():
        pytest.skip("no /proc/diskstats")
    result = _procfs(*argv)
    assert (result.returncode, result.stderr) == (0, b"")
    values = _json_values(result.stdout.decode(), lines)
    assert values
    for value in values:
        assert isinstance(value, kind)
        assert not keys or keys <= set(value.keys())
    if argv[0] == "pstree":
        assert set(values[0][0]) >= {"pid", "ppid", "name", "uid", "thread", "children"}
    if "-c" in argv or argv[-1] == "2":
        assert len(values) == 2


def test_the_exporter_help_needs_no_prometheus_client() -> None:
    # (a None in sys.modules makes the import fail as a missing package does)
    code = (
        "import sys; sys.modules['prometheus_client'] = None\n"
        "from procfs.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    helped = subprocess.run([sys.executable, "-c", code, "exporter", "--help"], capture_output=True)
    assert (helped.returncode, helped.stderr) == (0, b"")
    assert helped.stdout.startswith(b"usage: procfs exporter [OPTIONS]")
    assert b"--web.listen-address ADDR" in helped.stdout
    assert b"pip install 'pyprocfs[prometheus]'" in helped.stdout
    served = subprocess.run([sys.executable, "-c", code, "exporter"], capture_output=True)
    assert (served.returncode, served.stdout) == (1, b"")
    assert b"needs prometheus_client" in served.stderr
