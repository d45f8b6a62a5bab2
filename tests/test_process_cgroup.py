"""/proc/[pid]/cgroup: v1 and v2 lines, colons in paths, and the live process vs /sys/fs/cgroup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.process_cgroup import ProcessCgroup, parse_process_cgroups
from procfs.errors import ParseError
from tests.conftest import sample


def test_registered() -> None:
    assert PARSERS["[pid]/cgroup"] is parse_process_cgroups
    assert PARSERS["[pid]/task/[tid]/cgroup"] is parse_process_cgroups


def test_handmade_v1_v2_colon_and_deleted() -> None:
    groups = parse_process_cgroups(sample("handmade/proc/4711/cgroup"))
    assert groups == [
        ProcessCgroup(12, ["cpu", "cpuacct"], "/system.slice/docker-4711.scope"),
        ProcessCgroup(3, ["net_cls", "net_prio"], "/"),
        ProcessCgroup(1, ["name=systemd"], "/user.slice/user-1000.slice/session-2.scope"),
        ProcessCgroup(0, [], "/machine.slice/libpod-4711.scope:container:inner (deleted)"),
    ]
    assert [g.is_v2 for g in groups] == [False, False, False, True]
    assert [g.deleted for g in groups] == [False, False, False, True]


def test_dev_machine_hybrid_sample() -> None:
    groups = parse_process_cgroups(sample("dev-machine/proc/15532/cgroup"))
    assert len(groups) == 10
    assert groups[0] == ProcessCgroup(9, ["name=systemd"], "/")
    assert groups[5].controllers == ["memory"]
    assert groups[5].pathname.startswith("/process_api/")
    assert groups[-1] == ProcessCgroup(0, [], "/")
    assert groups[-1].to_dict() == {"hierarchy": 0, "controllers": [], "pathname": "/"}


@pytest.mark.parametrize("data", [b"0:/\n", b"x::/\n", b"justtext\n", b"-1::/\n"])
def test_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_process_cgroups(data)


def test_empty() -> None:
    assert parse_process_cgroups(b"") == []


def test_live_agrees_with_raw_file() -> None:
    with open("/proc/self/cgroup", "rb") as f:
        raw = f.read().decode().splitlines()
    groups = procfs.Process.myself().cgroups()
    assert [f"{g.hierarchy}:{','.join(g.controllers)}:{g.pathname}" for g in groups] == raw


def _mount_of(groups: list[ProcessCgroup]) -> tuple[ProcessCgroup, Path] | None:
    """A hierarchy of ours whose cgroupfs is mounted, with the mount point."""
    with open("/proc/self/mountinfo") as f:
        mounts = [line.split() for line in f]
    for group in groups:
        for fields in mounts:
            fs_type = fields[fields.index("-") + 1]
            options = fields[-1].split(",")
            if fields[3] != "/":
                continue  # a bind mount of a sub-tree: paths would not line up
            if group.is_v2 and fs_type == "cgroup2":
                return group, Path(fields[4])
            if fs_type == "cgroup" and group.controllers and group.controllers[0] in options:
                return group, Path(fields[4])
    return None


def test_live_path_lists_this_process() -> None:
    found = _mount_of(procfs.Process.myself().cgroups())
    if found is None:
        pytest.skip("no cgroup filesystem of ours is mounted")
    group, mount = found
    procs = mount / group.pathname.lstrip("/") / "cgroup.procs"
    if not procs.exists():
        pytest.skip(f"{procs} is not visible (another cgroup namespace?)")
    assert str(os.getpid()) in procs.read_text().split()


def test_live_thread_is_in_the_same_groups() -> None:
    me = procfs.Process.myself()
    (task,) = [t for t in me.tasks() if t.tid == os.getpid()]
    assert task.cgroups() == me.cgroups()
