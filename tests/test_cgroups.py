"""/proc/cgroups: a capture, odd rows, and the live file counted independently."""

from __future__ import annotations

import pytest

from procfs import CgroupController, ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.cgroups import parse_cgroups
from tests.conftest import sample


def test_registered() -> None:
    assert PARSERS["cgroups"] is parse_cgroups


def test_dev_machine_capture() -> None:
    rows = parse_cgroups(sample("dev-machine/cgroups.txt"))
    assert [row.subsys_name for row in rows] == [
        "cpuset",
        "cpu",
        "cpuacct",
        "blkio",
        "memory",
        "devices",
        "freezer",
        "net_cls",
        "perf_event",
        "net_prio",
        "hugetlb",
        "pids",
    ]
    assert rows[0] == CgroupController("cpuset", 3, 1, True)
    assert rows[4] == CgroupController("memory", 4, 41, True)
    assert rows[7].hierarchy == 0  # not mounted on a v1 hierarchy
    assert rows[11].to_dict() == {
        "subsys_name": "pids",
        "hierarchy": 8,
        "num_cgroups": 1,
        "enabled": True,
    }


def test_disabled_controller_and_header_only() -> None:
    data = b"#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t0\t57\t1\nmemory\t0\t57\t0\n"
    rows = parse_cgroups(data)
    assert rows == [CgroupController("cpu", 0, 57, True), CgroupController("memory", 0, 57, False)]
    assert parse_cgroups(b"#subsys_name\thierarchy\tnum_cgroups\tenabled\n") == []


@pytest.mark.parametrize(
    "data",
    [
        b"cpu\t0\t1\n",
        b"cpu\tx\t1\t1\n",
        b"cpu\t0\t1\t2\n",
        b"cpu\t0\t-\t1\n",
    ],
)
def test_bad_rows(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_cgroups(data)


def test_live_against_the_file() -> None:
    with open("/proc/cgroups") as f:
        rows = [line.split() for line in f if line.strip() and not line.startswith("#")]
    controllers = ProcFS().cgroups()
    assert len(controllers) == len(rows)
    assert [c.subsys_name for c in controllers] == [row[0] for row in rows]
    assert [c.enabled for c in controllers] == [row[3] == "1" for row in rows]
