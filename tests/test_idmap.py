"""uid_map, gid_map, projid_map and setgroups: samples, this process, and a user-namespace child."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

import procfs
from procfs import ProcFS
from procfs.core import PARSERS
from procfs.core.idmap import IdMapEntry, parse_id_map, parse_setgroups
from procfs.errors import ParseError
from tests.conftest import SAMPLES, sample

FULL = IdMapEntry(0, 0, 4294967295)


def test_registered() -> None:
    for name in ("uid_map", "gid_map", "projid_map"):
        assert PARSERS[f"[pid]/{name}"] is parse_id_map
        assert PARSERS[f"[pid]/task/[tid]/{name}"] is parse_id_map
    assert PARSERS["[pid]/setgroups"] is parse_setgroups
    assert PARSERS["[pid]/task/[tid]/setgroups"] is parse_setgroups


def test_initial_namespace_sample() -> None:
    assert parse_id_map(sample("dev-machine/proc/15532/uid_map")) == [FULL]
    assert parse_id_map(sample("dev-machine/proc/15532/projid_map")) == [FULL]
    assert parse_setgroups(sample("dev-machine/proc/15532/setgroups")) == "allow"


def test_handmade_two_ranges() -> None:
    ranges = parse_id_map(sample("handmade/proc/4711/uid_map"))
    assert ranges == [IdMapEntry(0, 100000, 65536), IdMapEntry(65536, 0, 1)]
    first, second = ranges
    assert first.to_outside(0) == 100000 and first.to_outside(65535) == 165535
    assert first.to_outside(65536) is None and second.to_outside(65536) == 0
    assert first.to_inside(100001) == 1 and first.to_inside(99999) is None
    assert parse_setgroups(sample("handmade/proc/4711/setgroups")) == "deny"
    assert first.to_dict() == {"inside": 0, "outside": 100000, "count": 65536}


def test_empty_map_is_not_written_yet() -> None:
    assert parse_id_map(b"") == []


@pytest.mark.parametrize("data", [b"0 0\n", b"0 0 1 2\n", b"0 -1 1\n", b"a b c\n"])
def test_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_id_map(data)


@pytest.mark.parametrize("data", [b"", b"maybe\n", b"allow deny\n"])
def test_setgroups_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_setgroups(data)


def _in_initial_user_namespace() -> bool:
    with open("/proc/self/uid_map") as f:
        return f.read().split() == ["0", "0", "4294967295"]


def test_live_self() -> None:
    me = procfs.Process.myself()
    with open("/proc/self/uid_map") as f:
        raw = [tuple(map(int, line.split())) for line in f]
    assert [(e.inside, e.outside, e.count) for e in me.uid_map()] == raw
    if _in_initial_user_namespace():
        assert me.uid_map() == [FULL]
        assert me.gid_map() == [FULL]
        assert me.setgroups() == "allow"


def test_captured_tree() -> None:
    fs = ProcFS(SAMPLES / "handmade" / "proc")
    assert fs.process(4711).uid_map()[1] == IdMapEntry(65536, 0, 1)
    assert fs.process(4711).setgroups() == "deny"


def test_live_user_namespace_child() -> None:
    try:
        proc = subprocess.Popen(
            ["unshare", "--user", "--map-root-user", "sleep", "30"], stderr=subprocess.DEVNULL
        )
    except FileNotFoundError:
        pytest.skip("unshare is not installed")
    try:
        handle = None
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.skip("cannot create a user namespace here")
            handle = procfs.Process(proc.pid)
            if handle.comm() == "sleep" and handle.uid_map():
                break
            time.sleep(0.01)
        assert handle is not None
        # root inside is the caller outside, one id only (seen from our namespace)
        assert handle.uid_map() == [IdMapEntry(0, os.geteuid(), 1)]
        assert handle.gid_map() == [IdMapEntry(0, os.getegid(), 1)]
        assert handle.setgroups() == "deny"  # --map-root-user must deny setgroups first
        assert handle.namespaces()["user"] != procfs.Process.myself().namespaces()["user"]
        task = handle.task(proc.pid)
        assert task.uid_map() == handle.uid_map()
    finally:
        proc.kill()
        proc.wait()
