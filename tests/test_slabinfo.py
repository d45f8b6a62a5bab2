"""/proc/slabinfo: captures, SLAB debug columns, version 2.0, and the live file against sysfs."""

from __future__ import annotations

import os

import pytest

from procfs import ParseError, PermissionDeniedError, ProcFS
from procfs.core import PARSERS
from procfs.core.slabinfo import SlabCache, parse_slabinfo
from tests.conftest import SAMPLES, sample
from tests.helpers import NOBODY, run_as


def test_registered() -> None:
    assert PARSERS["slabinfo"] is parse_slabinfo


def test_dev_machine_capture() -> None:
    info = ProcFS(str(SAMPLES / "dev-machine" / "proc")).slabinfo()
    assert info.version == "2.1"
    assert len(info.caches) == 235  # the file's 237 lines less the two header lines
    assert info.get("dentry") == SlabCache(
        "dentry", 127423, 127554, 192, 21, 1, 0, 0, 0, 6074, 6074, 0
    )
    task = info.get("task_struct")
    assert task is not None
    assert (task.objsize, task.objperslab, task.pagesperslab) == (5888, 5, 8)
    assert info.get("no such cache") is None
    # SLUB has no tunables: every cache prints zeros there
    assert all(c.limit == c.batchcount == c.sharedfactor == 0 for c in info.caches)


def test_prometheus_fixture() -> None:
    info = ProcFS(str(SAMPLES / "prometheus-fixtures" / "proc")).slabinfo()
    assert info.caches[0] == SlabCache("pid_3", 375, 532, 576, 28, 4, 0, 0, 0, 19, 19, 0)
    # names may contain colons: only " : " separates the column groups
    pool = info.get("iwl_cmd_pool:0000:04:00.0")
    assert pool is not None and (pool.num_objs, pool.objsize) == (128, 512)
    assert info.caches[0].to_dict()["extra"] == {}


def test_slab_allocator_debug_columns() -> None:
    info = parse_slabinfo(sample("handmade/slabinfo.slab-debug-globalstat-cpustat.txt"))
    assert info.version == "2.1 (statistics)"
    kmalloc, dentry = info.caches
    assert kmalloc.name == "kmalloc-64"
    assert (kmalloc.limit, kmalloc.batchcount, kmalloc.sharedfactor) == (120, 60, 8)
    assert (kmalloc.active_slabs, kmalloc.num_slabs, kmalloc.sharedavail) == (51, 51, 0)
    assert kmalloc.extra == {
        "listallocs": 8812,
        "maxobjs": 3264,
        "grown": 51,
        "reaped": 0,
        "error": 0,
        "maxfreeable": 0,
        "nodeallocs": 0,
        "remotefrees": 0,
        "alienoverflow": 0,
        "allochit": 95211,
        "allocmiss": 4311,
        "freehit": 96002,
        "freemiss": 2980,
    }
    assert dentry.extra["reaped"] == 12


def test_version_2_0_reads_columns_by_name() -> None:
    # 2.0 printed <batchcount> before <limit>
    data = (
        b"slabinfo - version: 2.0\n"
        b"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
        b" : tunables <batchcount> <limit> <sharedfactor>"
        b" : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
        b"size-64             3204   3304     64   59    1 : tunables   60  120    8"
        b" : slabdata     56     56      0\n"
    )
    info = parse_slabinfo(data)
    assert info.version == "2.0"
    assert info.caches == [SlabCache("size-64", 3204, 3304, 64, 59, 1, 120, 60, 8, 56, 56, 0)]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"slabinfo - version: 1.1\nkmem_cache 59 78 100 2 2 1\n",
        b"slabinfo - version: 2.1\n",
        b"slabinfo - version: 2.1\n# name <active_objs> <num_objs>\n",
        b"slabinfo - version: 2.1\n# name <active_objs> <num_objs> <objsize> <objperslab>"
        b" <pagesperslab> : tunables <limit> <batchcount> <sharedfactor>"
        b" : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
        b"x 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1\n",
        b"slabinfo - version: 2.1\n# name <active_objs> <num_objs> <objsize> <objperslab>"
        b" <pagesperslab> : tunables <limit> <batchcount> <sharedfactor>"
        b" : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
        b"x 1 2 3 4 5 : tunables 0 0 0 : slabdatum 1 1 0\n",
        b"slabinfo - version: 2.1\n# name <active_objs> <num_objs> <objsize> <objperslab>"
        b" <pagesperslab> : tunables <limit> <batchcount> <sharedfactor>"
        b" : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
        b"x 1 2 3 4 -5 : tunables 0 0 0 : slabdata 1 1 0\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_slabinfo(data)


def _readable_or_skip() -> None:
    if not os.path.exists("/proc/slabinfo"):
        pytest.skip("/proc/slabinfo missing")
    if os.geteuid() != 0:
        pytest.skip("/proc/slabinfo is for root")


def test_live_as_root_against_sysfs() -> None:
    _readable_or_skip()
    info = ProcFS().slabinfo()
    assert info.version.startswith("2.1")
    assert len(info.caches) > 20
    for cache in info.caches:
        assert cache.active_objs <= cache.num_objs
        assert cache.active_slabs <= cache.num_slabs
    # SLUB publishes each cache under /sys/kernel/slab: an independent view of the geometry
    checked = 0
    for cache in info.caches:
        directory = f"/sys/kernel/slab/{cache.name}"
        try:
            with open(f"{directory}/slab_size") as f:
                slab_size = int(f.read())
            with open(f"{directory}/objs_per_slab") as f:
                per_slab = int(f.read())
            with open(f"{directory}/order") as f:
                order = int(f.read())
        except OSError:
            continue
        assert (cache.objsize, cache.objperslab, cache.pagesperslab) == (
            slab_size,
            per_slab,
            1 << order,
        ), cache.name
        checked += 1
    if not os.path.isdir("/sys/kernel/slab"):
        pytest.skip("no /sys/kernel/slab (not SLUB, or no sysfs): geometry not cross-checked")
    assert checked > 10


def test_live_as_nobody_is_denied() -> None:
    _readable_or_skip()
    result = run_as(NOBODY, NOBODY, lambda: ProcFS().slabinfo())
    assert isinstance(result, tuple)
    assert result[:2] == ("raised", PermissionDeniedError.__name__)
