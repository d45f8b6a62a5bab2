"""procfs.scan: one pass over every process, the named files parsed, errors kept per file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import procfs
import procfs.core.io
import procfs.core.process_cgroup
import procfs.core.statm
import procfs.core.status
from procfs import ProcFS
from procfs.errors import NotFoundError, ParseError, PermissionDeniedError
from procfs.process import Process
from procfs.scan import SCAN_FILES, ScannedProcess
from tests.conftest import SAMPLES
from tests.helpers import child, run_as

NOBODY = 65534
TOP = ("stat", "status", "statm", "io")


def _pids() -> set[int]:
    return {int(name) for name in os.listdir("/proc") if name.isdigit()}


def test_live_scan_lists_the_processes_that_live_throughout() -> None:
    before = _pids()
    scanned = {p.pid: p for p in procfs.scan_processes(TOP)}
    after = _pids()
    assert before & after <= set(scanned) <= before | after
    me = scanned[os.getpid()]
    assert me.stat.pid == me.status.pid == os.getpid()
    assert me.stat.ppid == os.getppid()
    assert me.stat.starttime == Process(os.getpid()).stat().starttime
    assert me.status.euid == os.geteuid()
    assert me.errors == {}


def test_live_values_match_an_independent_reading() -> None:
    with child(b"scanned-kid") as kid:
        (found,) = [p for p in procfs.scan_processes((*TOP, "comm", "cmdline")) if p.pid == kid.pid]
        handle = Process(kid.pid)
        assert found.comm == "scanned-kid" == found.stat.comm == handle.comm()
        assert found.cmdline == handle.cmdline()
        assert found.stat.starttime == handle.stat().starttime
        # statm's size is status's VmSize, in pages (two views of one counter)
        assert found.status.vmsize == found.statm.size * os.sysconf("SC_PAGE_SIZE")
        assert found.io.rchar is not None and found.io.rchar > 0
        assert found.process() == handle


def test_the_module_function_and_the_method_agree() -> None:
    assert {p.pid for p in procfs.scan_processes()} & {1} == {1}
    first = next(iter(ProcFS().scan_processes(("stat",))))
    assert isinstance(first, ScannedProcess)


def test_a_file_not_asked_for_is_a_lookup_error() -> None:
    me = next(p for p in procfs.scan_processes(("stat",)) if p.pid == os.getpid())
    with pytest.raises(LookupError, match="'io'"):
        _ = me.io
    with pytest.raises(LookupError):
        me.get("nonsense")
    with pytest.raises(AttributeError):
        _ = me.nonsense
    assert me.get("stat") is me.stat


def test_an_unknown_file_is_refused_before_reading() -> None:
    with pytest.raises(ValueError, match="cannot scan 'environ'"):
        list(procfs.scan_processes(("stat", "environ")))


def test_every_scan_file_reads_live() -> None:
    me = next(p for p in procfs.scan_processes(SCAN_FILES) if p.pid == os.getpid())
    handle = Process.myself()
    assert me.limits == handle.limits()
    assert me.cgroups == handle.cgroups()
    assert me.comm == handle.comm()
    assert isinstance(me.oom_score, int)
    missing = set(me.errors)
    # kernels without CONFIG_SCHEDSTATS / CONFIG_KALLSYMS lack these; nothing else may fail
    assert missing <= {"schedstat", "wchan", "smaps_rollup"}, me.errors
    assert all(isinstance(error, NotFoundError) for error in me.errors.values())


def test_an_ordinary_user_gets_permission_errors_per_file() -> None:
    """As ``nobody``: root's io is denied (and kept as that file's error), its stat is not."""

    def probe() -> object:
        (init,) = [p for p in procfs.scan_processes(TOP) if p.pid == 1]
        outcome: dict[str, object] = {"stat": init.stat.pid, "errors": sorted(init.errors)}
        try:
            _ = init.io
        except PermissionDeniedError as exc:
            outcome["io"] = f"denied {exc.path}"
        mine = [p for p in procfs.scan_processes(TOP) if p.pid == os.getpid()]
        outcome["own io"] = mine[0].io.rchar is not None
        return outcome

    result = run_as(NOBODY, NOBODY, probe)
    assert result == {
        "stat": 1,
        "errors": ["io"],
        "io": "denied /proc/1/io",
        "own io": True,
    }, result


def _tree(tmp_path: Path) -> ProcFS:
    """A captured tree: pid 1 whole, pid 2 with a broken stat and no io, and non-pid entries."""
    source = SAMPLES / "dev-machine" / "proc" / "1"
    for pid in ("1", "2"):
        shutil.copytree(source, tmp_path / pid)
    (tmp_path / "2" / "stat").write_bytes(b"2 (broken S 1\n")
    (tmp_path / "2" / "io").unlink(missing_ok=True)
    (tmp_path / "self").mkdir()
    (tmp_path / "meminfo").write_bytes(b"MemTotal: 1 kB\n")
    return ProcFS(str(tmp_path))


def test_a_captured_tree_keeps_each_error_with_its_file(tmp_path: Path) -> None:
    fs = _tree(tmp_path)
    (tmp_path / "1" / "io").write_bytes(
        b"rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: 6\n"
        b"cancelled_write_bytes: 7\n"
    )
    scanned = {p.pid: p for p in fs.scan_processes(("stat", "statm", "io"))}
    assert sorted(scanned) == [1, 2]
    one, two = scanned[1], scanned[2]
    assert one.errors == {}
    assert one.stat == Process(1, fs).stat()
    assert (one.io.rchar, one.io.cancelled_write_bytes) == (1, 7)
    assert two.statm == one.statm
    assert sorted(two.errors) == ["io", "stat"]
    with pytest.raises(ParseError) as parse_error:
        _ = two.stat
    assert parse_error.value.path == f"{tmp_path}/2/stat"
    with pytest.raises(NotFoundError) as not_found:
        _ = two.io
    assert not_found.value.path == f"{tmp_path}/2/io"
    assert "errors=['io', 'stat']" in repr(two)


def test_a_process_that_is_gone_is_left_out(tmp_path: Path) -> None:
    fs = _tree(tmp_path)
    shutil.rmtree(tmp_path / "2")
    (tmp_path / "2").symlink_to(tmp_path / "nowhere")  # listed, but its directory is gone
    assert [p.pid for p in fs.scan_processes(("stat",))] == [1]


def test_a_live_process_that_exits_after_the_listing_is_left_out() -> None:
    with child() as kid:
        pid = kid.pid
        scan = procfs.scan_processes(TOP)
        first = next(scan)  # the listing (which holds the child) is taken here
    # the child has exited and was reaped: the rest of the scan skips it
    rest = {p.pid for p in scan}
    assert first.pid == 1 < pid
    assert pid not in rest
    assert os.getpid() in rest
