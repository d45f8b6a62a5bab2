"""Tests for procfs.core.statm: /proc/[pid]/statm."""

from __future__ import annotations

import os

import pytest

import procfs.core._parse
from procfs.core.statm import StatM, parse_statm
from procfs.core.status import parse_status
from procfs.errors import ParseError
from tests.conftest import sample


def test_dev_machine_samples() -> None:
    statm = parse_statm(sample("dev-machine/proc/8417/statm"))
    assert statm == StatM(size=648, resident=431, shared=403, text=19, lib=0, data=91, dt=0)
    assert parse_statm(sample("dev-machine/proc/1/statm")) == StatM(
        10997, 3584, 1605, 1330, 0, 9151, 0
    )
    # A kernel thread has no memory of its own.
    assert parse_statm(sample("dev-machine/proc/2/statm")) == StatM(0, 0, 0, 0, 0, 0, 0)


def test_prometheus_sample() -> None:
    statm = parse_statm(sample("prometheus-fixtures/proc/26231/statm"))
    assert (statm.size, statm.resident, statm.shared) == (149919, 12547, 2**64 - 1)
    assert (statm.text, statm.lib, statm.data, statm.dt) == (19864, 0, 14531, 0)


def test_in_bytes() -> None:
    statm = parse_statm(b"648 431 403 19 0 91 0\n")
    assert statm.in_bytes(4096) == StatM(
        648 * 4096, 431 * 4096, 403 * 4096, 19 * 4096, 0, 91 * 4096, 0
    )
    assert statm.to_dict() == {
        "size": 648,
        "resident": 431,
        "shared": 403,
        "text": 19,
        "lib": 0,
        "data": 91,
        "dt": 0,
    }


@pytest.mark.parametrize(
    "data", [b"", b"\n", b"1 2 3 4 5 6\n", b"1 2 3 4 5 6 7 8\n", b"1 2 3 x 5 6 7\n", b"\xff"]
)
def test_bad_input_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_statm(data, "/proc/1/statm")


def test_registered() -> None:
    assert procfs.core._parse.REGISTRY["[pid]/statm"] is parse_statm


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def test_live_agrees_with_status() -> None:
    # statm and status render the same counters; retry until no allocation
    # happened between the reads.
    page = os.sysconf("SC_PAGE_SIZE")
    for _ in range(20):
        before = _read("/proc/self/statm")
        status = parse_status(_read("/proc/self/status"))
        if _read("/proc/self/statm") == before:
            break
    else:
        pytest.fail("memory kept changing between reads")
    statm = parse_statm(before)
    assert statm.size * page == status.vmsize
    assert statm.resident * page == status.vmrss
    assert status.rssfile is not None and status.rssshmem is not None
    assert statm.shared * page == status.rssfile + status.rssshmem
    assert statm.text * page == status.vmexe
    assert (statm.lib, statm.dt) == (0, 0)  # unused since Linux 2.6
