"""/proc/[pid]/numa_maps: a hand-made file with every kind of word, a capture, the live process."""

from __future__ import annotations

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.numa_maps import NumaMap, parse_numa_maps
from procfs.errors import ParseError
from tests.conftest import sample


def test_registered() -> None:
    assert PARSERS["[pid]/numa_maps"] is parse_numa_maps
    assert PARSERS["[pid]/task/[tid]/numa_maps"] is parse_numa_maps


def test_handmade_policies_flags_and_counts() -> None:
    maps = parse_numa_maps(sample("handmade/proc/4711/numa_maps"))
    assert len(maps) == 7
    text, data, heap, huge, anon, stack, empty = maps
    assert text == NumaMap(
        address=0x400000,
        policy="default",
        file="/bin/bash",
        flags=[],
        anon=None,
        dirty=None,
        mapped=140,
        mapmax=3,
        swapcache=None,
        active=None,
        writeback=None,
        nodes={0: 100, 1: 40},
        kernel_page_size=4096,
        extra={},
    )
    assert text.pages == 140
    assert (data.anon, data.dirty, data.mapped) == (10, 10, None)
    assert heap.policy == "bind:1" and heap.flags == ["heap"]
    assert (heap.active, heap.nodes) == (30, {1: 50})
    assert huge.policy == "interleave=relative:0-1"
    assert huge.file == "/dev/hugepages/my pool=x"  # \040 and \075 decoded
    assert huge.flags == ["huge"] and huge.kernel_page_size == 2 * 1024 * 1024
    assert huge.pages == 2
    assert (anon.policy, anon.swapcache, anon.writeback, anon.dirty) == ("prefer:0", 2, 1, 3)
    assert stack.flags == ["stack"] and stack.file is None
    assert empty == NumaMap(
        0x7FFF5BBFF000, "default", None, [], None, None, None, None, None, None, None, {}, None, {}
    )
    assert empty.pages == 0


def test_unknown_words_are_kept() -> None:
    (entry,) = parse_numa_maps(b"1000 default anon=1 N0=1 newcount=7 kernelpagesize_kB=4\n")
    assert entry.extra == {"newcount": "7"}


def test_captured_sample() -> None:
    maps = parse_numa_maps(sample("dev-machine/proc/15569/numa_maps"))
    assert maps[0].file == "/usr/bin/sleep"
    assert all(m.policy == "default" for m in maps)
    assert all(set(m.nodes) <= {0} for m in maps)  # a single-node machine


@pytest.mark.parametrize(
    "data", [b"zz default\n", b"1000\n", b"1000 default anon=x\n", b"1000 default N0=\n"]
)
def test_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_numa_maps(data)


def test_live_lines_match_maps() -> None:
    me = procfs.Process.myself()
    try:
        numa = me.numa_maps()
    except procfs.NotFoundError:
        pytest.skip("no numa_maps (CONFIG_NUMA)")
    starts = {m.start for m in me.maps()}
    # the same mappings, give or take one that came or went between the reads
    assert len({n.address for n in numa} ^ starts) <= 4
    with open("/sys/devices/system/node/online") as f:
        online = f.read().strip()
    last = int(online.replace(",", "-").split("-")[-1])
    assert all(0 <= node <= last for n in numa for node in n.nodes)
