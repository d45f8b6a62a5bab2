"""/proc/net/softnet_stat: hand-made lines of each kernel's width, and the live file."""

from __future__ import annotations

import os

import pytest

import procfs
from procfs.core.net_softnet import SoftnetStat, parse_softnet_stat
from procfs.errors import ParseError


def test_newest_kernel_width() -> None:
    data = (
        b"0000cc2e 00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000000"
        b" 00000003 00000004 00000005 00000001 00000006 00000007\n"
    )
    assert parse_softnet_stat(data) == [
        SoftnetStat(
            cpu=1,
            processed=0xCC2E,
            dropped=1,
            time_squeezed=2,
            cpu_collision=0,
            received_rps=3,
            flow_limit_count=4,
            backlog_len=5,
            input_queue_len=6,
            process_queue_len=7,
        )
    ]


def test_older_kernels_count_lines() -> None:
    # Linux 3.11 to 5.9: 11 columns, no CPU number; the line's index is used.
    line = (
        b"00000010 00000000 00000001 00000000 00000000 00000000 00000000 00000000 00000000"
        b" 00000002 00000003\n"
    )
    rows = parse_softnet_stat(line + line)
    assert [row.cpu for row in rows] == [0, 1]
    assert rows[1].flow_limit_count == 3
    assert rows[1].backlog_len is None and rows[1].input_queue_len is None
    # before 2.6.x: 3 columns only
    assert parse_softnet_stat(b"00000001 00000002 00000003\n")[0].cpu_collision is None


@pytest.mark.parametrize("data", [b"0001 0002\n", b"zz 00 00\n"])
def test_bad_lines(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_softnet_stat(data)


def test_live() -> None:
    rows = procfs.softnet_stat()
    # one line per online CPU, numbered as the CPUs the kernel runs
    online = os.sched_getaffinity(0) | set(range(len(rows)))
    assert 1 <= len(rows) <= (os.cpu_count() or 1)
    assert {row.cpu for row in rows} <= online
    assert all(row.processed >= 0 and row.dropped >= 0 for row in rows)
    # the counters only grow
    again = {row.cpu: row.processed for row in procfs.softnet_stat()}
    assert all(again[row.cpu] >= row.processed for row in rows if row.cpu in again)
