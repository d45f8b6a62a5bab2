"""/proc/[pid]/mountstats: NFS statistics samples with hand-checked values, and the live file."""

from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import timedelta

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.mountstats import (
    MountStat,
    NfsByteCounts,
    NfsEventCounts,
    NfsOperationStat,
    NfsTransportStats,
    parse_mountstats,
)
from procfs.errors import ParseError
from tests.conftest import sample


def test_registered() -> None:
    assert PARSERS["[pid]/mountstats"] is parse_mountstats


def test_rust_non_nfs_with_trailing_space() -> None:
    mounts = parse_mountstats(sample("rust-procfs-samples/mountstats.md-raid-ext2-ext4-tmpfs.txt"))
    assert mounts == [
        MountStat("/dev/md127", "/boot", "ext2"),
        MountStat("/dev/md124", "/home", "ext4"),
        MountStat("tmpfs", "/run/user/0", "tmpfs"),
    ]


def test_rust_pasta_empty_device() -> None:
    (mount,) = parse_mountstats(
        sample("rust-procfs-samples/mountstats.pasta-empty-device-issue333.txt")
    )
    assert (mount.device, mount.mount_point, mount.fs_type) == ("", "/", "tmpfs")
    assert mount.statistics is None


def test_rust_nfs4_sample_with_spaces_for_tabs() -> None:
    (mount,) = parse_mountstats(sample("rust-procfs-samples/mountstats.nfs4-statvers1.1-krb5.txt"))
    assert (mount.device, mount.mount_point, mount.fs_type) == (
        "elwe:/space",
        "/srv/elwe/space",
        "nfs4",
    )
    stats = mount.statistics
    assert stats is not None
    assert stats.statvers == "1.1"
    assert stats.age == 3542
    assert stats.age_timedelta == timedelta(seconds=3542)
    assert stats.caps == 0x3FFDF
    assert stats.caps_info["wtmult"] == "512"
    assert stats.opts["sec"] == "krb5" and stats.opts["hard"] is None
    assert stats.impl_id == {"name": "", "domain": "", "date": "0,0"}
    assert stats.nfsv4 is not None
    assert stats.nfsv4["pnfs"] == "not configured" and stats.nfsv4["sessions"] is None
    assert stats.sec == {"flavor": "6", "pseudoflavor": "390003"}
    events = stats.events
    assert events is not None
    assert events.inode_revalidate == 114
    assert events.dentry_revalidate == 1579
    assert events.vfs_getdents == 115
    assert events.delay == 9
    assert (events.pnfs_read, events.pnfs_write) == (0, 1)
    assert events.extra == ()
    assert stats.bytes == NfsByteCounts(1, 2, 3, 4, 5, 6, 7, 8)
    assert stats.bytes.normal_read == 1
    assert (stats.rpc_iostats_version, stats.rpc_program, stats.rpc_program_version) == (
        "1.0",
        100003,
        4,
    )
    assert stats.rpc_program_name == "nfs"
    (xprt,) = stats.xprt
    assert xprt.protocol == "tcp"
    assert xprt.counters["port"] == 909
    assert xprt.counters["sends"] == 294
    assert xprt.counters["max_slots"] == 2
    assert list(stats.per_op_stats) == ["NULL", "READ", "WRITE", "COMMIT", "OPEN"]
    assert stats.per_op_stats["READ"] == NfsOperationStat(1, 2, 3, 4, 5, 6, 7, 8)
    assert stats.per_op_stats["READ"].errors is None
    assert stats.per_op_stats["OPEN"].bytes_received == 420
    assert stats.extra == {}


def test_prometheus_sample() -> None:
    # Values as in prometheus/procfs mountstats_test.go ("fixtures/proc OK").
    mounts = parse_mountstats(sample("prometheus-fixtures/proc/26231/mountstats"))
    assert [(m.device, m.mount_point, m.fs_type) for m in mounts] == [
        ("rootfs", "/", "rootfs"),
        ("sysfs", "/sys", "sysfs"),
        ("proc", "/proc", "proc"),
        ("/dev/sda1", "/", "ext4"),
        ("192.168.1.1:/srv/test", "/mnt/nfs/test", "nfs4"),
    ]
    stats = mounts[4].statistics
    assert stats is not None
    assert stats.age == 13968
    assert stats.opts["mountaddr"] == "192.168.1.1"
    assert stats.bytes is not None
    assert (stats.bytes.normal_read, stats.bytes.server_read, stats.bytes.pages_read) == (
        1207640230,
        1210214218,
        295483,
    )
    events = stats.events
    assert events is not None
    assert (events.inode_revalidate, events.dentry_revalidate, events.vfs_open) == (52, 226, 1)
    assert (events.vfs_lookup, events.vfs_access, events.vfs_read_pages) == (13, 398, 331)
    assert (events.vfs_write_pages, events.vfs_flush, events.vfs_release) == (47, 77, 77)
    access = stats.per_op_stats["ACCESS"]
    assert access.operations == 2927395007
    assert access.transmissions == 2927394995
    assert access.bytes_sent == 526931094212
    assert access.bytes_received == 362996810236
    assert access.cumulative_queue_time_ms == 18446743919241604546
    assert access.cumulative_response_time_ms == 1667369447
    assert access.cumulative_total_request_time_ms == 1953587717
    (xprt,) = stats.xprt
    assert xprt.counters == {
        "port": 832,
        "bind_count": 0,
        "connect_count": 1,
        "connect_time": 0,
        "idle_time": 11,
        "sends": 6428,
        "recvs": 6428,
        "bad_xids": 0,
        "req_u": 12154,
        "bklog_u": 0,
        "max_slots": 24,
        "sending_u": 26,
        "pending_u": 5726,
    }


def test_handmade_old_new_and_rdma() -> None:
    mounts = parse_mountstats(sample("handmade/mountstats.nfs3-udp-1.0-nfs4-nconnect-rdma.txt"))
    assert len(mounts) == 5
    assert mounts[1] == MountStat("my src", "/tmp/a b\tc", "tmpfs")

    old = mounts[2].statistics
    assert mounts[2].mount_point == "/mnt/nfs v3"
    assert old is not None and old.statvers == "1.0"
    assert old.nfsv4 is None and old.impl_id is None
    assert old.caps == 0x3FC7
    events = old.events
    assert events is not None
    # 25 counters: a kernel before the two pNFS counters existed.
    assert events.inode_revalidate == 1 and events.delay == 25
    assert events.pnfs_read is None and events.pnfs_write is None
    (udp,) = old.xprt
    assert udp == NfsTransportStats("udp", (801, 1, 20, 19, 0, 25, 0))
    assert udp.counters == {
        "port": 801,
        "bind_count": 1,
        "sends": 20,
        "recvs": 19,
        "bad_xids": 0,
        "req_u": 25,
        "bklog_u": 0,
    }
    assert old.per_op_stats["GETATTR"] == NfsOperationStat(10, 11, 1, 1200, 1100, 5, 30, 40)

    new = mounts[3].statistics
    assert new is not None
    assert new.impl_id == {
        "name": "FreeBSD 11.2-STABLE: Mon Nov 18 22:46:47 UTC 2019\nuser@host:/path/to/something",
        "domain": "something.org",
        "date": "1293840000,0",
    }
    assert new.caps == 0x3FFF7
    assert new.nfsv4 is not None and new.nfsv4["lease_time"] == "90"
    assert new.extra == {"fsc": "1 2 3"}
    assert new.events is not None
    assert new.events.pnfs_write == 0 and new.events.extra == (99,)
    assert new.bytes is not None and new.bytes.server_write == 39087991255
    assert [x.counters["port"] for x in new.xprt] == [940, 941]
    assert new.xprt[1].counters["idle_time"] == -3
    assert new.per_op_stats["OPEN"].errors == 394
    assert new.per_op_stats["OPEN_CONFIRM"] == NfsOperationStat(0, 0, 0, 0, 0, 0, 0, 0, 0)

    rdma = mounts[4].statistics
    assert rdma is not None
    (transport,) = rdma.xprt
    counters = transport.counters
    assert len(transport.values) == 27 and len(counters) == 27
    assert counters["connect_count"] == 5808
    assert counters["bklog_u"] == 1282789
    assert counters["read_chunk_count"] == 107150285
    assert counters["total_rdma_reply"] == 135119397156505
    assert counters["reply_waits_for_send"] == 96
    assert rdma.per_op_stats["NULL"].errors == 0


def test_to_dict_is_plain() -> None:
    (mount,) = parse_mountstats(sample("rust-procfs-samples/mountstats.nfs4-statvers1.1-krb5.txt"))
    plain = mount.to_dict()
    assert plain["statistics"]["events"]["inode_revalidate"] == 114
    assert plain["statistics"]["xprt"][0]["values"][0] == 909
    assert plain["statistics"]["per_op_stats"]["READ"]["operations"] == 1


def test_unknown_lines_are_kept() -> None:
    data = (
        b"device x mounted on /x with fstype futurefs shiny\n"
        b"\tsomething: 1 2\n"
        b"device s:/e mounted on /n with fstype nfs statvers=1.2\n"
        b"\tnewthing:\tabc\n"
        b"\tno label here\n"
        b"\tper-op statistics\n"
        b"\t  ODD: 1 2\n"
    )
    first, second = parse_mountstats(data)
    assert first.statistics is None
    assert first.extra == ("shiny", "something: 1 2")
    assert second.statistics is not None
    assert second.statistics.statvers == "1.2"
    assert second.statistics.extra == {"newthing": "abc", "no label here": "", "ODD": "1 2"}
    assert second.statistics.per_op_stats == {}
    assert second.statistics.events is None and second.statistics.age is None


def test_event_counts_fields() -> None:
    assert len(NfsEventCounts._fields) == 28  # 27 counters and extra
    assert len(NfsByteCounts._fields) == 9


@pytest.mark.parametrize(
    "data",
    [
        b"\topts:\trw\n",  # statistics before any device
        b"device x mounted at / with fstype t\n",
        b"device x mounted on / with type t\n",
        b"device x mounted on / with fstype \n",
        b"device s:/e mounted on /n with fstype nfs statvers=1.1\n\tevents:\t1 x 3\n",
        b"device s:/e mounted on /n with fstype nfs statvers=1.1\n\tbytes:\t1 2 -\n",
        b"device s:/e mounted on /n with fstype nfs statvers=1.1\n\txprt:\n",
        b"device s:/e mounted on /n with fstype nfs statvers=1.1\n\tage:\tlong\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_mountstats(data, path="/p/mountstats")
    assert info.value.path == "/p/mountstats"


def test_empty() -> None:
    assert parse_mountstats(b"") == []


# -- live ---------------------------------------------------------------------


def test_live_self_matches_mountinfo() -> None:
    me = procfs.Process.myself()
    stats = me.mountstats()
    info = me.mountinfo()
    assert [s.mount_point for s in stats] == [m.mount_point for m in info]
    assert [s.fs_type for s in stats] == [m.fs_type for m in info]


def test_live_own_tmpfs() -> None:
    base = tempfile.mkdtemp(prefix="pyprocfs-mnt-")
    path = os.path.join(base, "x y\tz")
    os.mkdir(path)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "src with space", path], capture_output=True)
        if done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here")
        try:
            found = [s for s in procfs.Process.myself().mountstats() if s.mount_point == path]
            assert found == [MountStat("src with space", path, "tmpfs")]
        finally:
            subprocess.run(["umount", path], check=True)
    finally:
        os.rmdir(path)
        os.rmdir(base)
