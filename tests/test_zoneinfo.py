"""/proc/zoneinfo: a 6.18 capture, the prometheus fixture, a 2.6.32 layout, the live system."""

from __future__ import annotations

import os

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.zoneinfo import ZonePageset, parse_zoneinfo
from tests.conftest import SAMPLES, sample
from tests.helpers import vmstat_free_pages


def test_registered() -> None:
    assert PARSERS["zoneinfo"] is parse_zoneinfo


def test_dev_machine_capture() -> None:
    zones = ProcFS(str(SAMPLES / "dev-machine" / "proc")).zoneinfo()
    assert [(z.node, z.zone) for z in zones] == [
        (0, "DMA"),
        (0, "DMA32"),
        (0, "Normal"),
        (0, "Movable"),
        (0, "Device"),
    ]
    dma = zones[0]
    assert (dma.free, dma.boost, dma.min, dma.low, dma.high, dma.promo) == (
        3840,
        0,
        58,
        72,
        86,
        100,
    )
    assert (dma.spanned, dma.present, dma.managed, dma.cma) == (4095, 3998, 3840, 0)
    assert dma.protection == (0, 3019, 4299, 4299, 4299)
    assert dma.stats["nr_free_pages"] == 3840
    assert dma.stats["nr_free_pages_blocks"] == 3584
    assert len(dma.stats) == 17
    # the per-node block comes with the node's first zone only
    assert dma.node_stats is not None
    assert dma.node_stats["nr_inactive_anon"] == 146762
    assert dma.node_stats["nr_kernel_file_pages"] == 0
    assert all(z.node_stats is None for z in zones[1:])
    assert dma.pagesets == (
        ZonePageset(0, 0, 0, 1, 36, 240, 4),
        ZonePageset(1, 0, 0, 1, 36, 240, 4),
    )
    assert (dma.node_unreclaimable, dma.start_pfn, dma.extra) == (False, 1, {})
    assert zones[1].start_pfn == 4096
    movable = zones[3]
    # an empty zone stops after its protection line
    assert (movable.free, movable.present, movable.managed) == (0, 0, 0)
    assert (movable.pagesets, movable.stats, movable.start_pfn) == ((), {}, None)
    assert movable.node_unreclaimable is None
    plain = dma.to_dict()
    assert plain["pagesets"][1] == {
        "cpu": 1,
        "count": 0,
        "high": 0,
        "batch": 1,
        "high_min": 36,
        "high_max": 240,
        "vm_stats_threshold": 4,
        "extra": {},
    }
    assert plain["protection"] == [0, 3019, 4299, 4299, 4299]


def test_prometheus_fixture() -> None:
    zones = ProcFS(str(SAMPLES / "prometheus-fixtures" / "proc")).zoneinfo()
    assert [z.zone for z in zones] == ["DMA", "DMA32", "Normal", "Movable", "Device"]
    dma = zones[0]
    assert (dma.free, dma.min, dma.low, dma.high) == (3952, 33, 41, 49)
    assert (dma.spanned, dma.present, dma.managed) == (4095, 3975, 3956)
    assert dma.boost is None and dma.promo is None and dma.cma is None  # an older kernel
    assert dma.protection == (0, 2877, 7826, 7826, 7826)
    assert dma.stats["numa_hit"] == 1
    assert dma.stats["nr_kernel_stack"] == 0
    assert dma.node_stats is not None and dma.node_stats["nr_inactive_anon"] == 230981
    assert len(dma.pagesets) == 8
    assert dma.pagesets[7] == ZonePageset(7, 0, 0, 1, None, None, 8)
    assert zones[1].pagesets[0].vm_stats_threshold == 48
    assert zones[2].start_pfn == 1048576


def test_linux_2_6_32_layout() -> None:
    dma, dma32 = parse_zoneinfo(sample("handmade/zoneinfo.linux-2.6.32-two-cpus.txt"))
    assert (dma.free, dma.min, dma.low, dma.high, dma.spanned, dma.present) == (
        3977,
        8,
        10,
        12,
        4080,
        3920,
    )
    assert dma.managed is None and dma.boost is None
    assert dma.stats["scanned"] == 0  # a counter among the watermarks, kept with the counters
    assert dma.stats["nr_free_pages"] == 3977
    assert dma.stats["numa_local"] == 1
    assert dma.protection == (0, 3512, 3768, 3768)
    assert dma.node_stats is None  # no per-node block before 4.8
    assert dma.node_unreclaimable is None
    assert dma.start_pfn == 16
    assert dma.extra == {"all_unreclaimable": 0, "prev_priority": 12, "inactive_ratio": 1}
    assert dma32.pagesets == (
        ZonePageset(0, 151, 186, 31, None, None, 30),
        ZonePageset(1, 62, 186, 31, None, None, 30),
    )
    assert dma32.extra["inactive_ratio"] == 5
    assert dma32.stats["nr_active_anon"] == 40211


def test_hot_and_cold_lists_of_2_6_early_kernels() -> None:
    data = (
        b"Node 0, zone   Normal\n  pages free     100\n        min      1\n        low      2\n"
        b"        high     3\n        spanned  9\n        present  9\n"
        b"        protection: (0, 0)\n  pagesets\n"
        b"    cpu: 0 pcp: 0\n              count: 5\n              high:  6\n"
        b"              batch: 7\n"
        b"    cpu: 0 pcp: 1\n              count: 1\n              high:  2\n"
        b"              batch: 3\n"
    )
    (zone,) = parse_zoneinfo(data)
    assert zone.pagesets == (
        ZonePageset(0, 5, 6, 7, extra={"pcp": 0}),
        ZonePageset(0, 1, 2, 3, extra={"pcp": 1}),
    )


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"  pages free 3\n",
        b"Node 0, zone DMA\n  pages free x\n",
        b"Node 0, zone DMA\n  pages free 3\n        min 1\n",
        b"Node 0, zone DMA\n  pages free 3\n        min 1\n        low 1\n        high 1\n"
        b"        spanned 1\n        present 1\n        protection: 0, 1\n",
        b"Node 0, zone DMA\n  pages free 3\n        min 1\n        low 1\n        high 1\n"
        b"        spanned 1\n        present 1\n  pagesets\n    cpu: 0\n              count: 1\n",
        b"Node 0 zone DMA\n",
        b"Node 0, zone DMA\n      nr_free_pages 3\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_zoneinfo(data)


def test_live_free_pages_add_up_to_vmstat() -> None:
    best = None
    for _ in range(5):
        zones = ProcFS().zoneinfo()
        expected = vmstat_free_pages()
        gap = abs(sum(zone.free for zone in zones) - expected)
        if best is None or gap < best[0]:
            best = (gap, expected, zones)
    assert best is not None
    gap, expected, zones = best
    assert gap <= max(256, expected // 100)
    # one per-node block per node with memory, and a pageset per online CPU
    nodes = {zone.node for zone in zones if zone.present}
    assert sum(1 for zone in zones if zone.node_stats is not None) == len(nodes)
    online = os.cpu_count()
    for zone in zones:
        if zone.managed:
            assert len(zone.pagesets) == online
            assert zone.min <= zone.low <= zone.high
            assert zone.present <= zone.spanned
            assert zone.start_pfn is not None
