"""The one-value files: comm, wchan, loginuid, sessionid, oom_*, personality, timerslack_ns,
coredump_filter and children; the oom_score_adj writer."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys

import pytest

import procfs
from procfs import ProcFS
from procfs.core import PARSERS
from procfs.core.pid_values import (
    CoredumpFilter,
    Personality,
    parse_children,
    parse_comm,
    parse_coredump_filter,
    parse_loginuid,
    parse_oom_score,
    parse_oom_score_adj,
    parse_personality,
    parse_sessionid,
    parse_timerslack_ns,
    parse_wchan,
)
from procfs.errors import ParseError
from tests.conftest import SAMPLES, sample
from tests.helpers import NOBODY, child, run_as, wait_for

_LIBC = ctypes.CDLL(None, use_errno=True)
_PR_GET_TIMERSLACK = 30
_CAP_SYS_RESOURCE = 24


def _has_capability(bit: int) -> bool:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("CapEff:"):
                return bool(int(line.split()[1], 16) >> bit & 1)
    return False


def test_registered() -> None:
    per_thread = {
        "comm": parse_comm,
        "wchan": parse_wchan,
        "loginuid": parse_loginuid,
        "sessionid": parse_sessionid,
        "oom_score": parse_oom_score,
        "oom_score_adj": parse_oom_score_adj,
        "personality": parse_personality,
    }
    for name, function in per_thread.items():
        assert PARSERS[f"[pid]/{name}"] is function
        assert PARSERS[f"[pid]/task/[tid]/{name}"] is function
    assert PARSERS["[pid]/timerslack_ns"] is parse_timerslack_ns
    assert PARSERS["[pid]/coredump_filter"] is parse_coredump_filter
    assert PARSERS["[pid]/task/[tid]/children"] is parse_children
    # files that exist in one kind of directory only
    assert "[pid]/children" not in PARSERS
    assert "[pid]/task/[tid]/coredump_filter" not in PARSERS
    assert "[pid]/task/[tid]/timerslack_ns" not in PARSERS


def test_samples() -> None:
    assert parse_comm(sample("prometheus-fixtures/proc/26231/comm")) == "vim"
    assert parse_wchan(sample("prometheus-fixtures/proc/26231/wchan")) == "poll_schedule_timeout"
    assert parse_wchan(sample("prometheus-fixtures/proc/26232/wchan")) == "0"
    assert parse_wchan(sample("dev-machine/proc/15532/wchan")) == "anon_pipe_read"
    assert parse_wchan(sample("dev-machine/proc/15532/task/15542/wchan")) == "hrtimer_nanosleep"
    assert parse_loginuid(sample("dev-machine/proc/15532/loginuid")) is None  # 4294967295
    assert parse_sessionid(sample("dev-machine/proc/15532/sessionid")) is None
    assert parse_oom_score_adj(sample("dev-machine/proc/15532/oom_score_adj")) == 0
    assert parse_timerslack_ns(sample("dev-machine/proc/15532/timerslack_ns")) == 50000
    assert parse_coredump_filter(sample("dev-machine/proc/15532/coredump_filter")) == (
        CoredumpFilter(0x33)
    )
    assert parse_personality(sample("dev-machine/proc/15532/personality")) == Personality(0)


def test_plain_values() -> None:
    assert parse_comm(b"a b\n") == "a b"
    assert parse_comm(b"x\ny\n") == "x\ny"  # only the final newline is the kernel's
    assert parse_loginuid(b"1000") == 1000
    assert parse_oom_score(b"667\n") == 667
    assert parse_oom_score_adj(b"-1000\n") == -1000
    assert parse_children(b"") == []
    assert parse_children(b"4720 4721 \n") == [4720, 4721]


@pytest.mark.parametrize(
    ("function", "data"),
    [
        (parse_loginuid, b""),
        (parse_loginuid, b"x"),
        (parse_oom_score, b"1 2"),
        (parse_oom_score_adj, b"--5"),
        (parse_timerslack_ns, b"5.0"),
        (parse_wchan, b"a b"),
        (parse_children, b"1 x"),
        (parse_personality, b"zz"),
        (parse_personality, b""),
        (parse_coredump_filter, b"0x33"),
    ],
)
def test_malformed(function: object, data: bytes) -> None:
    with pytest.raises(ParseError):
        function(data)  # type: ignore[operator]


def test_personality_flags() -> None:
    persona = parse_personality(sample("handmade/proc/4711/personality"))
    assert persona == Personality(0x0040000)
    assert persona.addr_no_randomize and persona.domain == 0
    assert persona.flags == ["ADDR_NO_RANDOMIZE"]
    assert persona.to_dict() == {"value": 0x40000, "domain": 0, "flags": ["ADDR_NO_RANDOMIZE"]}
    linux32 = Personality(0x0800008)
    assert linux32.domain == 8 and linux32.flags == ["ADDR_LIMIT_32BIT"]


def test_coredump_filter_bits() -> None:
    default = CoredumpFilter(0x33)
    # 0x33: all anonymous memory, ELF headers and private huge pages (proc(5))
    assert default.flags == ["anonymous_private", "anonymous_shared", "elf_headers", "private_huge"]
    full = parse_coredump_filter(sample("handmade/proc/4711/coredump_filter"))
    assert full is not None and full.value == 0x3F
    assert full.includes("elf_headers") and full.includes("file_shared")
    assert not full.includes("private_dax")
    assert full.to_dict()["flags"][-1] == "private_huge"  # 0x3f: bits 0 to 5
    assert parse_coredump_filter(b"") is None  # a kernel thread


def test_children_of_captured_threads() -> None:
    fs = ProcFS(SAMPLES / "handmade" / "proc")
    process = fs.process(4711)
    assert [t.tid for t in process.tasks()] == sorted(t.tid for t in process.tasks())
    assert process.task(4711).child_pids() == [4720, 4721]
    assert process.task(4712).child_pids() == [4722, 4720]
    # the union over threads, each pid once, in order of appearance
    assert process.child_pids() == [4720, 4721, 4722]


def test_live_comm_wchan_and_oom_score() -> None:
    with child(b"valuechild") as proc:
        handle = procfs.Process(proc.pid)
        assert handle.comm() == "valuechild"
        wchan = handle.wchan()
        assert wchan and " " not in wchan  # sleeping in a pipe read: a symbol, or "0"
        with open(f"/proc/{proc.pid}/oom_score") as f:
            assert handle.oom_score() == int(f.read())
        assert handle.task(proc.pid).comm() == "valuechild"


def test_live_loginuid_and_sessionid() -> None:
    me = procfs.Process.myself()
    try:
        with open("/proc/self/loginuid") as f:
            raw = int(f.read())
    except FileNotFoundError:
        pytest.skip("no loginuid (CONFIG_AUDIT)")
    assert me.loginuid() == (None if raw == 4294967295 else raw)
    with open("/proc/self/sessionid") as f:
        raw = int(f.read())
    assert me.sessionid() == (None if raw == 4294967295 else raw)


def test_live_timerslack_agrees_with_prctl() -> None:
    slack = _LIBC.prctl(_PR_GET_TIMERSLACK, 0, 0, 0, 0)
    try:
        assert procfs.Process.myself().timerslack_ns() == slack
    except procfs.NotFoundError:
        pytest.skip("no timerslack_ns (Linux 4.6)")


def test_live_personality_of_setarch_child() -> None:
    setarch = shutil.which("setarch")
    if setarch is None:
        pytest.skip("setarch is not installed")
    proc = subprocess.Popen(
        [setarch, os.uname().machine, "-R", sys.executable, "-c", "import sys; sys.stdin.read()"],
        stdin=subprocess.PIPE,
    )
    try:
        handle = procfs.Process(proc.pid)
        # setarch sets the personality, then runs Python in the same process
        wait_for(lambda: handle.exe() == os.path.realpath(sys.executable))
        assert handle.personality().addr_no_randomize
        assert handle.personality().flags == ["ADDR_NO_RANDOMIZE"]
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()


def test_live_coredump_filter_written_by_hand() -> None:
    with child(b"dumpfilter") as proc:
        handle = procfs.Process(proc.pid)
        assert handle.coredump_filter() is not None
        with open(f"/proc/{proc.pid}/coredump_filter", "w") as f:
            f.write("0x7")
        assert handle.coredump_filter() == CoredumpFilter(7)


def test_live_children() -> None:
    if not os.path.exists(f"/proc/self/task/{os.getpid()}/children"):
        pytest.skip("no task/*/children files (CONFIG_PROC_CHILDREN)")
    kids = [subprocess.Popen(["sleep", "30"]) for _ in range(2)]
    try:
        children = procfs.Process.myself().child_pids()
        assert {k.pid for k in kids} <= set(children)
    finally:
        for kid in kids:
            kid.kill()
            kid.wait()


def test_live_set_oom_score_adj_on_child() -> None:
    with child(b"oomchild") as proc:
        handle = procfs.Process(proc.pid)
        with open(f"/proc/{proc.pid}/oom_score_adj") as f:
            assert handle.oom_score_adj() == int(f.read())
        handle.set_oom_score_adj(500)
        assert handle.oom_score_adj() == 500
        with open(f"/proc/{proc.pid}/oom_score_adj") as f:
            assert int(f.read()) == 500
        # one value for the whole process, seen from each thread
        assert handle.task(proc.pid).oom_score_adj() == 500
        # going back below the old value needs CAP_SYS_RESOURCE (containers often drop it)
        if _has_capability(_CAP_SYS_RESOURCE):
            handle.set_oom_score_adj(-200)
            assert handle.oom_score_adj() == -200
        else:
            with pytest.raises(procfs.PermissionDeniedError):
                handle.set_oom_score_adj(-200)
            assert handle.oom_score_adj() == 500
        with pytest.raises(ValueError):
            handle.set_oom_score_adj(1001)


def test_lowering_oom_score_adj_without_privilege_is_denied() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to drop privileges")

    def lower() -> object:
        me = procfs.Process.myself()
        me.set_oom_score_adj(300)  # raising is allowed to anyone
        try:
            me.set_oom_score_adj(-300)
        except procfs.PermissionDeniedError as exc:
            return ("denied", isinstance(exc, PermissionError), me.oom_score_adj())
        return "allowed"

    assert run_as(NOBODY, NOBODY, lower) == ("denied", True, 300)
