"""/proc/version: banners of several kernels and distributions, and the live file against uname."""

from __future__ import annotations

import os

import pytest

import procfs
from procfs import KernelVersion, ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.version import KernelVersionInfo, parse_version
from tests.conftest import SAMPLES


def test_registered() -> None:
    assert PARSERS["version"] is parse_version


def test_dev_machine_capture() -> None:
    info = ProcFS(SAMPLES / "dev-machine" / "proc").kernel_version_info()
    assert info == KernelVersionInfo(
        "Linux",
        "6.18.44-fc-v669",
        "builder",
        "sandboxing",
        "gcc (GCC) 15.3.0, GNU ld (GNU Binutils) 2.46",
        "#1 SMP PREEMPT_DYNAMIC @0",
    )
    assert info.kernel_version == KernelVersion(6, 18, 44)
    assert info.to_dict()["build_host"] == "sandboxing"


# Hand-written from the banners these kernels print (init/version.c), expected values by hand.
BANNERS = [
    (
        # Before 5.8: "gcc version", nested parentheses, a space before the closing one.
        b"Linux version 3.16.0-6-amd64 (debian-kernel@lists.debian.org) (gcc version 4.9.2"
        b" (Debian 4.9.2-10+deb8u1) ) #1 SMP Debian 3.16.56-1+deb8u1 (2018-05-08)\n",
        KernelVersionInfo(
            "Linux",
            "3.16.0-6-amd64",
            "debian-kernel",
            "lists.debian.org",
            "gcc version 4.9.2 (Debian 4.9.2-10+deb8u1)",
            "#1 SMP Debian 3.16.56-1+deb8u1 (2018-05-08)",
        ),
    ),
    (
        b"Linux version 2.6.18-194.el5 (mockbuild@builder10.centos.org) (gcc version 4.1.2"
        b" 20080704 (Red Hat 4.1.2-48)) #1 SMP Fri Apr 2 14:58:14 EDT 2010\n",
        KernelVersionInfo(
            "Linux",
            "2.6.18-194.el5",
            "mockbuild",
            "builder10.centos.org",
            "gcc version 4.1.2 20080704 (Red Hat 4.1.2-48)",
            "#1 SMP Fri Apr 2 14:58:14 EDT 2010",
        ),
    ),
    (
        b"Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) (gcc (Ubuntu"
        b" 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38)"
        b" #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023\n",
        KernelVersionInfo(
            "Linux",
            "5.15.0-91-generic",
            "buildd",
            "lcy02-amd64-045",
            "gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38",
            "#101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023",
        ),
    ),
    (
        # An emulation without the two groups (gVisor's banner).
        b"Linux version 4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016\n",
        KernelVersionInfo(
            "Linux", "4.4.0", None, None, None, "#1 SMP Sun Jan 10 15:06:54 PST 2016"
        ),
    ),
    (
        # A compiler group without a builder group.
        b"Linux version 6.1.0 (clang version 16.0.6) #1 SMP\n",
        KernelVersionInfo("Linux", "6.1.0", None, None, "clang version 16.0.6", "#1 SMP"),
    ),
]


@pytest.mark.parametrize(("data", "expected"), BANNERS)
def test_banners(data: bytes, expected: KernelVersionInfo) -> None:
    assert parse_version(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n",
        b"Linux\n",
        b"Linux version\n",
        b"Linux release 6.1.0 #1\n",
        b"Linux version 6.1.0 (user@host (gcc) #1\n",
        b"Linux version 6.1.0 #1\nLinux version 6.1.0 #1\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_version(data)


def test_live_against_uname() -> None:
    info = ProcFS().kernel_version_info()
    uname = os.uname()
    assert info.sysname == uname.sysname
    assert info.release == uname.release
    assert info.version == uname.version
    assert info.kernel_version == procfs.kernel_version()
