"""/proc/schedstat: formats 15, 16 and 17, an offline CPU, and the live file."""

from __future__ import annotations

import os

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.schedstat import LoadBalanceStats, SchedCpu, parse_kernel_schedstat
from tests.conftest import SAMPLES, sample

# The hand-made samples number the load-balancing counters so that each one
# says where it belongs: 1xx idle, 2xx busy, 3xx newly idle (xx: position in
# the group, 1-based); the version-17 imbalance counters are 10x1..10x4 more.
_IDLE = LoadBalanceStats(101, 102, 103, 104, None, None, None, None, 105, 106, 107, 108)
_BUSY = LoadBalanceStats(201, 202, 203, 204, None, None, None, None, 205, 206, 207, 208)
_NEWLY = LoadBalanceStats(301, 302, 303, 304, None, None, None, None, 305, 306, 307, 308)


def test_registered() -> None:
    assert PARSERS["schedstat"] is parse_kernel_schedstat


def test_prometheus_fixture_version_15() -> None:
    stats = ProcFS(str(SAMPLES / "prometheus-fixtures" / "proc")).kernel_schedstat()
    assert (stats.version, stats.timestamp) == (15, 15819019232)
    assert sorted(stats.cpus) == [0, 1]
    cpu0 = stats.cpus[0]
    assert cpu0.yld_count == 498494191 and cpu0.array_exp == 0
    assert (cpu0.sched_count, cpu0.sched_goidle) == (3533438552, 2553969831)
    assert (cpu0.ttwu_count, cpu0.ttwu_local) == (3853684107, 2465731542)
    assert (cpu0.rq_cpu_time, cpu0.run_delay, cpu0.pcount) == (
        2045936778163039,
        343796328169361,
        4767485306,
    )
    (domain,) = cpu0.domains
    assert (domain.level, domain.name, domain.cpumask, domain.cpus) == (
        0,
        None,
        "00000000,00000003",
        [0, 1],
    )
    # version 15: the idle group comes first, then busy, then newly idle
    assert domain.idle.lb_count == 212499247
    assert domain.idle.lb_imbalance == 1860405436
    assert domain.busy.lb_count == 25368550
    assert domain.newly_idle.lb_nobusyg == 1885836538
    assert (domain.alb_count, domain.alb_failed, domain.alb_pushed) == (2545, 12, 2533)
    assert (domain.sbe_count, domain.sbf_pushed) == (0, 0)
    assert (domain.ttwu_wake_remote, domain.ttwu_move_affine, domain.ttwu_move_balance) == (
        1387952561,
        21076581,
        0,
    )


def test_version_15_with_an_offline_cpu() -> None:
    stats = parse_kernel_schedstat(sample("handmade/proc/schedstat"))
    assert stats.version == 15
    assert sorted(stats.cpus) == [0, 2, 3]  # CPU 1 is offline
    cpu0 = stats.cpus[0]
    assert cpu0 == SchedCpu(
        0, 0, 0, 1862315, 681425, 1003516, 624357, 111395419052, 18616404547, 1180731, cpu0.domains
    )
    # CPU 0's SMT sibling is offline: only the package-level domain is left
    (package,) = cpu0.domains
    assert (package.level, package.cpus) == (0, [0, 2, 3])
    assert (package.idle, package.busy, package.newly_idle) == (_IDLE, _BUSY, _NEWLY)
    smt, package2 = stats.cpus[2].domains
    assert (smt.level, smt.cpumask, smt.cpus) == (0, "c", [2, 3])
    assert smt.idle.lb_count == 1101 and smt.busy.lb_count == 1201
    assert smt.newly_idle.lb_nobusyg == 1308
    assert (package2.level, package2.cpus) == (1, [0, 2, 3])
    assert stats.cpus[2].yld_count == 7
    assert stats.extra == {}


def test_version_16_busy_group_first() -> None:
    stats = parse_kernel_schedstat(sample("handmade/schedstat.v16-two-cpus.txt"))
    assert stats.version == 16
    (domain,) = stats.cpus[1].domains
    # the same counters as the version-15 sample, printed busy group first
    assert (domain.idle, domain.busy, domain.newly_idle) == (_IDLE, _BUSY, _NEWLY)
    assert domain.cpus == [0, 1]
    assert (domain.ttwu_wake_remote, domain.ttwu_move_balance) == (501, 503)


def test_version_17_domain_names_and_four_imbalances() -> None:
    stats = parse_kernel_schedstat(sample("handmade/schedstat.v17-domain-names.txt"))
    assert (stats.version, stats.timestamp) == (17, 4295347364)
    smt, mc = stats.cpus[0].domains
    assert (smt.name, smt.cpumask, smt.cpus) == ("SMT", "00000003", [0, 1])
    assert (mc.name, mc.level, mc.cpus) == ("MC", 1, [0, 1, 2, 3])
    assert smt.busy == LoadBalanceStats(
        201, 202, 203, None, 2041, 2042, 2043, 2044, 205, 206, 207, 208
    )
    assert smt.idle == LoadBalanceStats(
        101, 102, 103, None, 1041, 1042, 1043, 1044, 105, 106, 107, 108
    )
    assert smt.newly_idle.lb_imbalance_misfit == 3044
    assert (smt.alb_count, smt.alb_pushed) == (401, 403)
    plain = stats.to_dict()
    assert plain["cpus"]["1"]["domains"][0]["name"] == "SMT"
    assert plain["cpus"]["1"]["domains"][0]["busy"]["lb_imbalance"] is None


def test_unknown_lines_are_kept() -> None:
    stats = parse_kernel_schedstat(b"version 15\ntimestamp 5\nfuture 1 2 3\n")
    assert stats.cpus == {}
    assert stats.extra == {"future": "1 2 3"}


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"timestamp 5\nversion 15\n",
        b"version 14\ntimestamp 5\n",
        b"version 15\n",
        b"version 15\ntimestamp 5\ntimestamp 6\n",
        b"version 15\ntimestamp 5\ncpu0 1 2 3\n",
        b"version 15\ntimestamp 5\ndomain0 3 " + b"0 " * 36 + b"\n",
        b"version 15\ntimestamp 5\ncpu0 0 0 0 0 0 0 0 0 0\ndomain0 3 " + b"0 " * 45 + b"\n",
        b"version 17\ntimestamp 5\ncpu0 0 0 0 0 0 0 0 0 0\ndomain0 3 " + b"0 " * 36 + b"\n",
        b"version 15\ntimestamp 5\ncpu0 0 0 0 0 0 0 0 0 0\ndomain0 xyz " + b"0 " * 36 + b"\n",
        b"version 15\ntimestamp 5\ncpu0 0 0 0 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_kernel_schedstat(data)


def test_live() -> None:
    if not os.path.exists("/proc/schedstat"):
        pytest.skip("/proc/schedstat missing (CONFIG_SCHEDSTATS off)")
    with open("/proc/schedstat", "rb") as f:
        raw = f.read().split(b"\n")
    first = ProcFS().kernel_schedstat()
    second = ProcFS().kernel_schedstat()
    # the kernel doc's first line: "version <N>"; then "timestamp <jiffies>"
    word, number = raw[0].split()
    assert word == b"version" and int(number) == first.version
    assert raw[1].split()[0] == b"timestamp"
    assert len(first.cpus) == os.cpu_count()
    assert sum(1 for line in raw if line[:3] == b"cpu") == len(first.cpus)
    assert second.timestamp >= first.timestamp
    for cpu, before in first.cpus.items():
        after = second.cpus[cpu]
        assert after.sched_count >= before.sched_count
        assert after.rq_cpu_time >= before.rq_cpu_time
        for domain in before.domains:
            assert cpu in domain.cpus
