"""Tests for procfs.core.stat: /proc/[pid]/stat."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import datetime, timezone
from typing import Any

import pytest

import procfs.core._parse
from procfs.core.procstate import ProcState
from procfs.core.stat import Stat, parse_stat, parse_task_stat
from procfs.errors import ParseError
from tests.conftest import PROMETHEUS_PROC, RUST_SAMPLES, corpus_path, sample

# --- samples with expected values worked out by hand ---


def test_rust_crate_doctest_sample() -> None:
    stat = parse_stat(sample("rust-procfs-samples/stat.cat-475071-doctest.txt"))
    assert (stat.pid, stat.comm, stat.state) == (475071, "cat", "R")
    assert (stat.ppid, stat.pgrp, stat.session, stat.tpgid) == (323893, 475071, 323893, 475071)
    # tty_nr 34826 = 0x880A: major 0x88 = 136 (pts), minor 0x0A = 10.
    assert stat.tty_nr == 34826
    assert stat.tty == (136, 10)
    assert stat.rsslim == 2**64 - 1
    assert stat.rss == 225
    assert stat.rss_bytes(4096) == 225 * 4096
    assert stat.processor == 4
    assert stat.exit_signal == 17
    assert stat.env_end == 140722831486955
    assert stat.exit_code == 0
    assert stat.extra == ()
    # boot 1692972606 + 201288208 ticks / 100 = 1694985488.08 s = 2023-09-17 21:18:08.08 UTC
    started = stat.starttime_datetime(1692972606, 100)
    assert started == datetime(2023, 9, 17, 21, 18, 8, 80000, tzinfo=timezone.utc)
    assert started.tzinfo is timezone.utc


def test_prometheus_vim() -> None:
    stat = parse_stat(sample("prometheus-fixtures/proc/26231/stat"))
    assert (stat.pid, stat.comm, stat.state, stat.ppid) == (26231, "vim", "R", 5392)
    assert (stat.pgrp, stat.session, stat.tty_nr, stat.tpgid) == (7446, 5392, 34835, 7446)
    assert stat.tty == (136, 19)
    assert (stat.flags, stat.minflt, stat.cminflt, stat.majflt, stat.cmajflt) == (
        4218880,
        32533,
        309516,
        26,
        82,
    )
    assert (stat.utime, stat.stime, stat.cutime, stat.cstime) == (1677, 44, 158, 99)
    assert (stat.priority, stat.nice, stat.num_threads, stat.itrealvalue) == (20, 0, 1, 0)
    assert (stat.starttime, stat.vsize, stat.rss) == (82375, 56274944, 1981)
    assert stat.sigcatch == 1870679807
    assert stat.delayacct_blkio_ticks == 31
    assert (stat.start_data, stat.end_data, stat.start_brk) == (8391624, 8481048, 16420864)
    assert stat.proc_state is ProcState.Running


def test_prometheus_comm_with_parentheses_and_trailing_line() -> None:
    # The fixture's comm is "(a b ) ( c d) " and the file has a stray second
    # line ("#!/bin/cat /proc/self/stat") after the stat line.
    stat = parse_stat(sample("prometheus-fixtures/proc/584/stat"))
    assert stat.pid == 1020
    assert stat.comm == "(a b ) ( c d) "
    assert stat.state == "R"
    assert stat.ppid == 28378
    assert stat.tty == (136, 26)  # 34842 = 0x881A
    assert stat.starttime == 10839175
    assert stat.processor == 5
    assert stat.exit_code == 0
    assert stat.extra == ()


def test_prometheus_extreme_values() -> None:
    stat = parse_stat(sample("prometheus-fixtures/proc/26232/stat"))
    assert stat.comm == "ata_sff"
    assert stat.tpgid == -1
    assert stat.cutime == -(2**63)
    assert stat.cstime == 2**63 - 1
    assert stat.nice == -20
    assert stat.sigignore == 2**31 - 1
    assert stat.wchan == 2**64 - 1
    assert stat.exit_signal == -(2**63)
    assert stat.processor == 2**63 - 1


def test_prometheus_thread() -> None:
    stat = parse_task_stat(sample("prometheus-fixtures/proc/27079/task/27080/stat"))
    assert (stat.pid, stat.comm, stat.state, stat.num_threads) == (27080, "pthread_load", "R", 5)
    assert stat.exit_signal == -1  # threads signal nobody
    assert stat.flags == 4194368
    assert stat.utime == 34136


def test_dev_machine_init_and_kernel_thread() -> None:
    init = parse_stat(sample("dev-machine/proc/1/stat"))
    assert (init.pid, init.comm, init.ppid, init.tpgid) == (1, "process_api", 0, -1)
    assert (init.priority, init.nice, init.num_threads) == (10, -10, 13)
    assert init.tty == (0, 0)
    assert (init.startcode, init.endcode) == (1, 1)  # hidden by the ptrace check
    kthread = parse_stat(sample("dev-machine/proc/2/stat"))
    assert (kthread.pid, kthread.comm, kthread.ppid) == (2, "kthreadd", 0)
    assert kthread.flags & 0x00200000  # PF_KTHREAD
    assert (kthread.vsize, kthread.rss) == (0, 0)
    assert kthread.sigignore == 2**31 - 1
    assert kthread.exit_code == 0


def test_linux_2_6_18_has_42_fields() -> None:
    stat = parse_stat(sample("handmade/stat.linux-2.6.18-42-fields.txt"))
    assert (stat.pid, stat.comm, stat.state, stat.ppid) == (3142, "bash", "S", 3140)
    assert stat.tty == (136, 0)  # 34816 = 0x8800: pts/0
    assert stat.wchan == 18446744071563434197
    assert (stat.exit_signal, stat.processor, stat.rt_priority, stat.policy) == (17, 1, 0, 0)
    assert stat.delayacct_blkio_ticks == 0
    assert stat.guest_time is None
    assert stat.cguest_time is None
    assert stat.start_data is None
    assert stat.exit_code is None
    assert stat.extra == ()


def test_linux_2_6_32_has_44_fields() -> None:
    stat = parse_stat(sample("handmade/stat.linux-2.6.32-44-fields.txt"))
    assert (stat.pid, stat.comm, stat.tpgid) == (2211, "sshd", -1)
    assert (stat.delayacct_blkio_ticks, stat.guest_time, stat.cguest_time) == (7, 0, 0)
    assert stat.start_data is None
    assert stat.arg_start is None
    assert stat.exit_code is None


def test_linux_3_4_has_47_fields() -> None:
    stat = parse_stat(sample("handmade/stat.linux-3.4-47-fields.txt"))
    assert (stat.pid, stat.comm, stat.num_threads) == (777, "rsyslogd", 4)
    assert (stat.start_data, stat.end_data, stat.start_brk) == (4212744, 4215960, 23490560)
    assert stat.arg_start is None
    assert stat.env_end is None
    assert stat.exit_code is None


def test_odd_comm_real_time_process() -> None:
    data = sample("handmade/stat.odd-comm-rt-pts300.txt")
    stat = parse_stat(data)
    # comm is everything between the first "(" and the last ")".
    assert stat.comm == "a) b)\n\udcff"
    assert os.fsencode(stat.comm) == b"a) b)\n\xff"
    assert stat.state == "t"
    assert stat.proc_state is ProcState.Tracing
    # pts/300: minor 300 = 0x12C is split: low byte 0x2C, the rest shifted by 12.
    assert stat.tty_nr == 0x2C | (136 << 8) | (0x100 << 12) == 1083436
    assert (stat.tty_major, stat.tty_minor) == (136, 300)
    assert (stat.cutime, stat.cstime, stat.priority, stat.nice) == (-5, -6, -51, 0)
    assert (stat.itrealvalue, stat.starttime) == (7, 12345)
    assert (stat.signal, stat.blocked, stat.sigignore, stat.sigcatch) == (256, 512, 4096, 16384)
    assert (stat.exit_signal, stat.processor, stat.rt_priority, stat.policy) == (-1, 1, 50, 1)
    assert (stat.delayacct_blkio_ticks, stat.guest_time, stat.cguest_time) == (9, 8, -7)
    assert (stat.arg_start, stat.arg_end) == (140000000001000, 140000000001010)
    assert (stat.env_start, stat.env_end) == (140000000001010, 140000000002000)
    assert stat.exit_code == 256
    # Fields are in proc(5) order, then extra.
    assert Stat._fields[:3] == ("pid", "comm", "state")
    assert Stat._fields[51:] == ("exit_code", "extra")
    assert stat.to_dict()["exit_code"] == 256


def test_fields_after_52_are_kept() -> None:
    line = sample("rust-procfs-samples/stat.cat-475071-doctest.txt").rstrip(b"\n")
    stat = parse_stat(line + b" 11 -12\n")
    assert stat.exit_code == 0
    assert stat.extra == (11, -12)


def test_to_dict_is_plain() -> None:
    stat = parse_stat(sample("handmade/stat.linux-2.6.18-42-fields.txt"))
    plain = stat.to_dict()
    assert plain["comm"] == "bash"
    assert plain["exit_code"] is None
    assert plain["extra"] == []
    assert list(plain) == list(Stat._fields)


def test_tty_major_with_high_bits() -> None:
    # The kernel prints tty_nr with %d: a device number with bit 31 set reads
    # negative. Major 4095 (0xFFF), minor 0xFFFFF.
    encoded = 0xFF | (0xFFF << 8) | (0xFFF00 << 12)
    as_printed = encoded - 2**32
    line = sample("rust-procfs-samples/stat.cat-475071-doctest.txt")
    stat = parse_stat(line.replace(b" 34826 ", b" %d " % as_printed, 1))
    assert stat.tty_nr == as_printed < 0
    assert stat.tty == (0xFFF, 0xFFFFF)


# --- bad input: only ParseError escapes ---


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n",
        b"1 (init) S 0",
        b"1 init S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
        b"x (init) S " + b"0 " * 49,
        b"1 (init) S " + b"0 " * 20 + b"zz " + b"0 " * 28,
        b"1 (init) SS " + b"0 " * 49,
        b"1 (init) S " + b"0 " * 33,
        b"1 (init) \xff " + b"0 " * 49,
        b"1 (init S " + b"0 " * 49,
        b"1 init) S " + b"0 " * 49,
        # a '-' that is not a sign: inside a number, alone, doubled, last
        b"1 (init) S " + b"0 " * 20 + b"1-2 " + b"0 " * 28,
        b"1 (init) S " + b"0 " * 20 + b"- " + b"0 " * 28,
        b"1 (init) S " + b"0 " * 20 + b"--2 " + b"0 " * 28,
        b"1 (init) S " + b"0 " * 48 + b"0-\n",
        b"1 (init) S - " + b"0 " * 48,
    ],
)
def test_bad_input_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_stat(data, "/proc/1/stat")
    assert info.value.path == "/proc/1/stat"


# --- the quick path (text kept, numbers split on first read) against the full parse ---


def _stored_text(stat: Stat) -> object:
    """What the record keeps of the line: its text (quick path) or None (full parse)."""
    stored: tuple[object, ...] = stat._values
    return stored[3]


def _line(numbers: list[bytes], end: bytes = b"\n") -> bytes:
    return b"42 (x) S " + b" ".join(numbers) + end


def _fresh_orders(data: bytes) -> list[Stat]:
    """Records of ``data`` read first by a head field, a tail field, or not yet read."""
    first_head, first_tail, unread = parse_stat(data), parse_stat(data), parse_stat(data)
    first_head.utime  # noqa: B018 (the first read splits the numbers)
    first_tail.exit_code  # noqa: B018
    return [first_head, first_tail, unread]


def test_quick_path_agrees_with_full_parse_on_every_live_process() -> None:
    # Without its newline a line takes the full parse: both must give the same record.
    checked = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            data = _read(f"/proc/{name}/stat")
        except OSError:
            continue
        full = parse_stat(data.rstrip(b"\n"))
        assert _stored_text(full) is None  # (the full parse stores no text)
        for quick in _fresh_orders(data):
            assert isinstance(_stored_text(quick), bytes)
            assert quick._astuple() == full._astuple()
            assert quick == full and hash(quick) == hash(full)
        checked += 1
    assert checked > 10


def test_a_blank_field_reads_as_the_full_parse_reads_it() -> None:
    # 49 numbers 1..49, one dropped and its space left: a blank field, which the
    # quick check (48 spaces, digits) lets through. The full parse joins the
    # blanks: 48 numbers, exit_code missing.
    numbers = [str(n).encode() for n in range(1, 50)]
    for dropped in (0, 5, 20, 21, 30, 48):
        kept = numbers[:dropped] + numbers[dropped + 1 :]
        blank = [*kept[:dropped], b"", *kept[dropped:]]
        data = _line(blank)
        expected = [int(n) for n in kept] + [None]
        for stat in _fresh_orders(data):
            assert [getattr(stat, field) for field in Stat._fields[3:-1]] == expected, dropped
            assert stat.exit_code is None and stat.extra == ()
        assert parse_stat(data)._astuple() == parse_stat(data.rstrip(b"\n"))._astuple()


def test_too_many_blank_fields_raise_when_read() -> None:
    # 30 numbers and 19 blanks: fewer than the 37 fields every kernel prints.
    at_end = _line([b"1"] * 30 + [b""] * 19)
    in_head = _line([b"1"] * 5 + [b""] * 19 + [b"1"] * 25)
    for data, fields in ((at_end, ("exit_code", "ppid", "rss")), (in_head, ("ppid", "exit_code"))):
        for field in fields:
            stat = parse_stat(data, "/proc/42/stat")
            assert (stat.pid, stat.comm, stat.state) == (42, "x", "S")
            if data is at_end and field != "exit_code":
                assert getattr(stat, field) == 1  # the blanks lie after rss: the head reads
                continue
            with pytest.raises(ParseError, match="at least 37 fields") as info:
                getattr(stat, field)
            assert info.value.path == "/proc/42/stat"
    with pytest.raises(ParseError, match="at least 37 fields"):
        parse_stat(at_end.rstrip(b"\n"))  # the full parse refuses the line at once


def test_signs_in_the_quick_path() -> None:
    numbers = [b"0"] * 49
    numbers[4] = b"-1"  # tpgid
    numbers[15] = b"-20"  # nice
    numbers[34] = b"-1"  # exit_signal
    stat = parse_stat(_line(numbers))
    assert isinstance(_stored_text(stat), bytes)
    assert (stat.tpgid, stat.nice, stat.exit_signal) == (-1, -20, -1)


@pytest.mark.parametrize(
    ("before", "after"),
    [(b") S ", b")0 S "), (b") S ", b") 0S "), (b") S ", b") S0 ")],
)
def test_digits_glued_to_the_state_take_the_full_parse(before: bytes, after: bytes) -> None:
    # Deleting the digits leaves the usual shape; the quick path must refuse
    # the line anyway (it once kept it, and reading a field raised ValueError).
    data = _line([b"1"] * 49).replace(before, after)
    assert _stored_text(parse_stat(_line([b"1"] * 49))) is not None
    with pytest.raises(ParseError):
        stat = parse_stat(data, "/proc/42/stat")
        _ = (stat.state, stat.ppid, stat.exit_code)


def test_fields_reader_reads_a_changed_line_again() -> None:
    # The reader keeps the last line of each path: a line that changed at the same
    # path, or a bad one, must be read anew (the values the parser gives, its errors).
    from procfs.core.stat import fields_reader

    names = ["pid", "utime", "stime", "starttime", "comm"]
    read = fields_reader(names)
    numbers = [str(n).encode() for n in range(1, 50)]
    first = _line(numbers)
    numbers[10] = b"999"  # utime
    second = _line(numbers)
    path = "/proc/42/stat"

    def parsed(data: bytes) -> tuple[object, ...]:
        stat = parse_stat(data)
        return tuple(getattr(stat, name) for name in names)

    assert parsed(first) != parsed(second)
    read.new_pass()  # type: ignore[attr-defined]
    read.new_pass()  # type: ignore[attr-defined]  # (it keeps lines from a second pass on)
    for data in (first, first, second, second, first, bytes(bytearray(first))):
        assert read(data, path) == parsed(data)
    assert read(second, "/proc/43/stat") == parsed(second)  # the same line at another path
    read(second, path)
    with pytest.raises((ParseError, ValueError)):
        read(second.replace(b" 999 ", b" x "), path)


def test_fields_reader_keeps_lines_from_the_second_pass_on() -> None:
    """A program that reads every process once keeps no line; a monitor's second pass
    keeps them for the third."""
    from procfs.core.stat import fields_reader

    read = fields_reader(["pid", "utime"])
    kept = read.__globals__["seen"]
    line = _line([str(n).encode() for n in range(1, 50)])
    stat = parse_stat(line)
    for number in (1, 2):
        read.new_pass()  # type: ignore[attr-defined]
        assert read(line, "/proc/7/stat") == (stat.pid, stat.utime)
        assert len(kept) == (0 if number == 1 else 1)
    assert kept["/proc/7/stat"][0] == line


def test_records_rebuild_the_same_way_from_both_paths() -> None:
    import copy
    import pickle

    data = _read("/proc/self/stat")
    for stat in [*_fresh_orders(data), parse_stat(data.rstrip(b"\n"))]:
        values: Any = stat._astuple()
        assert Stat(*values) == stat == Stat._make(values)
        assert Stat(**dict(zip(Stat._fields, values, strict=True))) == stat
        assert pickle.loads(pickle.dumps(stat)) == stat
        assert copy.copy(stat) == stat and copy.deepcopy(stat) == stat
        changed = stat.replace(utime=12345, exit_code=None)
        assert (changed.utime, changed.exit_code, changed.stime) == (12345, None, stat.stime)
        assert len(changed._astuple()) == len(Stat._fields)


def test_first_reads_from_many_threads_agree() -> None:
    data = _read("/proc/self/stat")
    expected = parse_stat(data.rstrip(b"\n"))._astuple()
    fields = Stat._fields
    records = [parse_stat(data) for _ in range(300)]
    errors: list[str] = []

    def read(order: int) -> None:
        names = fields[order::3] + fields[:order:3]
        for record in records:
            for name in names:
                if getattr(record, name) != expected[fields.index(name)]:
                    errors.append(name)

    workers = [threading.Thread(target=read, args=(k % 3,)) for k in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []


def test_too_few_fields_message() -> None:
    with pytest.raises(ParseError, match="at least 37 fields"):
        parse_stat(b"1 (init) S 0 0 0\n")


# --- registry ---


def test_registered_paths() -> None:
    registry = procfs.core._parse.REGISTRY
    assert registry["[pid]/stat"] is parse_stat
    assert registry["[pid]/task/[tid]/stat"] is parse_task_stat
    assert parse_task_stat.__proc_path__ == "[pid]/stat"


def test_import_does_not_pull_in_enum() -> None:
    code = "import sys, procfs.core.stat; print('enum' in sys.modules, 'typing' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]


# --- the live system, checked against the os module ---


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def test_live_self() -> None:
    stat = parse_stat(_read(f"/proc/{os.getpid()}/stat"))
    assert stat.pid == os.getpid()
    assert stat.ppid == os.getppid()
    assert stat.pgrp == os.getpgrp()
    assert stat.session == os.getsid(0)
    assert stat.state == "R"  # we are running while the kernel renders it
    assert stat.nice == os.getpriority(os.PRIO_PROCESS, 0)
    assert stat.num_threads == len(os.listdir("/proc/self/task"))
    assert stat.exit_code is not None  # this kernel (3.5+) prints all 52 fields
    assert stat.rt_priority == 0 and stat.policy == os.sched_getscheduler(0)
    assert stat.vsize > 0 and stat.rss > 0


def test_live_thread_count() -> None:
    before = parse_stat(_read("/proc/self/stat")).num_threads
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        during = parse_stat(_read("/proc/self/stat")).num_threads
    finally:
        release.set()
        worker.join()
    assert during == before + 1


def test_live_thread_stat_and_comm_roundtrip() -> None:
    # A thread renames itself with bytes that stress the comm rules, then
    # reads its own task stat.
    name = b" a)b (c\n\xff)"
    result: dict[str, object] = {}

    def run() -> None:
        with open("/proc/thread-self/comm", "wb") as handle:
            handle.write(name)
        result["tid"] = threading.get_native_id()
        result["stat"] = parse_task_stat(_read("/proc/thread-self/stat"))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    stat = result["stat"]
    assert isinstance(stat, Stat)
    assert stat.pid == result["tid"]
    assert os.fsencode(stat.comm) == name
    assert stat.exit_signal == -1


def test_live_start_time_matches_psutil() -> None:
    psutil = pytest.importorskip("psutil")
    btime = next(
        int(line.split()[1])
        for line in _read("/proc/stat").splitlines()
        if line.startswith(b"btime")
    )
    stat = parse_stat(_read("/proc/self/stat"))
    started = stat.starttime_datetime(btime, os.sysconf("SC_CLK_TCK"))
    assert abs(started.timestamp() - psutil.Process().create_time()) < 0.02


def test_live_controlling_terminal() -> None:
    termios = pytest.importorskip("termios")
    import fcntl

    leader, follower = os.openpty()

    def take_terminal() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(
        ["sleep", "30"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        start_new_session=True,
        preexec_fn=take_terminal,
    )
    try:
        stat = parse_stat(_read(f"/proc/{child.pid}/stat"))
        rdev = os.fstat(follower).st_rdev
        assert stat.tty == (os.major(rdev), os.minor(rdev))
        assert stat.session == child.pid
        assert stat.tpgid == child.pid  # its group is the terminal's foreground
    finally:
        child.kill()
        child.wait()
        os.close(leader)
        os.close(follower)


def test_corpus_stat_files_parse() -> None:
    root = corpus_path(PROMETHEUS_PROC)
    found = 0
    for path in sorted(root.glob("[0-9]*/stat")) + sorted(root.glob("[0-9]*/task/*/stat")):
        stat = parse_stat(path.read_bytes(), str(path))
        assert stat.pid > 0 and stat.state.isalpha()  # 26232/stat says pid 33: synthetic
        found += 1
    assert found >= 8
    rust = parse_stat((corpus_path(RUST_SAMPLES) / "stat.cat-475071-doctest.txt").read_bytes())
    assert rust.pid == 475071
