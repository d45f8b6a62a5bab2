"""``procfs show``: every registered file prints, errors are messages, never tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from procfs.cli import COMMANDS
from procfs.cli import main as cli_main
from procfs.cli.show import main, render
from procfs.core import PARSERS
from tests.conftest import SAMPLES

DEV_PROC = SAMPLES / "dev-machine" / "proc"

# Files whose read blocks or is huge: never shown by the loop below.
_NEVER = {
    "kmsg",
    "kcore",
    "kpagecount",
    "kpageflags",
    "kpagecgroup",
    "[pid]/mem",
    "[pid]/pagemap",
    "sysrq-trigger",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def run_subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "procfs", "show", *args], capture_output=True, text=True, timeout=60
    )


def test_registered_as_a_command() -> None:
    assert COMMANDS["show"][0] == "procfs.cli.show"


def test_sysctl_value(capsys: pytest.CaptureFixture[str]) -> None:
    with open("/proc/sys/kernel/pid_max") as f:
        expected = f.read()
    assert run(capsys, "sys/kernel/pid_max") == (0, expected, "")
    assert run(capsys, "/proc/sys/kernel/pid_max") == (0, expected, "")
    status, out, _ = run(capsys, "--json", "sys/kernel/pid_max")
    assert status == 0 and json.loads(out) == int(expected)


def test_sysctl_without_a_parser_is_a_generic_value(capsys: pytest.CaptureFixture[str]) -> None:
    path = "/proc/sys/net/ipv4/ip_local_port_range"
    if not os.path.exists(path):
        pytest.skip("no ip_local_port_range")
    with open(path) as f:
        numbers = [int(t) for t in f.read().split()]
    status, out, _ = run(capsys, "--json", "sys/net/ipv4/ip_local_port_range")
    assert status == 0 and json.loads(out) == numbers
    assert run(capsys, "sys/net/ipv4/ip_local_port_range")[1] == " ".join(map(str, numbers)) + "\n"


def test_meminfo(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "--json", "meminfo")
    assert (status, err) == (0, "")
    data = json.loads(out)
    with open("/proc/meminfo") as f:
        total_kb = int(f.readline().split()[1])
    assert data["mem_total"] == total_kb * 1024
    status, out, _ = run(capsys, "meminfo")
    assert status == 0
    assert f"mem_total: {total_kb * 1024}\n" in out


def test_process_files(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--json", f"{os.getpid()}/status")
    assert status == 0
    assert json.loads(out)["pid"] == os.getpid()
    status, out, _ = run(capsys, "--json", "self/stat")
    assert status == 0 and json.loads(out)["pid"] == os.getpid()
    # an fd: shown from the link's target
    with open(__file__) as f:
        status, out, _ = run(capsys, "--json", f"self/fd/{f.fileno()}")
    assert status == 0
    assert json.loads(out)["path"] == os.path.realpath(__file__)


def test_captured_tree(capsys: pytest.CaptureFixture[str]) -> None:
    root = str(DEV_PROC)
    status, out, _ = run(capsys, "--root", root, "sys/kernel/sem")
    assert status == 0
    assert out == "semmsl: 32000\nsemmns: 1024000000\nsemopm: 500\nsemmni: 32000\n"
    status, out, _ = run(capsys, "--root", root, "--json", f"{root}/sys/fs/file-nr")
    assert status == 0 and json.loads(out) == {"allocated": 631, "free": 0, "max": 2466170}
    status, out, _ = run(capsys, "--root", root, "sys/kernel/version")
    assert out == "build: #1\nflags: SMP PREEMPT_DYNAMIC\nextra: @0\ndate: null\n"


def test_binfmt_entry_in_a_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = tmp_path / "sys" / "fs" / "binfmt_misc" / "python3.11"
    entry.parent.mkdir(parents=True)
    entry.write_bytes((SAMPLES / "handmade/binfmt_misc.python3.11-magic-no-mask.txt").read_bytes())
    status, out, _ = run(capsys, "--root", str(tmp_path), "--json", "sys/fs/binfmt_misc/python3.11")
    assert status == 0
    assert json.loads(out)["magic"] == "a70d0d0a"
    assert json.loads(out)["name"] == "python3.11"


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--list")
    assert status == 0
    assert out.splitlines() == sorted(PARSERS)
    assert "sys/kernel/pid_max" in out.splitlines()


def test_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "no/such/file")
    assert (status, out) == (2, "")
    assert err == "procfs show: no parser for 'no/such/file' (try procfs show --list)\n"
    assert run(capsys, "sys/../1/environ")[0] == 2
    assert run(capsys)[0] == 2
    assert run(capsys, "--bogus", "meminfo")[0] == 2
    assert run(capsys, "meminfo", "loadavg")[0] == 2
    # a file that is not there
    status, out, err = run(capsys, "999999999/status")
    assert (status, out) == (1, "")
    assert err.startswith("procfs show: ") and "999999999/status" in err
    # a file the parser cannot read
    (tmp_path / "loadavg").write_bytes(b"garbage\n")
    status, out, err = run(capsys, "--root", str(tmp_path), "loadavg")
    assert (status, out) == (1, "")
    assert err.startswith(f"procfs show: {tmp_path}/loadavg: ")
    # a directory
    assert run(capsys, "sys/kernel")[0] == 1


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0 and out.startswith("usage: procfs show PATH")
    assert cli_main(["show", "-h"]) == 0


def _live_relative(key: str) -> str | None:
    relative = key.replace("[pid]", "self").replace("[tid]", str(os.getpid()))
    relative = relative.replace("[fd]", "0")
    if "[" in relative or key in _NEVER:
        return None
    return relative


def test_every_registered_file_shows(capsys: pytest.CaptureFixture[str]) -> None:
    """Each key whose file exists here prints, or fails with a one-line message; no traceback."""
    shown = failed = 0
    for key in sorted(PARSERS):
        relative = _live_relative(key)
        if relative is None or not os.path.lexists("/proc/" + relative):
            continue
        for args in ([relative], ["--json", relative]):
            try:
                status = main(args)
            except Exception as exc:  # pragma: no cover - the failure being tested for
                pytest.fail(f"procfs show {relative}: {type(exc).__name__}: {exc}")
            out, err = capsys.readouterr()
            if status == 0:
                assert err == "" and out, key
                if args[0] == "--json":
                    json.loads(out)
                shown += 1
            else:
                assert status == 1, (key, status, err)
                assert err.startswith("procfs show: ") and err.count("\n") == 1, (key, err)
                assert "unexpected" not in err, (key, err)
                failed += 1
    assert shown >= 20
    assert failed <= shown


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["meminfo"], 0),
        (["--json", "self/status"], 0),
        (["nosuch"], 2),
        (["999999999/stat"], 1),
        (["sys/kernel"], 1),
        (["--bogus"], 2),
    ],
)
def test_subprocess_never_a_traceback(args: list[str], status: int) -> None:
    result = run_subprocess(*args)
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    if status:
        assert result.stderr.startswith("procfs show: ")


def test_subprocess_permission_denied() -> None:
    path = "/proc/sys/vm/compact_memory"  # write-only, for root too
    if not os.path.exists(path):
        pytest.skip("no vm/compact_memory (CONFIG_COMPACTION)")
    result = run_subprocess("sys/vm/compact_memory")
    assert result.returncode == 1
    assert result.stderr == f"procfs show: {path}: Permission denied\n"


# -- the renderer ---------------------------------------------------------------------------------


def test_render_shapes() -> None:
    value = {
        "name": "a b",
        "empty": "",
        "none": None,
        "yes": True,
        "ratio": 0.5,
        "words": ["x", "y z", ""],
        "numbers": [1, 2, 3],
        "nothing": [],
        "nested": {"inner": {"deep": 1}, "blank": {}},
        "rows": [{"a": 1, "b": {"c": 2}}, {"a": 3, "b": {}}],
        "odd": "tab\there",
        "bytes": "\udcff",
    }
    assert render(value) == (
        "name: a b\n"
        'empty: ""\n'
        "none: null\n"
        "yes: true\n"
        "ratio: 0.5\n"
        'words: x "y z" ""\n'
        "numbers: 1 2 3\n"
        "nothing: []\n"
        "nested:\n"
        "  inner:\n"
        "    deep: 1\n"
        "  blank: {}\n"
        "rows:\n"
        "  - a: 1\n"
        "    b:\n"
        "      c: 2\n"
        "  - a: 3\n"
        "    b: {}\n"
        'odd: "tab\\there"\n'
        'bytes: "\\udcff"\n'
    )


def test_render_top_level() -> None:
    assert render(32768) == "32768\n"
    assert render([1, 2]) == "1 2\n"
    assert render("kill_process kill_thread") == "kill_process kill_thread\n"
    # text with a newline is quoted as within a record (one rule for every file)
    assert render("line one\nline two") == '"line one\\nline two"\n'
    assert render({"a": "line one\nline two"}) == 'a: "line one\\nline two"\n'
    assert render("") == '""\n'
    assert render([]) == "[]\n"
    assert render({}) == "{}\n"
    assert render([{"a": 1}, [1, 2], "x", [{"b": 2}]]) == "- a: 1\n- 1 2\n- x\n- - b: 2\n"


def test_namespace_links(capsys: pytest.CaptureFixture[str]) -> None:
    if "[pid]/ns/net" not in PARSERS:
        pytest.skip("no parser for ns links")
    status, out, _ = run(capsys, "--json", "self/ns/net")
    assert status == 0
    target = os.readlink("/proc/self/ns/net")  # net:[4026531840]
    assert json.loads(out)["inode"] == int(target.split("[")[1].rstrip("]"))


def test_values_shown_as_people_read_them(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "self/status")
    assert status == 0
    umask = os.umask(0o022)
    os.umask(umask)
    assert f"umask: {umask:04o}\n" in out  # as the kernel's status file prints it
    status, out, _ = run(capsys, "self/maps")
    with open("/proc/self/maps") as maps:
        first = maps.readline().split()
    assert status == 0
    start, end = (int(part, 16) for part in first[0].split("-"))
    assert f"- address: {start:08x}-{end:08x}\n" in out
    assert f"  offset: {int(first[2], 16):08x}\n" in out
    status, out, _ = run(capsys, "self/limits")
    assert status == 0
    with open("/proc/self/limits") as limits:
        soft = next(line for line in limits if line.startswith("Max cpu time")).split()[3]
    assert ("max_cpu_time:\n  soft: unlimited\n" in out) == (soft == "unlimited")
    status, out, _ = run(capsys, "--json", "self/limits")
    assert json.loads(out)["max_cpu_time"]["soft"] is None  # JSON keeps null


def test_list_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--list", "--json")
    assert status == 0
    assert json.loads(out) == sorted(PARSERS)
