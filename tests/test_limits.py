"""Tests for procfs.core.limits: /proc/[pid]/limits."""

from __future__ import annotations

import resource

import pytest

import procfs.core._parse
from procfs.core.limits import Limit, Limits, parse_limits
from procfs.errors import ParseError
from tests.conftest import PROMETHEUS_PROC, corpus_path, sample


def test_prometheus_sample() -> None:
    limits = parse_limits(sample("prometheus-fixtures/proc/26231/limits"))
    assert limits.max_cpu_time == Limit(None, None, "seconds")
    assert limits.max_file_size == Limit(None, None, "bytes")
    assert limits.max_stack_size == Limit(8388608, None, "bytes")
    assert limits.max_core_file_size == Limit(0, None, "bytes")
    assert limits.max_processes == Limit(62898, 62898, "processes")
    assert limits.max_open_files == Limit(2048, 4096, "files")
    # 20 digits fill the whole column: nothing separates them but one space.
    assert limits.max_locked_memory == Limit(18446744073708503040, 18446744073708503040, "bytes")
    assert limits.max_address_space == Limit(8589934592, None, "bytes")
    assert limits.max_file_locks == Limit(None, None, "locks")
    assert limits.max_pending_signals == Limit(62898, 62898, "signals")
    assert limits.max_msgqueue_size == Limit(819200, 819200, "bytes")
    assert limits.max_nice_priority == Limit(0, 0, None)
    assert limits.max_realtime_priority == Limit(0, 0, None)
    assert limits.max_realtime_timeout == Limit(None, None, "us")
    assert limits.extra == {}


def test_dev_machine_sample() -> None:
    # This kernel pads the header and every unit to 10 characters.
    limits = parse_limits(sample("dev-machine/proc/1/limits"))
    assert limits.max_open_files == Limit(32768, 32768, "files")
    assert limits.max_locked_memory == Limit(None, None, "bytes")
    assert limits.max_processes == Limit(96365, 96365, "processes")
    assert limits.max_nice_priority == Limit(0, 0, None)
    assert limits.max_realtime_timeout == Limit(None, None, "us")
    assert all(getattr(limits, field) is not None for field in Limits._fields[:-1])


def test_linux_2_6_24_and_unknown_row() -> None:
    limits = parse_limits(sample("handmade/limits.linux-2.6.24.txt"))
    assert limits.max_stack_size == Limit(10485760, None, "bytes")
    assert limits.max_locked_memory == Limit(32768, 32768, "bytes")
    assert limits.max_realtime_priority == Limit(0, 0, None)
    assert limits.max_realtime_timeout is None  # the row came in 2.6.25
    assert limits.extra == {"Max frobnication level": Limit(3, None, "frobs")}
    plain = limits.to_dict()
    assert plain["max_realtime_timeout"] is None
    assert plain["extra"] == {"Max frobnication level": {"soft": 3, "hard": None, "unit": "frobs"}}
    assert list(plain) == list(Limits._fields)


def test_without_header() -> None:
    limits = parse_limits(
        b"Max open files            1024                 4096                 files\n"
    )
    assert limits.max_open_files == Limit(1024, 4096, "files")
    assert limits.max_cpu_time is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n",
        b"Limit                     Soft Limit           Hard Limit           Units     \n",
        b"Max open files 1024\n",
        b"Max open files            lots                 4096                 files\n",
        b"Max open files            1024                 many                 files\n",
        b"1024 4096 files\n",
        b"Max nice priority         0\n",
    ],
)
def test_bad_input_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_limits(data, "/proc/1/limits")


@pytest.mark.parametrize(
    "data",
    [
        sample("prometheus-fixtures/proc/26231/limits"),
        sample("dev-machine/proc/1/limits"),
        sample("handmade/limits.linux-2.6.24.txt"),
        b"Max open files            1024                 4096                 files\n",
        b"Limit                     Soft Limit           Hard Limit           Units     \n"
        b"Max open files            1024                 4096                 files\n",
        b"Limit                     Soft Limit           Hard Limit           Units     \n"
        b"Max open files            lots                 4096                 files\n",
        b"Limit                     Soft Limit           Hard Limit           Units     \n",
    ],
)
@pytest.mark.parametrize(
    "names", [["max_open_files"], ["max_realtime_timeout", "max_cpu_time"], ["extra"]]
)
def test_fields_reader_agrees_with_the_parser(data: bytes, names: list[str]) -> None:
    from procfs.core.limits import fields_reader

    read = fields_reader(names)
    try:
        limits = parse_limits(data, "/proc/1/limits")
    except ParseError:
        try:
            read(data, "/proc/1/limits")
        except ParseError:
            return
        # rows not asked for are not checked: the bad row of these samples is open files
        assert "max_open_files" not in names and "extra" not in names
        return
    assert read(data, "/proc/1/limits") == tuple(getattr(limits, name) for name in names)


def test_registered() -> None:
    assert procfs.core._parse.REGISTRY["[pid]/limits"] is parse_limits


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _expected(resource_id: int) -> tuple[int | None, int | None]:
    soft, hard = resource.getrlimit(resource_id)
    infinity = resource.RLIM_INFINITY
    return (None if soft == infinity else soft, None if hard == infinity else hard)


ROWS = {
    "max_cpu_time": resource.RLIMIT_CPU,
    "max_file_size": resource.RLIMIT_FSIZE,
    "max_data_size": resource.RLIMIT_DATA,
    "max_stack_size": resource.RLIMIT_STACK,
    "max_core_file_size": resource.RLIMIT_CORE,
    "max_resident_set": resource.RLIMIT_RSS,
    "max_processes": resource.RLIMIT_NPROC,
    "max_open_files": resource.RLIMIT_NOFILE,
    "max_locked_memory": resource.RLIMIT_MEMLOCK,
    "max_address_space": resource.RLIMIT_AS,
    "max_file_locks": getattr(resource, "RLIMIT_LOCKS", 10),  # Python lacks it; 10 on Linux
    "max_pending_signals": resource.RLIMIT_SIGPENDING,
    "max_msgqueue_size": resource.RLIMIT_MSGQUEUE,
    "max_nice_priority": resource.RLIMIT_NICE,
    "max_realtime_priority": resource.RLIMIT_RTPRIO,
    "max_realtime_timeout": resource.RLIMIT_RTTIME,
}


def test_live_matches_getrlimit() -> None:
    limits = parse_limits(_read("/proc/self/limits"))
    for field, resource_id in ROWS.items():
        limit = getattr(limits, field)
        assert isinstance(limit, Limit), field
        assert (limit.soft, limit.hard) == _expected(resource_id), field
    assert limits.extra == {}


def test_live_changed_limit() -> None:
    old = resource.getrlimit(resource.RLIMIT_CORE)
    soft = 4096 if old[1] == resource.RLIM_INFINITY else min(4096, old[1])
    resource.setrlimit(resource.RLIMIT_CORE, (soft, old[1]))
    try:
        limits = parse_limits(_read("/proc/self/limits"))
    finally:
        resource.setrlimit(resource.RLIMIT_CORE, old)
    assert limits.max_core_file_size is not None
    assert limits.max_core_file_size.soft == soft
    assert limits.max_core_file_size.unit == "bytes"


def test_corpus_limits_files_parse() -> None:
    root = corpus_path(PROMETHEUS_PROC)
    found = 0
    for path in sorted(root.glob("[0-9]*/limits")):
        limits = parse_limits(path.read_bytes(), str(path))
        assert limits.max_open_files is not None
        found += 1
    assert found >= 2
    other = parse_limits(sample("prometheus-fixtures/proc/26232/limits"))
    assert other.max_open_files == Limit(1024, 4096, "files")
    assert other.max_locked_memory == Limit(65536, 65536, "bytes")
