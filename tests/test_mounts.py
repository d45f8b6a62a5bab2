"""/proc/mounts and /proc/[pid]/mounts: the Rust crate's samples, escapes, and findmnt."""

from __future__ import annotations

import json
import subprocess

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.mounts import MountEntry, parse_mounts
from procfs.errors import ParseError
from tests.conftest import sample


def test_registered() -> None:
    assert PARSERS["mounts"] is parse_mounts
    assert PARSERS["[pid]/mounts"] is parse_mounts
    assert PARSERS["[pid]/task/[tid]/mounts"] is parse_mounts


def test_rust_oraclelinux_vboxsf() -> None:
    mounts = parse_mounts(sample("rust-procfs-samples/mounts.oraclelinux-xfs-vboxsf.txt"))
    assert len(mounts) == 4
    assert mounts[0] == MountEntry(
        "proc",
        "/proc",
        "proc",
        {"rw": None, "nosuid": None, "nodev": None, "noexec": None, "relatime": None},
        0,
        0,
    )
    root = mounts[2]
    assert (root.fs_spec, root.fs_file, root.fs_vfstype) == ("/dev/mapper/ol-root", "/", "xfs")
    assert root.fs_mntops["logbsize"] == "32k" and root.fs_mntops["noquota"] is None
    share = mounts[3]
    assert (share.fs_spec, share.fs_file, share.fs_vfstype) == (
        "Downloads",
        "/media/sf_downloads",
        "vboxsf",
    )
    assert share.fs_mntops["tag"] == "VBoxAutomounter"
    assert share.fs_mntops["dmode"] == "0770"


def test_rust_pasta_empty_fs_spec() -> None:
    (mount,) = parse_mounts(sample("rust-procfs-samples/mounts.pasta-empty-fs_spec-issue333.txt"))
    assert mount.fs_spec == ""
    assert mount.fs_file == "/"
    assert mount.fs_vfstype == "tmpfs"
    assert mount.fs_mntops["size"] == "0k" and mount.fs_mntops["ro"] is None
    assert (mount.fs_freq, mount.fs_passno) == (0, 0)


def test_octal_escapes() -> None:
    (mount,) = parse_mounts(b"/dev/sdb1 /mnt/my\\040disk\\011x ext4 rw,data=ordered 0 0\n")
    assert mount.fs_file == "/mnt/my disk\tx"
    assert mount.fs_mntops == {"rw": None, "data": "ordered"}


@pytest.mark.parametrize(
    "data", [b"a b c d 0\n", b"a b c d 0 0 extra\n", b"a b c d x 0\n", b"a  b c d 0 0\n"]
)
def test_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_mounts(data)


def test_dev_machine_sample() -> None:
    mounts = parse_mounts(sample("dev-machine/proc/mounts"))
    assert len(mounts) == 20
    assert any(m.fs_vfstype == "proc" and m.fs_file == "/proc" for m in mounts)


def test_live_agrees_with_findmnt_and_mountinfo() -> None:
    me = procfs.Process.myself()
    mounts = me.mounts()
    info = me.mountinfo()
    assert [m.fs_file for m in mounts] == [m.mount_point for m in info]
    assert [m.fs_vfstype for m in mounts] == [m.fs_type for m in info]
    out = subprocess.run(
        ["findmnt", "--kernel", "--list", "--json", "-o", "TARGET,FSTYPE"],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        pytest.skip("findmnt is not available")
    targets = {(fs["target"], fs["fstype"]) for fs in json.loads(out.stdout)["filesystems"]}
    assert targets == {(m.fs_file, m.fs_vfstype) for m in mounts}


def test_live_zombie_has_no_mounts() -> None:
    proc = subprocess.Popen(["true"])
    handle = procfs.Process(proc.pid)
    from tests.helpers import wait_for

    wait_for(lambda: handle.stat().state == "Z")
    for read in (handle.mounts, handle.mountinfo, handle.mountstats):
        with pytest.raises(procfs.NotFoundError):
            read()
    proc.wait()
