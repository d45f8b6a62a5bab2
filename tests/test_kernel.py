"""Kernel versions: parsing release strings, ordering, and the live kernel."""

from __future__ import annotations

import os
import re

import pytest

import procfs
from procfs import KernelVersion, ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.kernel import parse_osrelease
from tests.conftest import sample


def test_registered() -> None:
    assert PARSERS["sys/kernel/osrelease"] is parse_osrelease


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sys_kernel_osrelease.vendor-metal1-4.9.266-issue136.txt", (4, 9, 266)),
        ("sys_kernel_osrelease.gentoo-4.9.16.txt", (4, 9, 16)),
        ("sys_kernel_osrelease.debian-3.16.0-6-amd64.txt", (3, 16, 0)),
        ("sys_kernel_osrelease.underscore-suffix.txt", (3, 16, 0)),
    ],
)
def test_rust_crate_samples(name: str, expected: tuple[int, int, int]) -> None:
    data = sample(f"rust-procfs-samples/{name}")
    version = parse_osrelease(data)
    assert version.triple == expected
    assert version.release == data.decode().strip()


@pytest.mark.parametrize(
    ("release", "expected"),
    [
        ("4.9.266-0.1.ac.225.84.332.metal1.x86_64", (4, 9, 266)),
        ("3.16.0-6-amd64", (3, 16, 0)),
        ("4.9.16-gentoo", (4, 9, 16)),
        ("3.16.0_1", (3, 16, 0)),
        ("5.10", (5, 10, 0)),
        ("6.18.44-fc-v669", (6, 18, 44)),
        ("2.6.32-754.el6.x86_64", (2, 6, 32)),
        ("2.6.32.59-0.7-default", (2, 6, 32)),
        ("6.9.0-rc3+", (6, 9, 0)),
        ("5.4.0.\n", (5, 4, 0)),
    ],
)
def test_from_str(release: str, expected: tuple[int, int, int]) -> None:
    version = KernelVersion.from_str(release)
    assert (version.major, version.minor, version.patch) == expected
    assert version.release == release.strip()
    assert str(version) == release.strip()


@pytest.mark.parametrize("release", ["", "linux", "5", "5.", "5..1", ".5.1", "v5.4.0"])
def test_not_a_release(release: str) -> None:
    with pytest.raises(ParseError):
        KernelVersion.from_str(release)


def test_bad_file() -> None:
    with pytest.raises(ParseError):
        parse_osrelease(b"5.4.0\n6.1.0\n")
    with pytest.raises(ParseError):
        parse_osrelease(b"\xff\xfe")


def test_equality_ignores_the_release_string() -> None:
    assert KernelVersion.from_str("3.16.0-6-amd64") == KernelVersion(3, 16, 0)
    assert hash(KernelVersion.from_str("3.16.0-6-amd64")) == hash(KernelVersion(3, 16, 0))
    assert KernelVersion(3, 16, 0) != KernelVersion(3, 16, 1)
    assert KernelVersion(3, 16, 0) != (3, 16, 0)
    assert str(KernelVersion(3, 16, 0)) == "3.16.0"


def test_ordering_uses_the_numbers_only() -> None:
    a = KernelVersion(5, 4, 0, "5.4.0-zzz")
    b = KernelVersion(5, 4, 0, "5.4.0-aaa")
    # Plain tuple ordering would compare the release strings here.
    assert not a < b and not b < a
    assert a <= b and b <= a and a >= b
    assert KernelVersion(4, 9, 266) > KernelVersion(4, 9, 16)
    assert KernelVersion(4, 10, 0) > KernelVersion(4, 9, 266)
    assert KernelVersion(5, 0, 0, "5.0.0-z") < KernelVersion(5, 0, 1, "5.0.1-a")
    releases = ["4.9.266-x", "3.16.0_1", "5.10", "4.9.16-gentoo", "2.6.32-754.el6.x86_64"]
    ordered = sorted(KernelVersion.from_str(r) for r in releases)
    assert [v.release for v in ordered] == [
        "2.6.32-754.el6.x86_64",
        "3.16.0_1",
        "4.9.16-gentoo",
        "4.9.266-x",
        "5.10",
    ]
    assert max(KernelVersion.from_str(r) for r in releases).release == "5.10"


def test_ordering_against_tuples() -> None:
    version = KernelVersion(6, 1, 12)
    assert version >= (5, 4)
    assert version > (6, 1)
    assert version < (6, 2)
    assert version <= (6, 1, 12)
    assert not version < (6, 1, 12)
    with pytest.raises(TypeError):
        _ = version < "6.2"  # type: ignore[operator]


def test_to_dict() -> None:
    assert KernelVersion.from_str("4.9.16-gentoo").to_dict() == {
        "major": 4,
        "minor": 9,
        "patch": 16,
        "release": "4.9.16-gentoo",
    }


def test_live_against_uname() -> None:
    release = os.uname().release
    version = procfs.kernel_version()
    assert version.release == release
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", release)
    assert match is not None
    assert version.triple == (int(match[1]), int(match[2]), int(match[3] or 0))
    assert ProcFS().kernel_version() == version
