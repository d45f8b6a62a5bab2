"""/proc/[pid]/cmdline and /proc/[pid]/environ: samples and live child processes."""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import subprocess
import sys
import time

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.cmdline import Environ, parse_cmdline, parse_environ
from tests.conftest import sample
from tests.helpers import child, wait_for


def test_registered() -> None:
    assert PARSERS["[pid]/cmdline"] is parse_cmdline
    assert PARSERS["[pid]/environ"] is parse_environ


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", []),
        (b"\0", [""]),
        (b"a\0", ["a"]),
        (b"a\0\0b\0", ["a", "", "b"]),
        (b"a\0\0", ["a", ""]),
        (b"nginx: worker process", ["nginx: worker process"]),
        (b"title with spaces\0", ["title with spaces"]),
        (b"a\0b", ["a", "b"]),  # a truncated read: the last argument lost its NUL
    ],
)
def test_cmdline_forms(data: bytes, expected: list[str]) -> None:
    assert parse_cmdline(data) == expected


def test_cmdline_handmade_sample() -> None:
    args = parse_cmdline(sample("handmade/cmdline.empty-arg-spaces-non-utf8.txt"))
    assert args[:4] == ["/usr/bin/python3", "-c", "", "arg with spaces"]
    assert os.fsencode(args[4]) == b"\xff\xfe"
    assert len(args) == 5


def test_cmdline_prometheus() -> None:
    assert parse_cmdline(sample("prometheus-fixtures/proc/26231/cmdline")) == [
        "vim",
        "test.go",
        "+10",
    ]


def test_cmdline_android_padded_with_nuls() -> None:
    # An Android app process overwrote its argument area with its name and NULs:
    # the kernel reports every NUL, so the name is followed by empty strings.
    data = sample("prometheus-fixtures/proc/26233/cmdline")
    args = parse_cmdline(data)
    assert args[0] == "com.github.uiautomator"
    assert set(args[1:]) == {""}
    assert len(args) == data.count(b"\0")


def test_environ_prometheus() -> None:
    env = parse_environ(sample("prometheus-fixtures/proc/26231/environ"))
    assert env == {
        "PATH": "/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin"
        ":/usr/sbin:/usr/bin:/sbin:/bin",
        "HOSTNAME": "cd24e11f73a5",
        "TERM": "xterm",
        "GOLANG_VERSION": "1.12.5",
        "GOPATH": "/go",
        "HOME": "/root",
    }


def _encode(env: Environ) -> bytes:
    return b"".join(os.fsencode(entry) + b"\0" for entry in env.entries)


def test_environ_round_trip_and_odd_entries() -> None:
    data = b"A=1\0EMPTY=\0EQ=a=b\0\xff\xfe=\xe9\0NOEQUALS\0A=2\0=lead\0\0"
    env = parse_environ(data)
    assert env == {"A": "1", "EMPTY": "", "EQ": "a=b", "\udcff\udcfe": "\udce9", "": "lead"}
    assert env.entries == [
        "A=1",
        "EMPTY=",
        "EQ=a=b",
        "\udcff\udcfe=\udce9",
        "NOEQUALS",
        "A=2",
        "=lead",
        "",
    ]
    assert _encode(env) == data
    assert b"\0".join(os.fsencode(k) + b"=" + os.fsencode(v) for k, v in env.items()) != data
    assert parse_environ(b"") == {} and parse_environ(b"").entries == []


def test_environ_is_a_plain_mapping() -> None:
    env = parse_environ(b"B=2\0A=1\0")
    assert isinstance(env, dict)
    assert list(env) == ["B", "A"]
    assert dict(env) == {"B": "2", "A": "1"}
    copy = pickle.loads(pickle.dumps(env))
    assert copy == env and copy.entries == env.entries
    assert "Environ" in repr(env)


# -- live ---------------------------------------------------------------------


def test_live_self_cmdline() -> None:
    assert procfs.Process.myself().cmdline() == sys.orig_argv


def test_live_child_with_odd_arguments() -> None:
    odd = [b"", b"a b", b"tab\there", b"new\nline", b"\xff\xfe non-utf8", b""]
    with child(argv=odd) as proc:
        assert isinstance(proc.args, list)
        expected = [os.fsdecode(arg) for arg in proc.args if isinstance(arg, (str, bytes))]
        assert len(expected) == len(proc.args)
        assert procfs.Process(proc.pid).cmdline() == expected
        assert [os.fsencode(a) for a in procfs.Process(proc.pid).cmdline()][-6:] == odd


_RETITLE = r"""
import os, sys
with open("/proc/self/stat", "rb") as f:
    data = f.read()
fields = data[data.rindex(b")") + 2 :].split()
arg_start, arg_end = int(fields[45]), int(fields[46])
title = b"retitled: with spaces"
# What setproctitle() does: overwrite the whole argument area, with no NUL before its end.
with open("/proc/self/mem", "r+b", buffering=0) as mem:
    mem.seek(arg_start)
    mem.write(title.ljust(arg_end - arg_start, b" ") + b"\0")
sys.stdout.write("ready\n")
sys.stdout.flush()
sys.stdin.read()
"""


def test_live_setproctitle_style_rewrite() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _RETITLE, "x"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        if proc.stdout.readline() != b"ready\n":
            pytest.skip("cannot write /proc/self/mem here")
        with open(f"/proc/{proc.pid}/cmdline", "rb") as f:
            raw = f.read()
        args = procfs.Process(proc.pid).cmdline()
        assert len(args) == 1
        assert args[0].startswith("retitled: with spaces ")
        assert os.fsencode(args[0]) == raw.rstrip(b"\0")
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(10)
        proc.stdout.close()  # type: ignore[union-attr]


def test_live_environ_of_child_round_trips() -> None:
    env = {
        b"PLAIN": b"value",
        b"EMPTY": b"",
        b"SPACES": b"a b\tc",
        b"EQUALS": b"x=y=z",
        b"NONUTF8": b"\xff\xfe\xe9",
        b"\xe9KEY": b"\x80",
    }
    proc = subprocess.Popen(["/bin/sleep", "60"], env=env)
    try:
        raw = _settled_environ(proc.pid)
        assert raw == b"".join(k + b"=" + v + b"\0" for k, v in env.items())
        parsed = procfs.Process(proc.pid).environ()
        assert {os.fsencode(k): os.fsencode(v) for k, v in parsed.items()} == env
        assert (
            b"\0".join(os.fsencode(k) + b"=" + os.fsencode(v) for k, v in parsed.items()) + b"\0"
            == raw
        )
    finally:
        proc.kill()
        proc.wait(10)


def _execve_child(argv: list[bytes], envp: list[bytes]) -> int:
    """Fork a child that execs ``argv`` with exactly ``envp`` (duplicates and all)."""
    libc = ctypes.CDLL(None, use_errno=True)
    c_argv = (ctypes.c_char_p * (len(argv) + 1))(*argv, None)
    c_envp = (ctypes.c_char_p * (len(envp) + 1))(*envp, None)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        libc.execve(argv[0], c_argv, c_envp)
        os._exit(127)
    return pid


def test_live_environ_duplicates_and_entries_without_equals() -> None:
    envp = [b"DUP=first", b"ALONE", b"DUP=second", b"OK=1", b""]
    pid = _execve_child([b"/bin/sleep", b"60"], envp)
    try:
        wait_for(lambda: _is_sleep(pid))
        raw = _settled_environ(pid)
        assert raw == b"".join(entry + b"\0" for entry in envp)
        env = procfs.Process(pid).environ()
        assert env == {"DUP": "first", "OK": "1"}
        assert isinstance(env, Environ)
        assert env.entries == [e.decode() for e in envp]
        assert _encode(env) == raw
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _settled_environ(pid: int) -> bytes:
    """The raw environ of a child that has just exec'd.

    The exec is reported done (exe link set, close-on-exec pipe closed) a moment
    before the kernel records where the new environment lies; until then the
    file reads empty.
    """
    raw = b""

    def ready() -> bool:
        nonlocal raw
        with open(f"/proc/{pid}/environ", "rb") as f:
            raw = f.read()
        return bool(raw)

    wait_for(ready)
    return raw


def _is_sleep(pid: int) -> bool:
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe")) == "sleep"
    except OSError:
        time.sleep(0.01)
        return False
