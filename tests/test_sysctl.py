"""Sysctl parsers (samples worked out by hand) and the live reader/writer against procps and os."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import procfs
import procfs.proc_sys as live
from procfs import NotFoundError, ParseError, PermissionDeniedError, ProcError, ProcFS
from procfs.core import PARSERS
from procfs.core.kernel import KernelVersion
from procfs.core.sysctl import (
    BinfmtEntry,
    BuildInfo,
    DentryState,
    FileState,
    SemaphoreLimits,
    SysRq,
    parse_binfmt_entry,
    parse_binfmt_status,
    parse_build_info,
    parse_dentry_state,
    parse_file_nr,
    parse_semaphore_limits,
    parse_sysctl_int,
    parse_sysctl_text,
    parse_sysctl_uuid,
    parse_sysctl_value,
    parse_sysrq,
)
from tests.conftest import SAMPLES, sample
from tests.helpers import NOBODY, open_fds, run_as

SYSCTL = shutil.which("sysctl")
IPCS = shutil.which("ipcs")
needs_sysctl = pytest.mark.skipif(SYSCTL is None, reason="sysctl (procps) is not installed")
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="writing sysctls needs root")

DEV = SAMPLES / "dev-machine" / "proc" / "sys"
HANDMADE = SAMPLES / "handmade"


def sysctl_n(name: str) -> str:
    assert SYSCTL is not None
    return subprocess.run(
        [SYSCTL, "-n", name], capture_output=True, text=True, check=True
    ).stdout.rstrip("\n")


# -- generic values ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"32768\n", 32768),
        (b"-1\n", -1),
        (b"18446744073692774399\n", 18446744073692774399),
        (b"32000\t1024000000\t500\t32000\n", [32000, 1024000000, 500, 32000]),
        (b"32768\t60999\n", [32768, 60999]),
        (b"4 4 1 7\n", [4, 4, 1, 7]),
        (b"Linux\n", "Linux"),
        (b"reno cubic\n", "reno cubic"),
        (b"(none)\n", "(none)"),
        (b"\n", ""),
        (b"", ""),
        (b"0x10\n", "0x10"),
        (b"1_000\n", "1_000"),
        (b"+5\n", "+5"),
        (b"1\n2\n", "1\n2"),
        (b"|/usr/lib/systemd/systemd-coredump %P %u\n", "|/usr/lib/systemd/systemd-coredump %P %u"),
        (b"caf\xe9\n", os.fsdecode(b"caf\xe9")),
    ],
)
def test_generic_value(data: bytes, expected: object) -> None:
    assert parse_sysctl_value(data) == expected


@pytest.mark.parametrize("data", [b"", b"\n", b"1 2\n", b"abc\n", b"1\n2\n", b"1_0\n", b"+1\n"])
def test_int_file_rejects(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_sysctl_int(data, path="/x/pid_max")
    assert info.value.path == "/x/pid_max"


def test_text_and_uuid_files() -> None:
    assert parse_sysctl_text(b"Linux\n") == "Linux"
    assert parse_sysctl_text(b"\n") == ""
    with pytest.raises(ParseError):
        parse_sysctl_text(b"a\nb\n")
    assert (
        parse_sysctl_uuid(b"B82AB0FA-31B3-49F0-9C85-C02B14ADF146\n")
        == "b82ab0fa-31b3-49f0-9c85-c02b14adf146"
    )
    for bad in (
        b"",
        b"b82ab0fa31b349f09c85c02b14adf146\n",
        b"b82ab0fa-31b3-49f0-9c85-c02b14adf14g\n",
    ):
        with pytest.raises(ParseError):
            parse_sysctl_uuid(bad)


def test_registered_keys() -> None:
    for key in (
        "sys/kernel/pid_max",
        "sys/kernel/threads-max",
        "sys/kernel/sem",
        "sys/kernel/shmall",
        "sys/kernel/shmmax",
        "sys/kernel/shmmni",
        "sys/kernel/sysrq",
        "sys/kernel/ostype",
        "sys/kernel/version",
        "sys/kernel/random/boot_id",
        "sys/kernel/random/uuid",
        "sys/kernel/random/entropy_avail",
        "sys/kernel/random/poolsize",
        "sys/kernel/keys/maxkeys",
        "sys/kernel/keys/persistent_keyring_expiry",
        "sys/vm/admin_reserve_kbytes",
        "sys/vm/max_map_count",
        "sys/fs/file-max",
        "sys/fs/file-nr",
        "sys/fs/dentry-state",
        "sys/fs/epoll/max_user_watches",
        "sys/fs/binfmt_misc/status",
    ):
        assert key in PARSERS, key
    # osrelease stays core/kernel.py's
    assert PARSERS["sys/kernel/osrelease"].__module__ == "procfs.core.kernel"


def test_dev_machine_samples() -> None:
    """Captured on the dev machine (kernel 6.18); values read off the files by hand."""
    assert parse_sysctl_int((DEV / "kernel/pid_max").read_bytes()) == 32768
    assert parse_sysctl_int((DEV / "kernel/shmmax").read_bytes()) == 2**64 - 1 - 2**24
    assert parse_file_nr((DEV / "fs/file-nr").read_bytes()) == FileState(631, 0, 2466170)
    assert parse_dentry_state((DEV / "fs/dentry-state").read_bytes()) == DentryState(
        103855, 102216, 45, 0, 9546, 0
    )
    assert parse_sysctl_int((DEV / "kernel/keys/persistent_keyring_expiry").read_bytes()) == 259200
    assert parse_sysctl_text((DEV / "kernel/domainname").read_bytes()) == "(none)"
    info = parse_build_info((DEV / "kernel/version").read_bytes())
    assert info == BuildInfo("#1", ("SMP", "PREEMPT_DYNAMIC"), "@0", None)
    assert info.smp and info.preempt_dynamic and not info.preempt and not info.preempt_rt


# -- kernel/version --------------------------------------------------------------------


def test_build_info_rust_samples() -> None:
    """The three samples of the Rust crate's test_build_info, with its expected values."""
    ubuntu = parse_build_info(
        sample("rust-procfs-samples/sys_kernel_version.ubuntu-manjaro-centos-style.txt")
    )
    assert ubuntu.build == "#1"
    assert ubuntu.build_number == 1
    assert ubuntu.flags == ("SMP", "PREEMPT")
    assert ubuntu.smp and ubuntu.preempt and not ubuntu.preempt_rt
    assert ubuntu.extra == "Thu Sep 30 15:29:01 UTC 2021"
    assert ubuntu.date == datetime(2021, 9, 30, 15, 29, 1, tzinfo=timezone.utc)

    arch = parse_build_info(
        sample("rust-procfs-samples/sys_kernel_version.arch-style-rfc2822-date.txt")
    )
    assert (arch.build, arch.flags) == ("#1", ("SMP", "PREEMPT"))
    assert arch.extra == "Fri, 12 Nov 2021 19:22:10 +0000"
    assert arch.date == datetime(2021, 11, 12, 19, 22, 10, tzinfo=timezone.utc)

    debian = parse_build_info(sample("rust-procfs-samples/sys_kernel_version.debian-5.10.46-4.txt"))
    assert (debian.build, debian.flags) == ("#1", ("SMP",))
    assert debian.extra == "Debian 5.10.46-4 (2021-08-03)"
    assert debian.date is None
    assert debian.smp and not debian.preempt


def test_build_info_handmade() -> None:
    cut = parse_build_info(sample("handmade/sys_kernel_version.ubuntu-22.04-hwe-cut-at-64.txt"))
    assert cut.build == "#21~22.04.1-Ubuntu"
    assert cut.build_number == 21
    assert cut.flags == ("SMP", "PREEMPT_DYNAMIC")
    assert cut.extra == "Fri Feb  9 13:32:52 UTC 2"
    assert cut.date is None  # the year was cut off

    rt = parse_build_info(sample("handmade/sys_kernel_version.rhel-3.10-rt-two-words.txt"))
    assert rt.flags == ("SMP", "PREEMPT", "RT")
    assert rt.preempt_rt
    assert rt.date == datetime(2014, 6, 3, 9, 26, 18)  # EDT: naive, offset not taken on trust
    assert rt.date is not None and rt.date.tzinfo is None

    numeric = parse_build_info(
        sample("handmade/sys_kernel_version.6.12-preempt-rt-numeric-zone.txt")
    )
    assert numeric.flags == ("SMP", "PREEMPT_RT")
    assert numeric.preempt_rt and not numeric.preempt
    assert numeric.date == datetime(2025, 1, 2, 10, 0, tzinfo=timezone(timedelta(hours=3)))
    assert numeric.build_number == 3


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("Mon Jan  6 10:00:00 2025", datetime(2025, 1, 6, 10, 0)),
        ("Mon Jan 6 10:00:00 CET 2025", datetime(2025, 1, 6, 10, 0)),
        ("Mon Jan 6 10:00:00 GMT 2025", datetime(2025, 1, 6, 10, 0, tzinfo=timezone.utc)),
        (
            "Mon, 6 Jan 2025 10:00:00 -0530",
            datetime(2025, 1, 6, 10, 0, tzinfo=timezone(-timedelta(hours=5, minutes=30))),
        ),
        (
            "6 Jan 2025 10:00 +0100",
            datetime(2025, 1, 6, 10, 0, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("Mon Feb 30 10:00:00 UTC 2025", None),
        ("Mon Foo 6 10:00:00 UTC 2025", None),
        ("Mon Jan 6 25:00:00 UTC 2025", None),
        ("Mon Jan 6 10:00:00 utc+3 2025", None),
        ("2021-08-03", None),
        ("", None),
        ("@1700000000", None),
    ],
)
def test_build_dates(extra: str, expected: datetime | None) -> None:
    info = parse_build_info(f"#7 SMP {extra}\n".encode())
    assert info.extra == extra
    assert info.date == expected
    if expected is not None:
        assert info.date is not None and (info.date.tzinfo is None) == (expected.tzinfo is None)


def test_build_info_rejects_and_json() -> None:
    for bad in (b"", b"1 SMP Thu\n", b"#1\n#2\n"):
        with pytest.raises(ParseError):
            parse_build_info(bad)
    info = parse_build_info(b"#1 SMP PREEMPT Fri, 12 Nov 2021 19:22:10 +0000\n")
    assert json.loads(json.dumps(info.to_dict()))["date"] == "2021-11-12T19:22:10+00:00"


# -- sem, sysrq, file-nr, dentry-state ---------------------------------------------------


def test_semaphore_limits() -> None:
    limits = parse_semaphore_limits(sample("rust-procfs-samples/sys_kernel_sem.tab-separated.txt"))
    assert limits == SemaphoreLimits(32000, 1024000000, 500, 32000)
    assert limits.semopm == 500
    assert parse_semaphore_limits(b"250 32000 32 128\n") == SemaphoreLimits(250, 32000, 32, 128)
    for bad in (b"1\n", b"1 string 500 3200\n", b"1 2 3 4 5\n"):
        with pytest.raises(ParseError):
            parse_semaphore_limits(bad)


def test_sysrq() -> None:
    assert parse_sysrq(b"0\n") == SysRq(0, ())
    assert not parse_sysrq(b"0\n").enabled
    every = parse_sysrq(b"1\n")
    assert len(every.functions) == 8 and every.enabled and every.unknown_bits == 0
    # Ubuntu's default: 176 = 128 + 32 + 16
    assert parse_sysrq(sample("handmade/proc/sys/kernel/sysrq")).functions == (
        "sync_command",
        "remount_read_only",
        "reboot_poweroff",
    )
    # 438 = 256 + 128 + 32 + 16 + 4 + 2 (a common distribution default)
    assert parse_sysrq(b"438\n").functions == (
        "control_log_level",
        "control_keyboard",
        "sync_command",
        "remount_read_only",
        "reboot_poweroff",
        "nice_real_time_tasks",
    )
    odd = parse_sysrq(b"513\n")  # 512 + 1: no known function, two unknown bits
    assert odd.functions == () and odd.unknown_bits == 513
    with pytest.raises(ParseError):
        parse_sysrq(b"yes\n")


def test_file_nr_and_dentry_state_reject() -> None:
    for bad in (b"1 2\n", b"1 2 x\n", b""):
        with pytest.raises(ParseError):
            parse_file_nr(bad)
    with pytest.raises(ParseError):
        parse_dentry_state(b"1 2 3 4\n")


# -- binfmt_misc -----------------------------------------------------------------------


def test_binfmt_rust_samples() -> None:
    """The Rust crate's binfmt test, with its expected values."""
    qemu = parse_binfmt_entry(
        sample("rust-procfs-samples/binfmt_misc.qemu-riscv64-magic.txt"), "test"
    )
    assert qemu.enabled
    assert qemu.interpreter == "/usr/bin/qemu-riscv64-static"
    assert qemu.flags == "OCF"
    assert qemu.flag_names == ("open_binary", "credentials", "fix_binary")
    assert qemu.offset == 12
    assert qemu.magic is not None and qemu.mask is not None
    assert len(qemu.magic) == len(qemu.mask) == 20
    assert qemu.magic[:4] == b"\x7fELF"
    assert qemu.magic == bytes(
        [
            0x7F,
            0x45,
            0x4C,
            0x46,
            0x02,
            0x01,
            0x01,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0x02,
            0x00,
            0xF3,
            0x00,
        ]
    )
    assert qemu.extension is None
    assert qemu.name == "test"
    plain = qemu.to_dict()
    assert plain["magic"] == "7f454c460201010000000000000000000200f300"
    assert plain["mask"] == "ffffffffffffff00fffffffffffffffffeffffff"
    json.dumps(plain)

    hello = parse_binfmt_entry(sample("rust-procfs-samples/binfmt_misc.hello-extension.txt"))
    assert hello == BinfmtEntry(True, "/bin/hello", "", "hello", None, None, None)


def test_binfmt_handmade() -> None:
    python = parse_binfmt_entry(sample("handmade/binfmt_misc.python3.11-magic-no-mask.txt"))
    assert python == BinfmtEntry(True, "/usr/bin/python3.11", "", None, 0, b"\xa7\r\r\n", None)
    qemu = parse_binfmt_entry(sample("handmade/binfmt_misc.qemu-aarch64-disabled-POCF.txt"))
    assert not qemu.enabled
    assert qemu.flag_names == ("preserve_argv0", "open_binary", "credentials", "fix_binary")
    assert qemu.magic is not None and qemu.magic[18] == 0xB7  # EM_AARCH64
    old = parse_binfmt_entry(sample("handmade/binfmt_misc.linux-2.4-no-flags-line.txt"))
    assert old == BinfmtEntry(True, "/usr/bin/wine", "", "exe", None, None, None)
    # a line this parser does not know is kept
    new = parse_binfmt_entry(b"enabled\ninterpreter /x\nflags: I\nextension .y\ntimeout 5\n")
    assert new.extra == ("timeout 5",) and new.flag_names == ("I",)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"maybe\n",
        b"enabled\nflags: \nextension .y\n",
        b"enabled\ninterpreter /x\nflags: \n",
        b"enabled\ninterpreter /x\noffset 0\nmagic abc\n",
        b"enabled\ninterpreter /x\noffset 0\nmagic zz\n",
        b"enabled\ninterpreter /x\noffset 0\nmagic abcd\nmask ff\n",
        b"enabled\ninterpreter /x\nmagic abcd\n",
        b"enabled\ninterpreter /x\nextension y\n",
        b"enabled\ninterpreter /x\noffset x\nmagic ab\n",
    ],
)
def test_binfmt_rejects(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_binfmt_entry(data, "bad", path="/p/bad")
    assert info.value.path == "/p/bad"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"enabled",
                b"disabled",
                b"interpreter /usr/bin/x",
                b"flags: OCF",
                b"flags:",
                b"offset 12",
                b"offset -1",
                b"magic 7f45",
                b"mask ff00",
                b"mask",
                b"extension .exe",
                b"extension ",
                b"\xff\x00",
            ]
        ),
        max_size=8,
    ),
    st.binary(max_size=8),
)
def test_binfmt_only_parse_error(rows: list[bytes], noise: bytes) -> None:
    """parse_binfmt_entry is not registered (so not in test_fuzz): fuzz it here."""
    for data in (b"\n".join(rows) + b"\n", b"\n".join(rows) + noise):
        try:
            entry = parse_binfmt_entry(data)
        except ParseError:
            continue
        json.dumps(entry.to_dict())


def test_binfmt_status() -> None:
    assert parse_binfmt_status(sample("handmade/proc/sys/fs/binfmt_misc/status")) is True
    assert parse_binfmt_status(b"disabled\n") is False
    with pytest.raises(ParseError):
        parse_binfmt_status(b"on\n")


# -- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("kernel.pid_max", "sys/kernel/pid_max"),
        ("kernel/pid_max", "sys/kernel/pid_max"),
        ("/proc/sys/kernel/pid_max", "sys/kernel/pid_max"),
        (" vm.max_map_count ", "sys/vm/max_map_count"),
        ("net.ipv4.conf.eth0/100.forwarding", "sys/net/ipv4/conf/eth0.100/forwarding"),
        ("net/ipv4/conf/eth0.100/forwarding", "sys/net/ipv4/conf/eth0.100/forwarding"),
        ("fs.binfmt_misc.python3/11", "sys/fs/binfmt_misc/python3.11"),
    ],
)
def test_sysctl_path(name: str, path: str) -> None:
    assert live.sysctl_path(name) == path
    # and back: the dotted name, dots inside a component written as slashes
    assert live.sysctl_path(live.sysctl_name(path)) == path


@pytest.mark.parametrize(
    "name", ["", "kernel.", "kernel..pid_max", "../1/environ", "kernel/../../1"]
)
def test_sysctl_path_rejects(name: str) -> None:
    with pytest.raises(ValueError, match="invalid sysctl name"):
        live.sysctl_path(name)


# -- a fake root: writes, names with dots, binfmt ---------------------------------------------


def fake_root(tmp_path: Path) -> ProcFS:
    files = {
        "sys/vm/drop_caches": b"",
        "sys/vm/compact_memory": b"",
        "sys/kernel/sem": b"250\t32000\t32\t128\n",
        "sys/kernel/domainname": b"(none)\n",
        "sys/net/ipv4/conf/eth0.100/forwarding": b"1\n",
        "sys/net/ipv4/conf/eth0.100/rp_filter": b"2\n",
        "sys/net/ipv4/conf/lo/forwarding": b"0\n",
        "sys/fs/binfmt_misc/status": b"enabled\n",
        "sys/fs/binfmt_misc/register": b"",
        "sys/fs/binfmt_misc/qemu-aarch64": sample(
            "handmade/binfmt_misc.qemu-aarch64-disabled-POCF.txt"
        ),
        "sys/fs/binfmt_misc/python3.11": sample(
            "handmade/binfmt_misc.python3.11-magic-no-mask.txt"
        ),
    }
    for relative, data in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return ProcFS(tmp_path)


def test_writes_on_a_fake_root(tmp_path: Path) -> None:
    fs = fake_root(tmp_path)
    fs.drop_caches(1)
    assert (tmp_path / "sys/vm/drop_caches").read_bytes() == b"1\n"
    fs.drop_caches()
    assert (tmp_path / "sys/vm/drop_caches").read_bytes() == b"3\n"
    fs.compact_memory()
    assert (tmp_path / "sys/vm/compact_memory").read_bytes() == b"1\n"
    assert fs.sysctl("kernel.sem", [1, 2, 3, 4]) is None
    assert (tmp_path / "sys/kernel/sem").read_bytes() == b"1\t2\t3\t4\n"
    assert fs.sem() == SemaphoreLimits(1, 2, 3, 4)
    fs.sysctl("net.ipv4.conf.lo.forwarding", True)
    assert (tmp_path / "sys/net/ipv4/conf/lo/forwarding").read_bytes() == b"1\n"
    fs.sysctl("kernel.domainname", "example.org")  # shorter than before: truncated
    assert (tmp_path / "sys/kernel/domainname").read_bytes() == b"example.org\n"
    fs.sysctl("kernel.domainname", b"raw\n")
    assert fs.sysctl("kernel.domainname") == "raw"
    with pytest.raises(NotFoundError):
        fs.sysctl("kernel.no_such_thing", 1)
    assert not (tmp_path / "sys/kernel/no_such_thing").exists()  # never created
    with pytest.raises(TypeError):
        fs.sysctl("kernel.sem", [1, "2"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        fs.drop_caches("3")  # type: ignore[arg-type]


def test_dotted_interface_names_on_a_fake_root(tmp_path: Path) -> None:
    fs = fake_root(tmp_path)
    assert fs.sysctl("net/ipv4/conf/eth0.100/forwarding") == 1
    assert fs.sysctl("net.ipv4.conf.eth0/100.rp_filter") == 2
    with pytest.raises(NotFoundError):
        fs.sysctl("net.ipv4.conf.eth0.100.forwarding")  # the dotted form cannot say it
    assert fs.sysctl_names("net.ipv4.conf") == [
        "net.ipv4.conf.eth0/100.forwarding",
        "net.ipv4.conf.eth0/100.rp_filter",
        "net.ipv4.conf.lo.forwarding",
    ]
    assert fs.sysctl_names("net/ipv4/conf/eth0.100")[0] == "net.ipv4.conf.eth0/100.forwarding"
    for name in fs.sysctl_names("net"):
        assert isinstance(fs.sysctl(name), int)
    assert fs.sysctl_names("kernel.sem") == ["kernel.sem"]
    with pytest.raises(NotFoundError):
        fs.sysctl_names("kernel.nope")


def test_binfmt_on_a_fake_root(tmp_path: Path) -> None:
    fs = fake_root(tmp_path)
    entries = fs.binfmt_misc()
    assert [e.name for e in entries] == ["python3.11", "qemu-aarch64"]
    assert entries[1].flags == "POCF" and not entries[1].enabled
    assert fs.binfmt_misc_enabled() is True
    # the dotted name of an entry with a dot in it
    entry = fs.sysctl("fs.binfmt_misc.python3/11")
    assert isinstance(entry, BinfmtEntry) and entry.name == "python3.11"
    assert ProcFS(tmp_path / "sys").binfmt_misc() == []  # not mounted there


def test_directory_is_not_a_value(tmp_path: Path) -> None:
    with pytest.raises(ProcError, match="directory"):
        fake_root(tmp_path).sysctl("net.ipv4")


# -- the live system -----------------------------------------------------------------------------


def raw(name: str) -> str:
    with open("/proc/sys/" + name.replace(".", "/"), "rb") as f:
        return f.read().decode()


def test_live_pid_max() -> None:
    assert procfs.sysctl("kernel.pid_max") == int(raw("kernel.pid_max"))
    assert (
        procfs.pid_max()
        == procfs.sysctl("kernel/pid_max")
        == procfs.sysctl("/proc/sys/kernel/pid_max")
    )
    assert ProcFS("/proc").pid_max() == procfs.pid_max()


def test_live_uname() -> None:
    uname = os.uname()
    assert procfs.kernel_version() == KernelVersion.from_str(uname.release)
    assert str(procfs.sysctl("kernel.osrelease")) == uname.release
    assert procfs.ostype() == uname.sysname
    assert procfs.sysctl("kernel.hostname") == socket.gethostname()
    info = procfs.kernel_build()
    # uname -v is the same string, read through uname(2)
    assert " ".join([info.build, *info.flags, info.extra]).split() == uname.version.split()
    assert info.smp == ("SMP" in uname.version.split())
    assert info.preempt == ("PREEMPT" in uname.version.split())
    assert info.preempt_dynamic == ("PREEMPT_DYNAMIC" in uname.version.split())


def test_live_random() -> None:
    first, second = procfs.boot_id(), procfs.boot_id()
    assert first == second
    assert procfs.random_uuid() != procfs.random_uuid()
    assert procfs.random_uuid() != first
    assert 0 <= procfs.entropy_avail() <= procfs.poolsize()


def test_live_file_nr() -> None:
    state = procfs.file_nr()
    assert state.allocated >= len(open_fds())
    assert state.max == procfs.file_max()
    assert state.free >= 0


@needs_sysctl
@pytest.mark.parametrize(
    "name",
    [
        "kernel.pid_max",
        "kernel.threads-max",
        "kernel.shmmni",
        "kernel.shmmax",
        "kernel.shmall",
        "kernel.ostype",
        "kernel.domainname",
        "kernel.random.boot_id",
        "kernel.random.poolsize",
        "kernel.keys.maxkeys",
        "kernel.keys.maxbytes",
        "kernel.keys.root_maxkeys",
        "kernel.keys.root_maxbytes",
        "kernel.keys.gc_delay",
        "kernel.keys.persistent_keyring_expiry",
        "vm.admin_reserve_kbytes",
        "vm.max_map_count",
        "fs.file-max",
        "fs.epoll.max_user_watches",
        "net.ipv4.ip_local_port_range",
        "kernel.sem",
        "kernel.printk",
    ],
)
def test_live_matches_procps(name: str) -> None:
    try:
        theirs = sysctl_n(name)
    except subprocess.CalledProcessError:
        pytest.skip(f"{name} not on this kernel")
    ours = procfs.sysctl(name)
    if isinstance(ours, SemaphoreLimits):
        ours = list(ours._astuple())
    if isinstance(ours, list):
        assert [int(t) for t in theirs.split()] == ours
    else:
        assert str(ours) == theirs


@needs_sysctl
def test_live_typed_helpers_match_procps() -> None:
    helpers = {
        "kernel.threads-max": procfs.threads_max,
        "kernel.shmall": procfs.shmall,
        "kernel.shmmax": procfs.shmmax,
        "kernel.shmmni": procfs.shmmni,
        "kernel.random.write_wakeup_threshold": procfs.write_wakeup_threshold,
        "kernel.random.urandom_min_reseed_secs": procfs.urandom_min_reseed_secs,
        "kernel.keys.maxkeys": procfs.keys_maxkeys,
        "kernel.keys.maxbytes": procfs.keys_maxbytes,
        "kernel.keys.root_maxkeys": procfs.keys_root_maxkeys,
        "kernel.keys.root_maxbytes": procfs.keys_root_maxbytes,
        "kernel.keys.gc_delay": procfs.keys_gc_delay,
        "kernel.keys.persistent_keyring_expiry": procfs.keys_persistent_keyring_expiry,
        "vm.admin_reserve_kbytes": procfs.admin_reserve_kbytes,
        "vm.max_map_count": procfs.max_map_count,
        "fs.epoll.max_user_watches": procfs.epoll_max_user_watches,
    }
    checked = 0
    for name, helper in helpers.items():
        if not os.path.exists("/proc/sys/" + name.replace(".", "/")):
            continue
        assert helper() == int(sysctl_n(name)), name
        checked += 1
    assert checked >= 10
    state = procfs.dentry_state()
    theirs = [int(t) for t in sysctl_n("fs.dentry-state").split()]
    assert len(theirs) == 6 and state.age_limit == theirs[2]


@needs_sysctl
def test_sysctl_names_match_procps() -> None:
    assert SYSCTL is not None
    theirs = set(
        subprocess.run([SYSCTL, "-a", "-N"], capture_output=True, text=True).stdout.split()
    )
    ours = procfs.sysctl_names()
    assert ours == sorted(ours)
    assert theirs <= set(ours)
    for name in set(ours) - theirs:
        # procps leaves out what it cannot read and a few deprecated names
        mode = os.stat("/proc/sys/" + live.sysctl_path(name)[4:]).st_mode
        assert not mode & 0o444 or name.rsplit(".", 1)[-1] in (
            "base_reachable_time",
            "retrans_time",
        ), name
    assert procfs.sysctl_names("kernel.random") == sorted(
        n for n in ours if n.startswith("kernel.random.")
    )
    assert procfs.sysctl_names("kernel.pid_max") == ["kernel.pid_max"]


@pytest.mark.skipif(IPCS is None, reason="ipcs (util-linux) is not installed")
def test_sem_and_shm_match_ipcs() -> None:
    assert IPCS is not None
    text = subprocess.run([IPCS, "-l"], capture_output=True, text=True, check=True).stdout
    values = {}
    for line in text.splitlines():
        key, eq, value = line.rpartition("=")
        if eq:
            values[key.strip()] = int(value)
    sem = procfs.sem()
    assert sem.semmni == values["max number of arrays"]
    assert sem.semmsl == values["max semaphores per array"]
    assert sem.semmns == values["max semaphores system wide"]
    assert sem.semopm == values["max ops per semop call"]
    assert procfs.shmmni() == values["max number of segments"]
    assert procfs.shmmax() // 1024 == values["max seg size (kbytes)"]


def test_live_errors() -> None:
    with pytest.raises(NotFoundError, match="no_such_sysctl"):
        procfs.sysctl("kernel.no_such_sysctl")
    with pytest.raises(ProcError, match="directory"):
        procfs.sysctl("kernel.random")
    if os.path.exists("/proc/sys/vm/compact_memory"):
        with pytest.raises(PermissionDeniedError):
            procfs.sysctl("vm.compact_memory")  # write-only, even for root


def test_live_binfmt_misc() -> None:
    if not os.path.exists("/proc/sys/fs/binfmt_misc/status"):
        assert procfs.binfmt_misc() == []
        pytest.skip("binfmt_misc is not mounted")
    assert procfs.binfmt_misc_enabled() == (raw("fs.binfmt_misc.status").strip() == "enabled")
    names = sorted(set(os.listdir("/proc/sys/fs/binfmt_misc")) - {"status", "register"})
    entries = procfs.binfmt_misc()
    assert [e.name for e in entries] == names
    for entry in entries:
        assert entry.interpreter
        assert (entry.extension is None) != (entry.magic is None)


@needs_root
def test_live_write_and_restore() -> None:
    before = raw("kernel.domainname")
    try:
        assert procfs.sysctl("kernel.domainname", "pyprocfs-test.invalid") is None
        assert raw("kernel.domainname") == "pyprocfs-test.invalid\n"
        if SYSCTL is not None:
            assert sysctl_n("kernel.domainname") == "pyprocfs-test.invalid"
        assert procfs.sysctl("kernel.domainname") == "pyprocfs-test.invalid"
    finally:
        with open("/proc/sys/kernel/domainname", "w") as f:
            f.write(before)
    assert raw("kernel.domainname") == before
    # a vector written back unchanged goes out tab-separated and is taken
    sem = procfs.sem()
    procfs.sysctl("kernel.sem", [sem.semmsl, sem.semmns, sem.semopm, sem.semmni])
    assert procfs.sem() == sem


@needs_root
def test_live_write_refused() -> None:
    before = raw("kernel.pid_max")
    with pytest.raises(ProcError, match="EINVAL") as info:
        procfs.sysctl("kernel.pid_max", "not-a-number")  # one field: the kernel judges it
    assert not isinstance(info.value, (NotFoundError, PermissionDeniedError))
    with pytest.raises(ValueError, match="is 2 values"):
        # refused before it is written (the kernel would set the first, the current value)
        procfs.sysctl("kernel.pid_max", f"{before.strip()} 99")
    with pytest.raises(ProcError, match="refused"):
        procfs.sysctl("kernel.pid_max", 1)  # below the kernel's minimum (RESERVED_PIDS + 1)
    assert raw("kernel.pid_max") == before
    with pytest.raises(PermissionDeniedError):
        procfs.sysctl("kernel.osrelease", "9.9.9")  # read-only, even for root
    with pytest.raises(NotFoundError):
        procfs.sysctl("kernel.no_such_sysctl", 1)


@needs_root
def test_write_as_nobody_is_denied() -> None:
    def attempt() -> object:
        try:
            procfs.sysctl("kernel.domainname", "nobody-was-here")
        except PermissionDeniedError as exc:
            return ("denied", str(exc))
        return "written"

    before = raw("kernel.domainname")
    result = run_as(NOBODY, NOBODY, attempt)
    assert raw("kernel.domainname") == before
    assert isinstance(result, tuple) and result[0] == "denied"
    assert "kernel.domainname" in result[1]
    # reading needs no privilege
    assert run_as(NOBODY, NOBODY, lambda: procfs.pid_max()) == procfs.pid_max()
