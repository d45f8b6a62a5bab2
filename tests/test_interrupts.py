"""/proc/interrupts and /proc/softirqs: samples, offline CPUs, live counters vs /proc/stat."""

from __future__ import annotations

import os
import time

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.interrupts import Interrupt, parse_interrupts, parse_softirqs
from tests.conftest import SAMPLES
from tests.helpers import wait_for

_HANDMADE = ProcFS(str(SAMPLES / "handmade" / "proc"))
_PROMETHEUS = ProcFS(str(SAMPLES / "prometheus-fixtures" / "proc"))


def test_registered() -> None:
    assert PARSERS["interrupts"] is parse_interrupts
    assert PARSERS["softirqs"] is parse_softirqs


def test_arm64_with_an_offline_cpu() -> None:
    table = _HANDMADE.interrupts()
    assert table.cpus == (0, 1, 3)  # CPU 2 is offline: columns keep the CPU numbers
    timer = table.entries["11"]
    assert timer == Interrupt(
        "11", {0: 123456, 1: 98765, 3: 54321}, 276542, "GICv3  30 Level     arch_timer"
    )
    assert timer.irq == 11
    ipi = table.get("IPI0")
    assert ipi is not None
    assert ipi.irq is None
    assert ipi.total == 5012 + 4870 + 4011
    assert ipi.description == "Rescheduling interrupts"
    assert table.entries["IPI3"].description == "CPU stop (for crash dump) interrupts"
    assert table.entries["52"].per_cpu == {0: 0, 1: 7, 3: 0}
    # "Err" holds one system-wide count
    assert table.entries["Err"] == Interrupt("Err", {}, 0, "")
    assert list(table.entries)[:4] == ["11", "14", "47", "52"]


def test_prometheus_fixture() -> None:
    table = _PROMETHEUS.interrupts()
    assert table.cpus == (0, 1, 2, 3)
    assert table.entries["0"] == Interrupt(
        "0", {0: 49, 1: 0, 2: 0, 3: 0}, 49, "IO-APIC   2-edge      timer"
    )
    assert table.entries["29"].description == "PCI-MSI 512000-edge      ahci[0000:00:1f.2]"
    assert table.entries["LOC"].per_cpu == {0: 10196, 1: 7429, 2: 8542, 3: 8229}
    assert table.entries["LOC"].total == 34396
    assert table.entries["ERR"].per_cpu == {} and table.entries["MIS"].total == 0
    # rows after a blank line are still read
    assert table.entries["PIW"].description == "Posted-interrupt wakeup event"
    assert len(table.entries) == 28 + 16 + 3  # irq lines, x86 rows to MIS, posted-interrupt rows
    assert table.to_dict()["entries"]["LOC"]["per_cpu"] == {
        "0": 10196,
        "1": 7429,
        "2": 8542,
        "3": 8229,
    }


def test_dev_machine_capture() -> None:
    table = ProcFS(str(SAMPLES / "dev-machine" / "proc")).interrupts()
    assert table.cpus == (0, 1)
    assert table.entries["26"].description == "IO-APIC   4-edge      ttyS0"
    assert table.entries["28"].description.startswith("PCI-MSIX-0000:00:01.0")
    assert table.entries["ERR"].per_cpu == {}


def test_system_wide_rows_on_one_cpu() -> None:
    table = parse_interrupts(b"           CPU0\n  0:  7   IO-APIC   2-edge  timer\nERR:  3\n")
    assert table.entries["0"].per_cpu == {0: 7}
    assert table.entries["ERR"] == Interrupt("ERR", {}, 3, "")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"  0: 1 2\n",
        b"           CPU0 CPU0\n  0: 1 2\n",
        b"           CPU0 CPU1\n  0 1 2\n",
        b"           CPU0 CPU1\n  0: x y\n",
        b"           CPU0 CPU1\nLOC: 1 2\nLOC: 3 4\n",
    ],
)
def test_bad_interrupts(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_interrupts(data)


def test_softirqs_old_kernel_block_iopoll() -> None:
    soft = _HANDMADE.softirqs()
    assert soft.cpus == (0, 1, 2, 3)
    assert soft.timer == {0: 481726, 1: 399211, 2: 377540, 3: 364019}
    assert soft.irq_poll == {0: 0, 1: 0, 2: 0, 3: 0}  # BLOCK_IOPOLL, renamed IRQ_POLL in 4.5
    assert soft.extra == {}
    totals = soft.totals()
    assert totals["TIMER"] == 1622496
    assert totals["NET_RX"] == 44021 + 11033 + 9876 + 7654
    assert totals["RCU"] == 150432 + 143210 + 140001 + 139876


def test_softirqs_prometheus_fixture() -> None:
    soft = _PROMETHEUS.softirqs()
    assert soft.cpus == (0, 1)
    assert soft.hi == {0: 3, 1: 0}
    assert soft.sched == {0: 2278692, 1: 815209}
    assert soft.totals()["TIMER"] == 2776180 + 247490


def test_softirqs_unknown_rows_are_kept() -> None:
    soft = parse_softirqs(b"        CPU0  CPU1\n  HI: 1 2\n  NEW_ONE: 3 4\n")
    assert soft.hi == {0: 1, 1: 2}
    assert soft.timer is None
    assert soft.extra == {"NEW_ONE": {0: 3, 1: 4}}
    assert soft.totals() == {"HI": 3, "NEW_ONE": 7}


@pytest.mark.parametrize(
    "data",
    [
        b"        CPU0  CPU1\n  HI: 1\n",
        b"        CPU0  CPU1\n  HI: 1 2 3\n",
        b"        CPU0  CPU1\n  HI: 1 2\n  HI: 1 2\n",
        b"        CPU0  CPU1\n  IRQ_POLL: 1 2\n  BLOCK_IOPOLL: 1 2\n",
        b"        CPUa\n  HI: 1\n",
    ],
)
def test_bad_softirqs(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_softirqs(data)


# -- live ----------------------------------------------------------------------


def _stat_line(name: bytes) -> list[int]:
    with open("/proc/stat", "rb") as f:
        for line in f:
            fields = line.split()
            if fields and fields[0] == name:
                return [int(field) for field in fields[1:]]
    raise AssertionError(f"no {name!r} line in /proc/stat")


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_live_interrupts() -> None:
    before = _stat_line(b"intr")
    table = ProcFS().interrupts()
    after = _stat_line(b"intr")
    online = os.cpu_count()
    assert len(table.cpus) == online
    # each numbered line's total lies between two reads of its /proc/stat count
    checked = 0
    for row in table.entries.values():
        irq = row.irq
        if irq is None or irq + 1 >= len(after):
            continue
        assert before[irq + 1] <= row.total <= after[irq + 1], row
        assert sum(row.per_cpu.values()) == row.total
        checked += 1
    assert checked > 0
    # a timer interrupt count keeps going up while a CPU works
    name = "LOC" if "LOC" in table.entries else None
    if name is None:  # architectures without LOC: the busiest numbered line
        name = max(
            (r for r in table.entries.values() if r.irq is not None), key=lambda r: r.total
        ).name

    def moved() -> bool:
        _spin(0.05)
        return ProcFS().interrupts().entries[name].total > table.entries[name].total

    wait_for(moved, timeout=5.0)  # (a tickless VM may take longer than a fixed 0.2 s)


def _possible_cpus() -> int:
    with open("/sys/devices/system/cpu/possible") as f:
        count = 0
        for part in f.read().strip().split(","):
            first, _, last = part.partition("-")
            count += int(last or first) - int(first) + 1
        return count


def test_live_softirqs() -> None:
    before = _stat_line(b"softirq")
    soft = ProcFS().softirqs()
    after = _stat_line(b"softirq")
    try:
        assert len(soft.cpus) == _possible_cpus()  # softirqs lists every possible CPU
    except OSError:
        assert len(soft.cpus) >= (os.cpu_count() or 1)
    # /proc/stat's softirq line: the total, then one count per softirq in the kernel's order
    names = [
        "HI",
        "TIMER",
        "NET_TX",
        "NET_RX",
        "BLOCK",
        "IRQ_POLL",
        "TASKLET",
        "SCHED",
        "HRTIMER",
        "RCU",
    ]
    totals = soft.totals()
    for index, name in enumerate(names, 1):
        if name in totals and index < len(after):
            assert before[index] <= totals[name] <= after[index], name
    assert soft.timer is not None
    # The counters are live: some softirq runs while we spin (not always the
    # timer's within a fixed 0.2 s on a tickless VM, hence any of them).
    total_before = sum(soft.totals().values())

    def moved() -> bool:
        _spin(0.05)
        now = ProcFS().softirqs()
        return sum(now.totals().values()) > total_before

    wait_for(moved, timeout=5.0)
