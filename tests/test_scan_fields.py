"""procfs.scan_fields: a few fields of every process, read as the records read them."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import procfs
import procfs.core.io
import procfs.core.stat
import procfs.core.statm
import procfs.core.status
from procfs import ProcFS
from procfs.core import PARSERS
from procfs.core.io import Io
from procfs.core.stat import Stat
from procfs.core.statm import StatM
from procfs.core.status import Status
from procfs.errors import NotFoundError, ParseError, PermissionDeniedError, ProcError
from procfs.process import Process
from tests.conftest import CORPUS, SAMPLES
from tests.helpers import NOBODY, child, open_fds, run_as
from tests.mutations import edited

TOP = (
    "pid",
    *("stat.utime", "stat.stime", "stat.cutime", "stat.cstime", "stat.state"),
    *("stat.num_threads", "statm.resident", "statm.size", "io.syscr", "io.syscw"),
    *("io.read_bytes", "io.write_bytes", "status.ruid", "status.euid", "status.suid"),
)

#: Field lists per file: the ones the fast readers take, and some they leave to the records.
NAMES = {
    "stat": [
        ("utime", "stime", "cutime", "cstime", "state", "num_threads"),
        ("tty_nr", "utime", "stime", "comm"),
        ("pid", "comm", "state"),
        ("exit_code", "ppid", "rss"),
        ("starttime", "starttime"),
        ("extra", "utime"),
        ("tty", "pgrp"),
    ],
    "status": [
        ("ruid", "euid", "suid"),
        ("name", "threads", "vmrss"),
        ("pid", "ppid", "fuid", "egid"),
        ("vmswap", "sigq"),
        ("extra", "euid"),
    ],
    "statm": [("resident", "size"), ("dt",), ("size", "data", "size")],
    "io": [
        ("syscr", "syscw", "read_bytes", "write_bytes"),
        ("cancelled_write_bytes", "rchar"),
        ("extra", "rchar"),
    ],
}


def _process_files(name: str) -> list[bytes]:
    """Every ``[pid]/<name>`` (and ``task/[tid]/<name>``) in the samples, the corpus and /proc."""
    found = []
    for top in (SAMPLES, CORPUS):
        if top.is_dir():
            for path in sorted(top.rglob(name)):
                if path.is_file() and (path.parent.name.isdigit() or path.parent.name == "self"):
                    found.append(path.read_bytes())
    for pid in (1, os.getpid()):
        try:
            found.append(Path(f"/proc/{pid}/{name}").read_bytes())
        except OSError:
            pass
    return found


SAMPLED = {name: _process_files(name) for name in NAMES}


def _through_the_records(file: str, data: bytes, names: tuple[str, ...], path: str) -> object:
    """The reference: the registered parser's record, its attributes one by one."""
    try:
        record = PARSERS[f"[pid]/{file}"](data, path)
        return ("read", tuple(getattr(record, name) for name in names))
    except ParseError as exc:
        return ("error", str(exc))


def _through_a_scan(file: str, data: bytes, names: tuple[str, ...]) -> tuple[object, str]:
    """``scan_fields`` of a one-process tree whose ``<file>`` is ``data``."""
    with tempfile.TemporaryDirectory() as root:
        os.mkdir(f"{root}/7")
        Path(f"{root}/7/{file}").write_bytes(data)
        fields = ["pid", *(f"{file}.{name}" for name in names)]
        try:
            ((pid, *values),) = list(ProcFS(root).scan_fields(fields))
        except ParseError as exc:
            return ("error", str(exc)), f"{root}/7/{file}"
        assert pid == 7
        return ("read", tuple(values)), f"{root}/7/{file}"


def test_there_are_samples_of_each_file() -> None:
    assert all(len(samples) >= 3 for samples in SAMPLED.values()), {
        name: len(samples) for name, samples in SAMPLED.items()
    }


@pytest.mark.parametrize(
    ("file", "names"), [(file, names) for file, lists in NAMES.items() for names in lists]
)
def test_every_sample_reads_as_the_records_read_it(file: str, names: tuple[str, ...]) -> None:
    for data in SAMPLED[file]:
        got, path = _through_a_scan(file, data, names)
        assert got == _through_the_records(file, data, names, path), data[:300]


@pytest.mark.parametrize(
    ("file", "names"), [(file, names) for file, lists in NAMES.items() for names in lists[:2]]
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_edited_files_read_as_the_records_read_them(
    file: str, names: tuple[str, ...], data: st.DataObject
) -> None:
    """Blanks, signs, odd bytes, cut lines: the fast readers give the records' values or errors."""
    content = data.draw(edited(SAMPLED[file]))
    got, path = _through_a_scan(file, content, names)
    assert got == _through_the_records(file, content, names, path)


@pytest.mark.parametrize(
    "line",
    [
        b"5 (a b) S 1 5 5 0 -1 4194560 7 0 0 0 3 4" + b" 0" * 35 + b"\n",  # 37 fields, old kernel
        b"5 (x) S 1  5 5" + b" 0" * 46 + b"\n",  # a blank early: fields move
        b"5 (x) S 1 5 5" + b" 0" * 45 + b" \n",  # the last field blank
        b"5 (x) S" + b" 1" * 20 + b"  " * 20 + b" 1" * 9 + b"\n",  # too many blanks
        b"5 (x) S 1 5 5 0 -1 4194560 +7" + b" 0" * 42 + b"\n",  # a plus sign
        b"5 ((x)) S 1 5 5 0 -1" + b" 0" * 44 + b"\n",  # parentheses in comm
        b"5 (x) S 1 5 5 0 -1" + b" 0" * 44 + b"\nextra line\n",
        b"5 (x)0 S 1 5 5 0 -1" + b" 0" * 44 + b"\n",  # digits glued to the state
        b"5 (x) 0S 1 5 5 0 -1" + b" 0" * 44 + b"\n",
        b"5 (x) S0 1 5 5 0 -1" + b" 0" * 44 + b"\n",
    ],
)
def test_odd_stat_lines_read_as_the_record_reads_them(line: bytes) -> None:
    for names in NAMES["stat"]:
        got, path = _through_a_scan("stat", line, names)
        assert got == _through_the_records("stat", line, names, path), names


_IO = (
    b"rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: 6\n"
    b"cancelled_write_bytes: 7\n"
)
_STATUS = (SAMPLES / "dev-machine" / "proc" / "1" / "status").read_bytes()


@pytest.mark.parametrize(
    ("file", "data"),
    [
        ("io", _IO.replace(b"rchar: 1", b"rchar: ")),  # an empty value: the others move
        ("io", _IO.replace(b"wchar: 2", b"wchar: +2")),
        ("io", _IO.replace(b"syscr: 3\n", b"")),  # a line missing
        ("io", _IO.replace(b"syscw: 4\n", b"syscw: 4\nextra: 9\n")),
        ("io", _IO.replace(b": ", b":\t")),
        ("io", _IO[:-1]),  # no last newline
        ("io", b"rchar: x\n" + _IO[9:]),
        ("statm", b" 0 0 0 0 0 0\n"),  # a leading space, six numbers
        ("statm", b"1 2 3 4 5 6 7"),
        ("statm", b"1  2 3 4 5 6\n"),
        ("statm", b"1 2 3 4 5 6 7 8\n"),
        ("statm", b"1 2 3 4 5 6 -7\n"),
        ("status", _STATUS.replace(b"\nUid:", b"\nUid2:")),  # a required line missing
        ("status", _STATUS.replace(b"\nPid:", b"\nPID:")),
        ("status", _STATUS.replace(b"Name:", b"Nam:")),
        ("status", b"Pid:\t5\n" + _STATUS),  # the name line not first
        ("status", _STATUS.replace(b"\nUid:\t", b"\nUid:\tx ")),  # a bad id
        ("status", _STATUS.replace(b"\nThreads:", b"\nThreads: 2\nThreads:")),
        ("status", _STATUS.replace(b"\nVmRSS:", b"\nVmRSS:\tlots")),
        ("status", _STATUS.rstrip(b"\n")),
    ],
)
def test_odd_files_read_as_the_records_read_them(file: str, data: bytes) -> None:
    for names in NAMES[file]:
        got, path = _through_a_scan(file, data, names)
        assert got == _through_the_records(file, data, names, path), names


def test_the_getters_of_records_built_any_way_read_as_the_attributes() -> None:
    """``fields_getter`` on quick-path records, fully parsed ones and hand-made ones."""
    stat_line = Path("/proc/self/stat").read_bytes()
    stats = [
        procfs.core.stat.parse_stat(stat_line, "x"),
        procfs.core.stat.parse_stat(stat_line.replace(b" ", b"  ", 3), "x"),  # the full parse
    ]
    stats.append(stats[0].replace(utime=5))
    status = procfs.core.status.parse_status(Path("/proc/self/status").read_bytes(), "x")
    statm = procfs.core.statm.parse_statm(Path("/proc/self/statm").read_bytes())
    io = procfs.core.io.parse_io(Path("/proc/self/io").read_bytes())
    slow_io = procfs.core.io.parse_io(b"rchar: 1\nwchar:  2\nsyscr: 3\nsyscw: 4\n")
    cases: list[tuple[type[Any], str, list[Any]]] = [
        (Stat, "stat", stats),
        (Status, "status", [status, status.replace(euid=3)]),
        (StatM, "statm", [statm, statm.in_bytes(4096)]),
        (Io, "io", [io, slow_io]),
    ]
    for cls, file, records in cases:
        for record in records:
            for names in NAMES[file]:
                expected = tuple(getattr(record, name) for name in names)
                assert cls.fields_getter(names)(record) == expected, (file, names)


def test_what_records_count_as_their_fields() -> None:
    # fields and properties, not methods, private names or unknown ones
    assert Stat.has_field("utime") and Stat.has_field("tty") and StatM.has_field("dt")
    for name in ("replace", "to_dict", "_fields", "nonsense", ""):
        assert not Stat.has_field(name), name
    Stat.check_fields(["utime", "tty"])
    with pytest.raises(ValueError, match=r"^Stat has no field 'replace'; fields: pid, comm, "):
        Stat.check_fields(["utime", "replace"])
    assert Stat.fields_getter(())(Stat._make(range(52))) == ()


def test_no_fields_read_as_an_empty_tuple_with_the_parsers_errors() -> None:
    # (Stat's compiled getter and reader once failed on an empty list: max() of nothing)
    modules = {
        "stat": procfs.core.stat,
        "status": procfs.core.status,
        "statm": procfs.core.statm,
        "io": procfs.core.io,
    }
    for file, module in modules.items():
        for data in SAMPLED[file]:
            assert module.fields_reader(())(data, "x") == (), file
        with pytest.raises(ParseError):
            module.fields_reader(())(b"garbage (", "x")


def test_live_values_match_the_handles_of_a_stopped_process() -> None:
    with child(b"fields-kid") as kid:
        os.kill(kid.pid, signal.SIGSTOP)
        try:
            rows = {row[0]: row for row in procfs.scan_fields(TOP, default=None)}
            handle = Process(kid.pid)
            stat, status, statm, io = handle.stat(), handle.status(), handle.statm(), handle.io()
        finally:
            os.kill(kid.pid, signal.SIGCONT)
    expected = (
        kid.pid,
        *(stat.utime, stat.stime, stat.cutime, stat.cstime, stat.state, stat.num_threads),
        *(statm.resident, statm.size, io.syscr, io.syscw, io.read_bytes, io.write_bytes),
        *(status.ruid, status.euid, status.suid),
    )
    assert rows[kid.pid] == expected
    assert rows[kid.pid][5] == "T"  # stopped


def test_live_scan_lists_the_processes_that_live_throughout() -> None:
    before = {int(n) for n in os.listdir("/proc") if n.isdigit()}
    rows = {
        pid: (comm, starttime)
        for pid, comm, starttime in procfs.scan_fields(("pid", "stat.comm", "stat.starttime"))
    }
    after = {int(n) for n in os.listdir("/proc") if n.isdigit()}
    assert before & after <= set(rows) <= before | after
    me = Process(os.getpid()).stat()
    assert rows[os.getpid()] == (me.comm, me.starttime)
    assert rows[1][1] == Process(1).stat().starttime


def test_fields_come_in_the_order_asked_and_whole_files_too() -> None:
    me = os.getpid()
    ((comm, pid, again, cmdline, stat),) = [
        row
        for row in ProcFS().scan_fields(("stat.comm", "pid", "stat.comm", "cmdline", "stat"))
        if row[1] == me
    ]
    assert pid == me and comm == again == stat.comm
    assert cmdline == Process(me).cmdline()
    assert isinstance(stat, Stat) and stat.pid == me
    assert (me,) in set(procfs.scan_fields(("pid",)))  # nothing read
    assert (me, me) in set(procfs.scan_fields(("pid", "pid")))
    # one file's fields without the pid, in its order: the reader's tuples as they are
    assert (me, comm) in set(procfs.scan_fields(("stat.pid", "stat.comm")))
    assert (comm, me) in set(procfs.scan_fields(("stat.comm", "stat.pid")))


def test_a_single_string_is_refused_rather_than_read_letter_by_letter() -> None:
    with pytest.raises(TypeError, match=r"not the string 'stat\.utime'"):
        procfs.scan_fields("stat.utime")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ((), "at least one field"),
        (("stat.nope",), "Stat has no field 'nope'"),
        (("stat._split",), "Stat has no field '_split'"),
        (("stat.rss_bytes",), "Stat has no field 'rss_bytes'"),  # a method, not a field
        (("comm.x",), "it has no fields"),
        (("environ",), "'environ' is not one of"),
        (("pids",), "'pids' is not one of"),
    ],
)
def test_unknown_fields_are_refused_at_once(fields: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        procfs.scan_fields(fields)


def _tree(tmp_path: Path) -> ProcFS:
    """pid 1 whole, pid 2 with a broken stat and no io, pid 3 listed but gone."""
    source = SAMPLES / "dev-machine" / "proc" / "1"
    for pid in ("1", "2"):
        shutil.copytree(source, tmp_path / pid)
        (tmp_path / pid / "io").write_bytes(
            b"rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: 6\n"
            b"cancelled_write_bytes: 7\n"
        )
    (tmp_path / "2" / "stat").write_bytes(b"2 (broken S 1\n")
    (tmp_path / "2" / "io").unlink()
    (tmp_path / "3").symlink_to(tmp_path / "nowhere")
    (tmp_path / "self").mkdir()
    return ProcFS(str(tmp_path))


def test_errors_raise_or_read_as_the_default(tmp_path: Path) -> None:
    fs = _tree(tmp_path)
    fields = ("pid", "stat.comm", "statm.size", "io.rchar")
    one = Process(1, fs)
    errors: list[ProcError] = []
    rows = sorted(fs.scan_fields(fields, default=None, errors=errors))
    assert rows == [
        (1, one.stat().comm, one.statm().size, 1),
        (2, None, one.statm().size, None),  # pid 3 is gone: left out
    ]
    assert [(type(e), e.path) for e in errors] == [
        (ParseError, f"{tmp_path}/2/stat"),
        (NotFoundError, f"{tmp_path}/2/io"),
    ]
    assert list(fs.scan_fields(("stat.pid",), default=-1)) in ([(1,), (-1,)], [(-1,), (1,)])
    with pytest.raises(ParseError) as raised:
        list(fs.scan_fields(("pid", "stat.comm")))
    assert raised.value.path == f"{tmp_path}/2/stat"
    shutil.rmtree(tmp_path / "2")
    assert [row[0] for row in fs.scan_fields(fields)] == [1]


def test_an_ordinary_user_gets_the_default_for_what_is_denied() -> None:
    def probe() -> object:
        errors: list[ProcError] = []
        fields = ("pid", "stat.ppid", "io.rchar")
        rows = {row[0]: row for row in procfs.scan_fields(fields, default="-", errors=errors)}
        mine = rows[os.getpid()]
        raised: str | None = "nothing"
        try:
            list(procfs.scan_fields(("pid", "io.rchar")))
        except PermissionDeniedError as exc:
            raised = exc.path
        return {
            "init": rows[1][1:],
            "own io read": isinstance(mine[2], int),
            "init denied": PermissionDeniedError.__name__
            in {type(e).__name__ for e in errors if e.path == "/proc/1/io"},
            "raised": raised,
        }

    result = run_as(NOBODY, NOBODY, probe)
    assert result == {
        "init": (0, "-"),
        "own io read": True,
        "init denied": True,
        "raised": "/proc/1/io",
    }, result


def test_a_live_process_that_exits_after_the_listing_is_left_out() -> None:
    for fields in (("pid", "stat.comm"), ("pid", "stat.comm", "status.euid")):
        with child() as kid:
            pid = kid.pid
            scan = procfs.scan_fields(fields)
            first = next(scan)  # the listing (which holds the child) is taken here
        rest = {row[0] for row in scan}
        assert first[0] == 1 < pid
        assert pid not in rest
        assert os.getpid() in rest


def test_no_descriptor_stays_open_after_a_scan_ends_early_or_fails(tmp_path: Path) -> None:
    gc.collect()  # (a file object of an earlier test, closed meanwhile, would count)
    before = open_fds()
    for fields in (("pid", "stat.comm"), ("pid", "stat.comm", "statm.size")):
        scan = procfs.scan_fields(fields)
        next(scan)
        assert len(open_fds() - before) == 1  # the root's, while the scan is suspended
        del scan  # (a generator dropped is closed)
        assert not open_fds() - before
    fs = _tree(tmp_path)
    with pytest.raises(ParseError):
        list(fs.scan_fields(("pid", "stat.comm", "io.rchar")))
    assert not open_fds() - before


def test_fd_counts_the_descriptors_of_each_process(tmp_path: Path) -> None:
    # a child's count against its fd directory's listing; ours while holding 40 more;
    # and a captured tree (its directory sizes count nothing: it is listed)
    with child() as proc:
        counts = dict(procfs.scan_fields(("pid", "fd"), default=None))
        assert counts[proc.pid] == len(os.listdir(f"/proc/{proc.pid}/fd"))
    held = [os.open(tmp_path / f"f{i}", os.O_CREAT | os.O_WRONLY) for i in range(40)]
    try:
        rows = procfs.scan_fields(("pid", "fd", "stat.comm"), default=None)
        ours = {row[0]: row[1] for row in rows}[os.getpid()]
        assert abs(ours - len(os.listdir("/proc/self/fd"))) <= 1
        assert ours > 40
        scanned = {p.pid: p for p in procfs.scan_processes(("fd",))}
        assert abs(scanned[os.getpid()].fd_count - ours) <= 1
    finally:
        for fd in held:
            os.close(fd)
    tree = tmp_path / "proc"
    (tree / "7" / "fd").mkdir(parents=True)
    for number in ("0", "1", "5"):
        (tree / "7" / "fd" / number).symlink_to("/dev/null")
    assert list(ProcFS(str(tree)).scan_fields(("pid", "fd"))) == [(7, 3)]


def test_a_second_scan_of_the_same_fields_compiles_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import procfs.core._record as record
    import procfs.scan as scan

    fields = ("pid", "stat.comm", "statm.resident", "status.euid")
    first = [row for row in ProcFS("/proc").scan_fields(fields, default=None) if row[0] == 1]
    compiled: list[str] = []
    real = record.compile_function

    def counting(source: str, env: dict[str, Any], name: str) -> Any:
        compiled.append(name)
        return real(source, env, name)

    monkeypatch.setattr(record, "compile_function", counting)
    monkeypatch.setattr(scan, "compile_function", counting)
    again = [row for row in ProcFS("/proc").scan_fields(fields, default=None) if row[0] == 1]
    assert compiled == []
    assert [row[:2] for row in again] == [row[:2] for row in first]  # (pid 1's name)


@pytest.mark.parametrize("fields", [("pid",), ("pid", "stat.ppid"), ("pid", "stat.comm", "owner")])
def test_pids_reads_those_processes_in_that_order(fields: tuple[str, ...]) -> None:
    me, parent = os.getpid(), os.getppid()
    missing = 4194305  # above the largest pid_max (2**22)
    got = list(procfs.scan_fields(fields, pids=[me, missing, 1, parent]))
    assert [row[0] for row in got] == [me, 1, parent]
    if "stat.ppid" in fields:
        assert got[0][1] == parent
    if "owner" in fields:
        assert got[0][2].euid == os.geteuid()
