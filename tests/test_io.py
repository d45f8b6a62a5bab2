"""Tests for procfs.core.io: /proc/[pid]/io."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

import pytest

import procfs.core._parse
from procfs.core.io import Io, parse_io
from procfs.errors import ParseError
from tests.conftest import sample


def test_prometheus_sample() -> None:
    io = parse_io(sample("prometheus-fixtures/proc/26231/io"))
    assert io == Io(
        rchar=750339,
        wchar=818609,
        syscr=7405,
        syscw=5245,
        read_bytes=1024,
        write_bytes=2048,
        cancelled_write_bytes=-1024,
        extra={},
    )


def test_dev_machine_sample() -> None:
    io = parse_io(sample("dev-machine/proc/8417/io"))
    assert (io.rchar, io.wchar, io.syscr, io.syscw) == (26634, 1726, 44, 3)
    assert (io.read_bytes, io.write_bytes, io.cancelled_write_bytes) == (24576, 12288, 0)
    assert io.extra == {}


def test_kernel_without_task_xacct_and_unknown_key() -> None:
    io = parse_io(sample("handmade/io.no-task-xacct.txt"))
    assert (io.rchar, io.wchar, io.syscr, io.syscw) == (None, None, None, None)
    assert (io.read_bytes, io.write_bytes, io.cancelled_write_bytes) == (8192, 4096, 0)
    assert io.extra == {"future_counter": 7}
    assert io.to_dict()["extra"] == {"future_counter": 7}


@pytest.mark.parametrize(
    "data", [b"", b"\n", b"rchar 12\n", b"rchar: twelve\n", b"rchar: 1 kB\n", b"\xff\n"]
)
def test_bad_input_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_io(data, "/proc/1/io")


_USUAL = (
    b"rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: 6\n"
    b"cancelled_write_bytes: 7\n"
)


@pytest.mark.parametrize(
    "data",
    [
        _USUAL,
        _USUAL.replace(b"rchar", b"rc1har"),  # a digit in a key
        _USUAL.replace(b"wchar: 2", b"wchar: "),  # an empty value
        _USUAL.replace(b": 3", b":  3"),
        _USUAL.replace(b"syscw: 4\n", b""),
        _USUAL.replace(b"read_bytes", b"write_bytes", 1),
        _USUAL + b"extra: 8\n",
    ],
)
def test_the_quick_reading_agrees_with_the_line_by_line_one(data: bytes) -> None:
    from procfs.core.io import _parse_lines

    def outcome(parse: Callable[[bytes], Io]) -> object:
        try:
            return parse(data)
        except ParseError as exc:
            return str(exc)

    raw = parse_io.__wrapped__  # type: ignore[attr-defined]
    assert outcome(raw) == outcome(_parse_lines)  # (both without the path)


def test_registered() -> None:
    assert procfs.core._parse.REGISTRY["[pid]/io"] is parse_io


def _io() -> Io:
    fd = os.open("/proc/self/io", os.O_RDONLY)
    try:
        return parse_io(os.read(fd, 4096))
    finally:
        os.close(fd)


def test_live_counters_grow() -> None:
    payload = b"x" * 100_000
    with tempfile.TemporaryFile() as handle:
        handle.write(payload)
        handle.flush()
        before = _io()
        handle.seek(0)
        fd = handle.fileno()
        read = 0
        while chunk := os.read(fd, 65536):
            read += len(chunk)
        after = _io()
    assert read == len(payload)
    assert before.rchar is not None and after.rchar is not None
    assert after.rchar - before.rchar >= len(payload)
    assert before.syscr is not None and after.syscr is not None
    assert after.syscr - before.syscr >= 3  # two reads with data, one at EOF

    null = os.open(os.devnull, os.O_WRONLY)
    try:
        before = _io()
        os.write(null, payload)
        after = _io()
    finally:
        os.close(null)
    assert before.wchar is not None and after.wchar is not None
    assert after.wchar - before.wchar >= len(payload)
    assert before.syscw is not None and after.syscw is not None
    assert after.syscw - before.syscw >= 1
