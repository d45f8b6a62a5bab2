"""/proc/modules: hand-written files (this machine loads no modules), and the live file if any."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from procfs import NotFoundError, ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.modules import Module, parse_modules
from tests.conftest import SAMPLES, sample


def test_registered() -> None:
    assert PARSERS["modules"] is parse_modules


def test_hand_written_6x_as_root() -> None:
    mods = {m.name: m for m in ProcFS(SAMPLES / "handmade" / "proc").modules()}
    assert len(mods) == 14
    # "nvidia 56131584 391 nvidia_uvm,nvidia_modeset, Live 0xffffffffc0c00000 (POE)"
    assert mods["nvidia"] == Module(
        "nvidia",
        56131584,
        391,
        ["nvidia_uvm", "nvidia_modeset"],
        False,
        "Live",
        0xFFFFFFFFC0C00000,
        "POE",
    )
    assert mods["nvidia_uvm"].dependencies == [] and mods["nvidia_uvm"].refcount == 0
    # Loading and tainted: the state shows in the flags as "+".
    assert (mods["vboxdrv"].state, mods["vboxdrv"].taints) == ("Loading", "OE+")
    assert (mods["dummy"].state, mods["dummy"].taints) == ("Unloading", None)
    assert mods["libcrc32c"].dependencies == ["nf_nat", "nf_conntrack", "btrfs"]
    # "[permanent]," marks a module without an exit function; it is not a user.
    assert mods["crc64_rocksoft"].permanent is True
    assert mods["crc64_rocksoft"].dependencies == []
    assert mods["x_tables"].to_dict() == {
        "name": "x_tables",
        "size": 53248,
        "refcount": 1,
        "dependencies": ["ip_tables"],
        "permanent": False,
        "state": "Live",
        "address": 0xFFFFFFFFC09F5000,
        "taints": None,
    }


def test_without_module_unload_and_hidden_addresses() -> None:
    mods = parse_modules(sample("handmade/modules.no-module-unload.txt"))
    # "ext4 782336 - - Live 0x0000000000000000": no reference count, no users tracked.
    assert mods[0] == Module("ext4", 782336, None, None, False, "Live", 0)
    assert all(m.refcount is None and m.dependencies is None for m in mods)
    assert mods[-1].taints == "E"


def test_linux_2_6_18_i686() -> None:
    mods = parse_modules(sample("handmade/modules.linux-2.6.18-i686.txt"))
    assert len(mods) == 12
    assert mods[0] == Module("autofs4", 24517, 2, [], False, "Live", 0xF8A4E000)
    by_name = {m.name: m for m in mods}
    assert by_name["bluetooth"].dependencies == ["hidp", "rfcomm", "l2cap"]
    assert by_name["usbcore"].refcount == 4
    # Every user listed for a module is itself loaded.
    for mod in mods:
        assert set(mod.dependencies or []) <= set(by_name)


def test_empty_file() -> None:
    assert parse_modules(b"") == []


@pytest.mark.parametrize(
    "data",
    [
        b"\n",
        b"ext4 782336 1 - Live\n",
        b"ext4 782336 1 - Live 0xffff (OE) extra\n",
        b"ext4 782336 1 - Live ffffffffc0200000\n",
        b"ext4 782336 1 - Live 0xffffffffc0200000 OE\n",
        b"ext4 782336 1 - Live 0xffffffffc0200000 (\n",
        b"ext4 big 1 - Live 0xffffffffc0200000\n",
        b"ext4 782336 1 jbd2 Live 0xffffffffc0200000\n",
        b"ext4 782336 1 jbd2,,mbcache, Live 0xffffffffc0200000\n",
        b"ext4 782336 - jbd2, Live 0xffffffffc0200000\n",
        b"ext4 782336 1 - Live 0xzz\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_modules(data)


def _live_modules() -> list[Module]:
    try:
        mods = ProcFS().modules()
    except NotFoundError:
        pytest.skip("no /proc/modules: kernel built without CONFIG_MODULES")
    if not mods:
        pytest.skip("no module loaded on this machine")
    return mods


def test_live_against_sys_module() -> None:
    for mod in _live_modules():
        base = f"/sys/module/{mod.name}"
        if mod.refcount is not None and os.path.exists(f"{base}/refcnt"):
            with open(f"{base}/refcnt") as f:
                assert abs(int(f.read()) - mod.refcount) <= 2
        holders = f"{base}/holders"
        if mod.dependencies is not None and os.path.isdir(holders):
            assert set(mod.dependencies) == set(os.listdir(holders))


def test_live_against_lsmod() -> None:
    mods = {m.name: m for m in _live_modules()}
    if shutil.which("lsmod") is None:
        pytest.skip("lsmod (kmod) is not installed")
    out = subprocess.run(["lsmod"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines()[1:]:
        fields = line.split()
        name, size = fields[0], int(fields[1])
        if name in mods:
            assert mods[name].size == size
