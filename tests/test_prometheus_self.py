"""procfs.prometheus.process_self against prometheus_client's own ProcessCollector."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytest.importorskip("prometheus_client")

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client import ProcessCollector as StockCollector
from prometheus_client.parser import text_string_to_metric_families

from procfs.prometheus.process_self import ProcessCollector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

# How far two reads of the same process a moment apart may differ.
MOVEMENT = {
    "process_cpu_seconds": 0.5,
    "process_open_fds": 2,
    "process_resident_memory_bytes": 4 << 20,
    "process_virtual_memory_bytes": 16 << 20,
}


def scrape(make: Callable[[CollectorRegistry], object]) -> dict[str, tuple[str, str, float]]:
    registry = CollectorRegistry()
    make(registry)
    text = generate_latest(registry).decode()
    return {
        family.name: (family.type, family.documentation, family.samples[0].value)
        for family in text_string_to_metric_families(text)
    }


@pytest.mark.parametrize("pid", ["self", "child", "callable"])
def test_same_families_and_values_as_the_stock_collector(pid: str) -> None:
    code = "import time; print('ready', flush=True); time.sleep(60)"
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"  # settled
        target: object = {"self": "self", "child": child.pid}.get(pid, lambda: child.pid)
        stock_pid: Callable[[], object] = target if callable(target) else (lambda: target)
        ours = scrape(lambda r: ProcessCollector(target, registry=r))  # type: ignore[arg-type]
        stock = scrape(lambda r: StockCollector(pid=stock_pid, registry=r))  # type: ignore[arg-type]
    finally:
        child.kill()
        child.wait()
    assert ours.keys() == stock.keys()
    assert len(ours) == 6
    for name, (kind, help, value) in ours.items():
        stock_kind, stock_help, stock_value = stock[name]
        assert (kind, help) == (stock_kind, stock_help), name
        assert abs(value - stock_value) <= MOVEMENT.get(name, 0), name


def test_namespace_prefixes_every_name() -> None:
    ours = scrape(lambda r: ProcessCollector(namespace="app", registry=r))
    stock = scrape(lambda r: StockCollector(namespace="app", registry=r))
    assert ours.keys() == stock.keys()
    assert all(name.startswith("app_process_") for name in ours)


def test_a_process_that_is_gone_gives_nothing() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert ProcessCollector(child.pid).collect() == []


def test_values_come_from_the_process_itself() -> None:
    values = scrape(lambda r: ProcessCollector(registry=r))
    assert values["process_max_fds"][2] == os.sysconf("SC_OPEN_MAX")
    assert abs(values["process_open_fds"][2] - len(os.listdir("/proc/self/fd"))) <= 2


def test_bad_pid_is_refused() -> None:
    with pytest.raises(ValueError, match="pid must be"):
        ProcessCollector(-3)
    with pytest.raises(ValueError, match="pid must be"):
        ProcessCollector("me")
