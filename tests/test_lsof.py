"""``procfs lsof`` against ``lsof`` itself, on a process the test starts with known files open."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from procfs.cli import main

LSOF = shutil.which("lsof")
needs_lsof = pytest.mark.skipif(LSOF is None, reason="lsof is not installed")

#: A process holding one of each kind of file lsof shows, then waiting.
CHILD = r"""
import os, socket, sys, time
directory = sys.argv[1]
held = [
    open(os.path.join(directory, "read"), "rb"),
    open(os.path.join(directory, "write"), "wb"),
    open(os.path.join(directory, "append"), "ab"),
    open(os.path.join(directory, "both"), "r+b"),
    open("/dev/null", "rb"),
]
held[3].seek(3)
pipe = os.pipe()
tcp = socket.socket(); tcp.bind(("127.0.0.1", 0)); tcp.listen()
tcp6 = socket.socket(socket.AF_INET6); tcp6.bind(("::1", 0)); tcp6.listen()
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.bind(("127.0.0.1", 0))
client = socket.create_connection(tcp.getsockname())
server, _ = tcp.accept()
unix = socket.socket(socket.AF_UNIX); unix.bind(os.path.join(directory, "sock")); unix.listen()
pair = socket.socketpair()
netlink = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # in no table lsof reads
import mmap
gone = os.path.join(directory, "gone")
with open(gone, "wb") as f:
    f.write(b"x" * 8192)
with open(gone, "r+b") as f:
    mapped = mmap.mmap(f.fileno(), 8192)  # mapped, then unlinked: lsof's DEL
os.unlink(gone)
import resource
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if hard == resource.RLIM_INFINITY or hard > 1234:
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1235), hard))
    os.dup2(tcp.fileno(), 1234)  # a four-digit descriptor: lsof's FD column stays as wide
print(tcp.getsockname()[1], flush=True)
time.sleep(600)
"""


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main(list(argv))
    return status, out.getvalue()


@pytest.fixture(scope="module")
def holder() -> Iterator[tuple[subprocess.Popen[str], Path, int]]:
    directory = Path(tempfile.mkdtemp(prefix="lsof-"))
    contents = {"read": b"abc", "write": b"", "append": b"12345", "both": b"xyzw"}
    for name, content in contents.items():
        (directory / name).write_bytes(content)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(directory)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    port = int(child.stdout.readline())
    try:
        yield child, directory, port
    finally:
        child.kill()
        child.wait()
        shutil.rmtree(directory)


def lsof(*argv: str) -> str:
    result = subprocess.run(["lsof", "-n", "-P", *argv], capture_output=True, text=True)
    return result.stdout


@needs_lsof
def test_one_process_as_lsof_shows_it(holder: tuple[subprocess.Popen[str], Path, int]) -> None:
    child, directory, _ = holder
    status, ours = run("lsof", "-p", str(child.pid))
    theirs = lsof("-p", str(child.pid))
    assert status == 0
    # the same lines, byte for byte; lsof lists mapped files in its own order
    assert ours.splitlines()[0] == theirs.splitlines()[0]
    assert sorted(ours.splitlines()) == sorted(theirs.splitlines())
    deleted = [line.split() for line in ours.splitlines() if line.endswith(f"{directory}/gone")]
    assert [fields[3] for fields in deleted] == ["DEL"]
    assert any(line.endswith(" protocol: NETLINK") for line in ours.splitlines())
    modes = {line.split()[-1]: line.split()[3][-1] for line in ours.splitlines()[1:]}
    for name, mode in (("read", "r"), ("write", "w"), ("append", "w"), ("both", "u")):
        assert modes[str(directory / name)] == mode, name


@needs_lsof
@pytest.mark.parametrize(
    "spec", ["", "4", "6", "TCP", "UDP", "4TCP", "@127.0.0.1", ":{port}", "TCP:{port}"]
)
def test_internet_sockets(holder: tuple[subprocess.Popen[str], Path, int], spec: str) -> None:
    child, _, port = holder
    spec = spec.format(port=port)
    args = ["-a", "-p", str(child.pid), "-i" + spec]
    status, ours = run("lsof", *args)
    assert ours == lsof(*args)
    assert status == (0 if ours else 1)


@needs_lsof
def test_terse_and_paths(holder: tuple[subprocess.Popen[str], Path, int]) -> None:
    child, directory, _ = holder
    path = str(directory / "both")
    assert run("lsof", "-t", path) == (0, f"{child.pid}\n")
    assert run("lsof", path)[1] == lsof(path)
    assert run("lsof", "-t", "-a", "-p", str(child.pid), "-i", "TCP")[1] == f"{child.pid}\n"
    assert run("lsof", str(directory / "read"))[0] == 0


def test_json(holder: tuple[subprocess.Popen[str], Path, int]) -> None:
    child, directory, _ = holder
    status, out = run("lsof", "--json", "-p", str(child.pid))
    rows = json.loads(out)
    assert status == 0
    by_name = {row["name"]: row for row in rows}
    both = by_name[str(directory / "both")]
    assert both == {
        "command": "python3"[:9] if both["command"] == "python3" else both["command"],
        "pid": child.pid,
        "user": "root" if os.geteuid() == 0 else both["user"],
        "fd": both["fd"],
        "type": "REG",
        "device": both["device"],
        "size_off": "4",
        "node": str(os.stat(directory / "both").st_ino),
        "name": str(directory / "both"),
    }
    assert both["fd"].endswith("u")


def test_usage_errors() -> None:
    for args in (["lsof", "-p", "x"], ["lsof", "-Z"], ["lsof", "-i", "-u", "nosuchuser"]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(args)
        assert status == 2 and "usage: procfs lsof" in err.getvalue(), args
    assert run("lsof", "--help")[1].startswith("usage: procfs lsof")


def test_bash_completion_offers_the_options_of_lsof() -> None:
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    from tests.test_cli import _bash_complete

    offered = _bash_complete("procfs", "lsof", "-")
    assert {"-i", "-p", "-u", "-a", "-t", "-l", "--json", "--root"} <= set(offered)
    assert _bash_complete("procfs", "lsof", "--j") == ["--json"]


@needs_lsof
def test_numeric_users(holder: tuple[subprocess.Popen[str], Path, int]) -> None:
    child, _, _ = holder
    args = ["-a", "-l", "-p", str(child.pid), "-i"]
    assert run("lsof", *args)[1] == lsof(*args)


def _as_nobody(*argv: str) -> tuple[int, str]:
    """``run(*argv)`` in a child that has become the user ``nobody``."""
    import pwd

    nobody = pwd.getpwnam("nobody")
    run(*argv)  # (everything the command imports is imported before the child drops root)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            status, out = run(*argv)
            os.write(write_end, f"{status}\n{out}".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read().decode()
    os.waitpid(pid, 0)
    code, _, out = data.partition("\n")
    return int(code), out


@needs_lsof
@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become nobody")
def test_other_users_processes_as_lsof_shows_them(
    holder: tuple[subprocess.Popen[str], Path, int],
) -> None:
    import pwd

    child, _, _ = holder
    theirs = subprocess.run(
        ["lsof", "-n", "-P", "-p", str(child.pid)],
        capture_output=True,
        text=True,
        user=pwd.getpwnam("nobody").pw_uid,
        group=pwd.getpwnam("nobody").pw_gid,
        extra_groups=[],
    ).stdout
    status, ours = _as_nobody("lsof", "-p", str(child.pid))
    assert "Permission denied" in ours
    assert ours == theirs
    assert status == 0
    # -i: the sockets of processes one may not look into are left out, as lsof does
    args = ["-a", "-p", str(child.pid), "-i"]
    status, ours = _as_nobody("lsof", *args)
    lsof_i = subprocess.run(
        ["lsof", "-n", "-P", *args],
        capture_output=True,
        text=True,
        user=pwd.getpwnam("nobody").pw_uid,
        group=pwd.getpwnam("nobody").pw_gid,
        extra_groups=[],
    )
    assert (status, ours) == (lsof_i.returncode, lsof_i.stdout) == (1, "")
