"""procfs pstree: against psmisc pstree on a tree the test starts, on the whole machine, by hand."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from procfs.cli.pstree import Node, Style, draw
from tests.proc_bind import run

# A parent with three identical sleeping children, a second thread, and a child that
# becomes the user nobody and starts a sleep of its own; it prints its pid when all is there.
_TREE = """\
import os, subprocess, sys, threading, time
kids = [subprocess.Popen(["sleep", "600"]) for _ in range(3)]
threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
ready_r, ready_w = os.pipe()
if os.fork() == 0:
    os.setgid(65534)
    os.setuid(65534)
    child = subprocess.Popen(["sleep", "601"])
    os.write(ready_w, b"x")
    child.wait()
    os._exit(0)
os.read(ready_r, 1)
print(os.getpid(), flush=True)
time.sleep(600)
"""


@pytest.fixture(scope="module")
def tree() -> Iterator[int]:
    if os.geteuid() != 0:
        pytest.skip("the test tree changes user: needs root")
    parent = subprocess.Popen(
        [sys.executable, "-c", _TREE], stdout=subprocess.PIPE, start_new_session=True
    )
    assert parent.stdout is not None
    pid = int(parent.stdout.readline())
    try:
        yield pid
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()


def _pstree(*argv: str, env: dict[str, str] | None = None) -> str:
    if shutil.which("pstree") is None:
        pytest.skip("psmisc pstree is not installed")
    return subprocess.run(["pstree", *argv], capture_output=True, text=True, env=env).stdout


@pytest.mark.parametrize(
    "argv",
    [[], ["-p"], ["-a"], ["-u"], ["-U"], ["-A"], ["-p", "-n"], ["-T"], ["-c"], ["-l"], ["-aup"]],
)
def test_the_test_tree_as_psmisc_draws_it(tree: int, argv: list[str]) -> None:
    expected = _pstree(*argv, str(tree))
    if not any(flag in "".join(argv) for flag in "pca"):
        assert "3*[sleep]" in expected  # (the case the test is about is there)
    result = run("pstree", *argv, str(tree))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == expected


@pytest.mark.parametrize("argv", [["-g"], ["-pg"], ["-gc"], ["-gua"]])
def test_process_groups_as_psmisc_shows_them(tree: int, argv: list[str]) -> None:
    expected = _pstree(*argv, str(tree))
    assert f"({tree}" in expected or f",{tree}" in expected  # (the tree's own group)
    result = run("pstree", *argv, str(tree))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == expected


def test_process_group_zero_shows_as_psmisc_prints_it(tmp_path: Path) -> None:
    """psmisc prints a number digit by digit from its highest: 0 prints nothing."""
    stat = b"1 (init) S 0 0 0 0 -1 4194560 1 0 0 0 1 1 0 0 20 0 1 0 5 1000 10"
    (tmp_path / "1").mkdir()
    (tmp_path / "1" / "stat").write_bytes(stat + b" 0" * 27 + b"\n")
    result = run("pstree", "-pg", "--root", str(tmp_path))
    assert (result.returncode, result.stdout) == (0, "init(1,)\n")


def test_lines_cut_at_the_width(tree: int) -> None:
    for columns in ("20", "31", "40"):
        env = dict(os.environ, COLUMNS=columns)
        expected = _pstree("-p", str(tree), env=env)
        assert max(map(len, expected.splitlines())) <= int(columns)
        ours = subprocess.run(
            [sys.executable, "-m", "procfs", "pstree", "-p", str(tree)],
            capture_output=True,
            text=True,
            env=env,
        ).stdout
        assert ours == expected, columns


def test_the_ancestors_and_a_user_as_root(tree: int) -> None:
    assert run("pstree", "-s", str(tree)).stdout == _pstree("-s", str(tree))
    assert run("pstree", "-p", "nobody").stdout == _pstree("-p", "nobody")
    result = run("pstree", "no-such-user-here")
    assert (result.returncode, result.stdout) == (1, "")


_TOKEN = re.compile(r"([^\s|`+-][^()\n]*)\((\d+)\)")


def _tokens(text: str, keep: set[int]) -> set[tuple[str, int]]:
    return {(name, int(pid)) for name, pid in _TOKEN.findall(text) if int(pid) in keep}


def _pids() -> set[int]:
    return {int(name) for name in os.listdir("/proc") if name.isdigit()}


def test_the_whole_machine_as_psmisc_draws_it(tree: int) -> None:
    before = _pids()
    expected = _pstree("-plA", "1")  # (whole lines: a name cut short is no name)
    ours = run("pstree", "-plA", "1").stdout
    stable = before & _pids()
    assert _tokens(ours, stable) == _tokens(expected, stable)
    # the test's own subtree, drawn within the whole tree, line for line
    mine = [line for line in ours.splitlines() if f"({tree})" in line]
    theirs = [line for line in expected.splitlines() if f"({tree})" in line]
    assert [line[line.index(f"({tree})") :] for line in mine] == [
        line[line.index(f"({tree})") :] for line in theirs
    ]


def test_json_is_the_nested_tree(tree: int) -> None:
    (root,) = json.loads(run("pstree", "--json", str(tree)).stdout)
    with open(f"/proc/{tree}/comm") as comm:
        assert (root["pid"], root["name"]) == (tree, comm.read().strip())
    children = {child["pid"]: child for child in root["children"]}
    expected = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(tree)], capture_output=True, text=True
    ).stdout.split()
    processes = {pid for pid, child in children.items() if not child["thread"]}
    assert processes == {int(pid) for pid in expected}
    threads = [child for child in root["children"] if child["thread"]]
    assert {int(tid) for tid in os.listdir(f"/proc/{tree}/task")} - {tree} == {
        child["pid"] for child in threads
    }
    nobody = [child for child in root["children"] if child["uid"] == 65534]
    assert len(nobody) == 1 and nobody[0]["children"][0]["name"] == "sleep"


def _node(pid: int, name: str, *children: Node, uid: int = 0) -> Node:
    node = Node(pid, 0, name, uid, False, None)
    node.children = list(children)
    return node


def test_merging_by_hand() -> None:
    init = _node(
        1,
        "init",
        _node(2, "bash", _node(3, "sleep")),
        _node(4, "bash", _node(5, "sleep")),
        _node(6, "cron"),
    )
    assert draw(init, Style()) == "init-+-2*[bash---sleep]\n     `-cron\n"
    assert draw(init, Style(utf8=True)) == "init─┬─2*[bash───sleep]\n     └─cron\n"
    assert draw(init, Style(pids=True)) == (
        "init(1)-+-bash(2)---sleep(3)\n        |-bash(4)---sleep(5)\n        `-cron(6)\n"
    )
    assert draw(init, Style(width=20)) == "init-+-2*[bash---sl+\n     `-cron\n"
    # with users shown, subtrees of different users are not merged
    init.children[1].uid = 424242  # (a uid without a name: shown as its number)
    assert draw(init, Style(users=True)) == (
        "init-+-bash---sleep\n     |-bash(424242)---sleep(root)\n     `-cron\n"
    )


def test_names_escaped_as_psmisc_does() -> None:
    odd = _node(1, "a\\b", _node(2, "caf\xe9"), _node(3, "tab\there"))
    # (the escaped name is 4 columns wide: the next line is indented by 5)
    assert draw(odd, Style()) == "a\\\\b-+-caf\\303\\251\n     `-tab\\011here\n"


@pytest.mark.parametrize("argv", [["0"], ["-z"], ["1", "2"]])
def test_usage_errors(argv: list[str]) -> None:
    result = run("pstree", *argv)
    assert (result.returncode, result.stdout) == (2, "")
    assert "usage: procfs pstree" in result.stderr and "Traceback" not in result.stderr


def _on_a_terminal(argv: list[str], env: dict[str, str]) -> str:
    """What ``argv`` prints when its output is a terminal (a pseudo-terminal here)."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.waitpid(pid, 0)
    return seen.decode("utf-8", "replace").replace("\r\n", "\n")


def test_utf8_lines_on_a_utf8_terminal_as_psmisc_chooses(tree: int) -> None:
    pstree = shutil.which("pstree")
    if pstree is None:
        pytest.skip("psmisc pstree is not installed")
    base = {"PATH": os.environ.get("PATH", ""), "COLUMNS": "200"}
    for lang, drawn in (("C.UTF-8", "─┬─"), ("C", "-+-")):
        env = dict(base, LANG=lang)
        expected = _on_a_terminal([pstree, str(tree)], env)
        assert drawn in expected, lang
        ours = _on_a_terminal([sys.executable, "-m", "procfs", "pstree", str(tree)], env)
        assert ours == expected, lang
