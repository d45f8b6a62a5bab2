"""/proc/[pid]/mountinfo: samples with hand-checked values, findmnt, and a mount of our own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.mountinfo import (
    MountInfo,
    MountOptionalField,
    parse_mount_options,
    parse_mountinfo,
    parse_mountinfo_where,
)
from procfs.errors import ParseError
from tests.conftest import sample


def test_registered() -> None:
    assert PARSERS["[pid]/mountinfo"] is parse_mountinfo


def test_rust_ext4_root() -> None:
    (mount,) = parse_mountinfo(sample("rust-procfs-samples/mountinfo.ext4-root-shared1.txt"))
    assert mount == MountInfo(
        mount_id=25,
        parent_id=0,
        major=8,
        minor=1,
        root="/",
        mount_point="/",
        mount_options={"rw": None, "relatime": None},
        optional_fields=[MountOptionalField("shared", 1)],
        fs_type="ext4",
        mount_source="/dev/sda1",
        super_options={"rw": None, "errors": "remount-ro"},
    )
    assert mount.shared == 1 and mount.master is None and not mount.unbindable
    assert not mount.read_only


def test_rust_pasta_empty_source() -> None:
    (mount,) = parse_mountinfo(
        sample("rust-procfs-samples/mountinfo.pasta-empty-mount-source-issue333.txt")
    )
    assert mount.fs_type == "tmpfs"
    assert mount.mount_source is None
    assert mount.super_options == {
        "ro": None,
        "size": "0k",
        "nr_inodes": "2",
        "uid": "1000",
        "gid": "1000",
        "inode64": None,
    }
    assert mount.read_only
    assert (mount.mount_id, mount.parent_id, mount.major, mount.minor) == (303, 98, 0, 47)


def test_prometheus_sample() -> None:
    mounts = parse_mountinfo(sample("prometheus-fixtures/proc/26231/mountinfo"))
    assert len(mounts) == 8
    # The first line has two spaces between root and mount point; fields still line up.
    assert (mounts[0].root, mounts[0].mount_point, mounts[0].fs_type) == ("/", "/root", "rootfs")
    assert mounts[0].mount_options == {"rw": None, "nosuid": None}
    nfs = mounts[4]
    assert nfs.mount_source == "192.168.1.1:/srv/test"
    assert nfs.super_options["addr"] == "192.168.1.1"
    assert nfs.super_options["hard"] is None
    assert nfs.shared == 144
    last = mounts[-1]
    assert (last.major, last.minor) == (253, 0)
    assert last.root == "/var/lib/containers/storage/overlay"
    assert last.optional_fields == []


def test_handmade_escapes_and_propagation() -> None:
    mounts = parse_mountinfo(sample("handmade/mountinfo.escapes-propagation-empty-source.txt"))
    assert [m.mount_id for m in mounts] == [22, 36, 42, 43, 44, 45]
    proc5 = mounts[1]  # the example of proc_pid_mountinfo(5)
    assert (proc5.root, proc5.mount_point, proc5.master) == ("/mnt1", "/mnt2", 1)
    assert proc5.super_options == {"rw": None, "errors": "continue"}
    spaced = mounts[2]
    assert spaced.mount_point == "/tmp/a b\tc"
    assert spaced.mount_source == "my src"
    fuse = mounts[3]
    assert fuse.root == "/sub\\dir"
    assert fuse.mount_point == "/mnt/new\nline"
    assert fuse.fs_type == "fuse.sshfs"
    assert fuse.mount_source == "user@host:/home dir"
    assert (fuse.shared, fuse.master, fuse.propagate_from) == (5, 3, 2)
    assert [str(f) for f in fuse.optional_fields] == ["shared:5", "master:3", "propagate_from:2"]
    cifs = mounts[4]
    assert cifs.unbindable
    assert cifs.optional_fields == [
        MountOptionalField("unbindable"),
        MountOptionalField("future:x"),
    ]
    assert cifs.super_options == {"rw": None, "username": "a,b", "domain": ""}
    assert cifs.read_only
    assert mounts[5].mount_source is None and mounts[5].fs_type == "tmpfs"


def test_options() -> None:
    assert parse_mount_options(b"rw,,size=10k,mode=1777,x=a=b") == {
        "rw": None,
        "size": "10k",
        "mode": "1777",
        "x": "a=b",
    }
    assert parse_mount_options(b"") == {}


def test_non_utf8_mount_point_round_trips() -> None:
    (mount,) = parse_mountinfo(b"1 0 8:1 / /mnt/\xff\\040x rw - ext4 /dev/sda1 rw\n")
    assert os.fsencode(mount.mount_point) == b"/mnt/\xff x"


@pytest.mark.parametrize(
    "line",
    [
        b"25 0 8:1 / / rw,relatime shared:1 ext4 /dev/sda1 rw",  # no separator
        b"25 0 8:1 / / - ext4 /dev/sda1 rw",  # too few fields before it
        b"25 0 8-1 / / rw - ext4 /dev/sda1 rw",  # bad major:minor
        b"x 0 8:1 / / rw - ext4 /dev/sda1 rw",  # bad id
        b"25 0 8:1 / / rw - ext4",  # too few after it
        b"25 0 8:1 / / rw - ext4 a b c",  # too many after it
        b"",
    ],
)
def test_bad_lines(line: bytes) -> None:
    data = b"1 0 8:1 / / rw - ext4 /dev/sda1 rw\n" + line + b"\n"
    with pytest.raises(ParseError) as info:
        parse_mountinfo(data, path="/p/mountinfo")
    assert info.value.lineno == 2
    assert info.value.path == "/p/mountinfo"
    # The same error when the bad line's mount is left out (nothing kept) or not
    keeps: list[Callable[[str, str | None], bool]] = [lambda t, s: False, lambda t, s: True]
    for keep in keeps:
        with pytest.raises(ParseError) as where:
            parse_mountinfo_where(data, keep, "/p/mountinfo")
        assert (where.value.lineno, where.value.path) == (2, "/p/mountinfo")
        assert str(where.value) == str(info.value)


_SAMPLES = (
    "prometheus-fixtures/proc/26231/mountinfo",
    "handmade/mountinfo.escapes-propagation-empty-source.txt",
)


def test_where_keeps_what_the_full_parse_gives() -> None:
    with open("/proc/self/mountinfo", "rb") as live:
        datas = [sample(name) for name in _SAMPLES] + [live.read()]
    keeps: list[Callable[[str, str | None], bool]] = [
        lambda fs_type, source: True,
        lambda fs_type, source: False,
        lambda fs_type, source: source is not None and source.startswith("/dev/"),
        lambda fs_type, source: fs_type in ("tmpfs", "fuse.sshfs", "nfs4", "ext4"),
    ]
    for data in datas:
        mounts = parse_mountinfo(data)
        assert mounts
        for keep in keeps:
            expected = [m for m in mounts if keep(m.fs_type, m.mount_source)]
            assert parse_mountinfo_where(data, keep) == expected


# -- live ---------------------------------------------------------------------


def _mounts_file_points() -> list[str]:
    """Mount points from /proc/self/mounts (fstab format), decoded by hand."""
    points = []
    with open("/proc/self/mounts", "rb") as f:
        for line in f:
            point = line.split(b" ")[1]
            for escape, char in ((b"\\040", b" "), (b"\\011", b"\t"), (b"\\012", b"\n")):
                point = point.replace(escape, char)
            points.append(os.fsdecode(point.replace(b"\\134", b"\\")))
    return points


def test_live_self_matches_mounts_file() -> None:
    mounts = procfs.Process.myself().mountinfo()
    assert [m.mount_point for m in mounts] == _mounts_file_points()
    ids = {m.mount_id for m in mounts}
    assert len(ids) == len(mounts)
    root = [m for m in mounts if m.mount_point == "/"]
    st = os.stat("/")
    assert any((m.major, m.minor) == (os.major(st.st_dev), os.minor(st.st_dev)) for m in root)


def test_live_matches_findmnt() -> None:
    findmnt = shutil.which("findmnt")
    if findmnt is None:
        pytest.skip("findmnt not installed")
    out = subprocess.run(
        [
            findmnt,
            "--list",
            "--json",
            "-o",
            "ID,TARGET,FSTYPE,SOURCE,PROPAGATION",
            "--task",
            str(os.getpid()),
        ],
        capture_output=True,
        check=True,
    ).stdout
    rows = json.loads(out)["filesystems"]
    mine = {m.mount_id: m for m in procfs.Process.myself().mountinfo()}
    assert {int(row["id"]) for row in rows} == set(mine)
    for row in rows:
        mount = mine[int(row["id"])]
        assert mount.mount_point == row["target"]
        assert mount.fs_type == row["fstype"]


@contextmanager
def tmpfs_at(path: str, source: str) -> Iterator[None]:
    os.makedirs(path)
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0750", source, path], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip(
                f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}"
            )
        try:
            yield
        finally:
            subprocess.run(["umount", path], check=True)
    finally:
        os.rmdir(path)


def test_live_own_tmpfs_with_space_and_tab() -> None:
    base = tempfile.mkdtemp(prefix="pyprocfs-mnt-")
    path = os.path.join(base, "a b\tc\\d")
    try:
        with tmpfs_at(path, "my src"):
            st = os.stat(path)
            (mount,) = [m for m in procfs.Process.myself().mountinfo() if m.mount_point == path]
            assert mount.fs_type == "tmpfs"
            assert mount.mount_source == "my src"
            assert mount.root == "/"
            assert (mount.major, mount.minor) == (os.major(st.st_dev), os.minor(st.st_dev))
            assert mount.super_options["size"] == "1024k"
            assert mount.super_options["mode"] == "750"
            assert "rw" in mount.mount_options
    finally:
        os.rmdir(base)
