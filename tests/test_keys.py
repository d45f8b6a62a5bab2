"""/proc/keys and /proc/key-users: the crate's field samples, captures, and a key made here."""

from __future__ import annotations

import ctypes
import os
import platform
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.keys import (
    KEY_READ,
    KEY_SEARCH,
    KEY_VIEW,
    Key,
    KeyFlags,
    KeyUser,
    parse_key_flags,
    parse_key_timeout,
    parse_key_users,
    parse_keys,
)
from tests.conftest import SAMPLES, sample


def test_registered() -> None:
    assert PARSERS["keys"] is parse_keys
    assert PARSERS["key-users"] is parse_key_users


def test_rust_crate_flags() -> None:
    # The crate's expectations: INSTANTIATED; INSTANTIATED|REVOKED; all seven flags.
    flags = [
        parse_key_flags(line)
        for line in sample("rust-procfs-samples/keys_flags_field.fragments.txt").splitlines()
    ]
    assert flags == [KeyFlags.INSTANTIATED, KeyFlags.INSTANTIATED | KeyFlags.REVOKED, 0x7F]
    assert flags[0].instantiated and not flags[0].revoked
    assert flags[1].names() == ["INSTANTIATED", "REVOKED"]
    every = flags[2]
    assert (every.dead, every.quota, every.under_construction) == (True, True, True)
    assert (every.negative, every.invalidated) == (True, True)
    assert repr(flags[1]) == "KeyFlags(INSTANTIATED|REVOKED)"


def test_rust_crate_timeouts() -> None:
    # perm, expd, then 1209600 s written as 2w, 14d, 336h, 20160m and 1209600s.
    lines = sample("rust-procfs-samples/keys_timeout_field.fragments.txt").splitlines()
    assert [parse_key_timeout(line) for line in lines] == [None, 0] + [1209600] * 5


@pytest.mark.parametrize("token", [b"", b"3", b"3y", b"w", b"-3s", b"perma"])
def test_bad_timeout(token: bytes) -> None:
    with pytest.raises(ParseError):
        parse_key_timeout(token)


@pytest.mark.parametrize("token", [b"I-------", b"X------", b"RI"])
def test_bad_flags(token: bytes) -> None:
    with pytest.raises(ParseError):
        parse_key_flags(token)


def test_handmade_keys() -> None:
    keys = parse_keys(sample("handmade/proc/keys"))
    assert [key.id for key in keys] == [
        0x0F8E04D9,
        0x1B3A2C9D,
        0x2A0D7E11,
        0x30C4F1A2,
        0x3C9B8E77,
        0x00B7C3D1,
    ]
    ses, agent, cifs, short, negative, asymmetric = keys
    assert ses == Key(
        0x0F8E04D9, KeyFlags(0x09), 4, None, 0x3F030000, 1000, 1000, "keyring", "_ses: 1"
    )
    assert ses.permanent and not ses.expired
    # 5d, 3h, 10m, 30s in seconds
    assert [k.timeout for k in (agent, cifs, short, negative)] == [432000, 10800, 600, 30]
    assert agent.description == "ssh:agent token: 32"  # spaces in a description are kept
    assert cifs.key_type == "logon"
    assert cifs.description == "cifs:a:192.168.1.10: 9"
    # 3d010000: possessor all but read; owner may only view
    assert cifs.possessor_permissions == 0x3D and not cifs.possessor_permissions & KEY_READ
    assert cifs.user_permissions == KEY_VIEW
    assert (cifs.group_permissions, cifs.other_permissions) == (0, 0)
    assert negative.flags.negative and negative.flags.quota
    assert negative.description == "dns:negative"
    # the kernel cuts the type to 9 characters; gid -1 is "no group"
    assert asymmetric.key_type == "asymmetri"
    assert asymmetric.gid is None
    assert asymmetric.flags == KeyFlags.INSTANTIATED
    assert asymmetric.description.endswith("X509.rsa 0b5f8a2e []")
    assert asymmetric.to_dict()["flags"] == 1
    assert asymmetric.to_dict()["gid"] is None


def test_dev_machine_keys() -> None:
    keys = {key.description: key for key in ProcFS(str(SAMPLES / "dev-machine/proc")).keys()}  # noqa: SIM118
    timed = keys["pyprocfs:timed: 10"]
    # captured right after KEYCTL_SET_TIMEOUT 7300 s: printed "2h"
    assert timed.timeout == 7200
    assert timed.key_type == "logon"
    revoked = keys["pyprocfs:revoked: 0"]
    assert revoked.flags.revoked and revoked.expired  # revoking sets the expiry to now
    assert keys["_uid.0: empty"].usage == 2
    assert keys["_uid.0: empty"].gid == 65534
    assert keys[".blacklist: empty"].permissions == 0x0F0B0000


def test_key_users_samples() -> None:
    users = parse_key_users(sample("handmade/proc/key-users"))
    assert users == {
        0: KeyUser(0, 11, 10, 10, 5, 1000000, 71, 25000000),
        1000: KeyUser(1000, 5, 4, 4, 4, 200, 44, 20000),
    }
    assert users[1000].to_dict() == {
        "uid": 1000,
        "usage": 5,
        "nkeys": 4,
        "nikeys": 4,
        "qnkeys": 4,
        "maxkeys": 200,
        "qnbytes": 44,
        "maxbytes": 20000,
    }
    captured = ProcFS(str(SAMPLES / "dev-machine/proc")).key_users()
    assert captured == {0: KeyUser(0, 13, 12, 12, 7, 1000000, 121, 25000000)}


@pytest.mark.parametrize(
    "data",
    [
        b"0f8e04d9 I--Q---     4 perm 3f030000  1000  1000\n",
        b"zz8e04d9 I--Q---     4 perm 3f030000  1000  1000 keyring   _ses: 1\n",
        b"0f8e04d9 I--Q---     4 perm 3f030000  1000  1000 keyring   _ses: 1\n"
        b"0f8e04d9 I--Q---     4 soon 3f030000  1000  1000 keyring   _ses: 1\n",
    ],
)
def test_bad_keys(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_keys(data)
    assert info.value.lineno is not None


@pytest.mark.parametrize(
    "data",
    [b"    0     9 8/8 3/1000000 40/25000000\n", b"    0:     9 8 3/1000000 40/25000000\n"],
)
def test_bad_key_users(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_key_users(data)


# -- live: a key made here, found in /proc/keys -------------------------------

_SYSCALLS = {"x86_64": (248, 250), "aarch64": (217, 219), "riscv64": (217, 219), "i686": (286, 288)}
_KEY_SPEC_SESSION_KEYRING = -3
_KEYCTL_SET_TIMEOUT = 15
_KEYCTL_INVALIDATE = 21


@contextmanager
def _user_key(description: bytes, payload: bytes) -> Iterator[int]:
    """A ``user`` key in the session keyring, with a 3-hour timeout; invalidated after."""
    numbers = _SYSCALLS.get(platform.machine())
    if numbers is None:
        pytest.skip(f"add_key syscall number unknown on {platform.machine()}")
    add_key, keyctl = numbers
    libc = ctypes.CDLL(None, use_errno=True)
    serial = libc.syscall(
        add_key,
        b"user",
        description,
        payload,
        ctypes.c_size_t(len(payload)),
        ctypes.c_int(_KEY_SPEC_SESSION_KEYRING),
    )
    if serial < 0:
        pytest.skip(f"add_key failed: {os.strerror(ctypes.get_errno())}")
    try:
        assert libc.syscall(keyctl, _KEYCTL_SET_TIMEOUT, serial, ctypes.c_uint(3 * 3600)) == 0
        yield serial
    finally:
        libc.syscall(keyctl, _KEYCTL_INVALIDATE, serial)


def test_live_key_made_here() -> None:
    if not os.path.exists("/proc/keys"):
        pytest.skip("/proc/keys missing (CONFIG_KEYS off)")
    description = f"pyprocfs:test:{os.getpid()}"
    with _user_key(description.encode(), b"hello world") as serial:
        keys = {key.id: key for key in ProcFS().keys()}  # noqa: SIM118
        assert serial in keys
        key = keys[serial]
        assert key.key_type == "user"
        assert key.description == f"{description}: 11"  # user keys show the payload size
        assert key.uid == os.getuid()
        assert key.flags.instantiated and not key.flags.revoked
        assert key.timeout is not None and 2 * 3600 <= key.timeout <= 3 * 3600
        # the default permissions of a user key: all for the possessor, view for the owner
        assert key.possessor_permissions & (KEY_VIEW | KEY_READ | KEY_SEARCH) == 0x0B
        assert key.user_permissions & KEY_VIEW
        users = ProcFS().key_users()
        assert users[os.getuid()].nkeys >= 1
        assert users[os.getuid()].qnbytes >= 11
        keyctl = shutil.which("keyctl")
        if keyctl:
            # "type;uid;gid;perm;description", an independent view of the same key
            out = subprocess.run(
                [keyctl, "rdescribe", str(serial)], capture_output=True, text=True, check=True
            ).stdout.strip()
            key_type, uid, gid, perm, desc = out.split(";", 4)
            assert (key_type, int(uid), int(perm, 16), desc) == (
                "user",
                key.uid,
                key.permissions,
                description,
            )
            assert key.gid == int(gid)
