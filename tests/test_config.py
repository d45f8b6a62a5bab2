"""Kernel configuration: text and gzip forms, value kinds, and the live kernel."""

from __future__ import annotations

import gzip
import os

import pytest

from procfs import NotFoundError, ParseError, ProcFS, system
from procfs.core import PARSERS
from procfs.core.config import BUILTIN, MODULE, ConfigValue, parse_config, parse_config_text
from tests.conftest import sample

CONFIG = "handmade/config.x86-6.1-excerpt.txt"


def test_registered() -> None:
    assert PARSERS["config.gz"] is parse_config


def test_text() -> None:
    cfg = parse_config_text(sample(CONFIG))
    assert sorted(cfg) == [
        "CONFIG_CC_VERSION_TEXT",
        "CONFIG_CMDLINE",
        "CONFIG_DEFAULT_HOSTNAME",
        "CONFIG_EXT4_FS",
        "CONFIG_HZ",
        "CONFIG_HZ_250",
        "CONFIG_MAGIC_TEXT",
        "CONFIG_PHYSICAL_START",
        "CONFIG_SMP",
    ]
    assert "CONFIG_DEBUG_KERNEL" not in cfg  # "is not set" lines are omitted
    smp = cfg["CONFIG_SMP"]
    assert smp is BUILTIN and smp.is_builtin and smp.is_enabled and not smp.is_module
    ext4 = cfg["CONFIG_EXT4_FS"]
    assert ext4 == MODULE and ext4.is_module and ext4.is_enabled and not ext4.is_builtin
    hz = cfg["CONFIG_HZ"]
    assert hz == ConfigValue("value", "250")
    assert hz.is_value and not hz.is_enabled
    assert hz.as_int() == 250
    assert cfg["CONFIG_PHYSICAL_START"].as_int() == 0x1000000
    host = cfg["CONFIG_DEFAULT_HOSTNAME"]
    assert host.value == '"(none)"'
    assert host.text == "(none)"
    assert host.as_int() is None
    assert cfg["CONFIG_CMDLINE"].text == ""
    assert cfg["CONFIG_MAGIC_TEXT"].text == 'say "hi" \\ bye'
    assert cfg["CONFIG_CC_VERSION_TEXT"].text == "gcc (Debian 12.2.0-14) 12.2.0"
    assert cfg["CONFIG_HZ"].text == "250"
    assert cfg["CONFIG_SMP"].to_dict() == {"kind": "builtin", "value": "y"}


def test_gzip_and_text_give_the_same_result() -> None:
    text = sample(CONFIG)
    assert parse_config(gzip.compress(text)) == parse_config_text(text)
    assert parse_config(text) == parse_config_text(text)


@pytest.mark.parametrize(
    "data",
    [
        b"\x1f\x8b not gzip at all",
        gzip.compress(b"CONFIG_A=y\n")[:-6],  # truncated
        b"CONFIG_SMP\n",
        b"=y\n",
        b"CONFIG SMP=y\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_config(data, path="/x/config.gz")
    assert info.value.path == "/x/config.gz"


def test_empty_config() -> None:
    assert parse_config(b"") == {}
    assert parse_config(gzip.compress(b"# nothing set\n")) == {}


def test_live() -> None:
    if not os.path.exists("/proc/config.gz"):
        pytest.skip("this kernel has no /proc/config.gz")
    cfg = ProcFS().kernel_config()
    assert cfg["CONFIG_PROC_FS"].is_builtin
    assert cfg["CONFIG_IKCONFIG_PROC"].is_builtin
    # Counted independently from the decompressed text.
    with gzip.open("/proc/config.gz", "rt") as f:
        lines = [line.strip() for line in f]
    assert sum(1 for line in cfg.values() if line.is_builtin) == sum(
        1 for line in lines if line.endswith("=y")
    )
    assert len(cfg) == sum(1 for line in lines if line.startswith("CONFIG_"))


def test_other_root_without_config(tmp_path: os.PathLike[str]) -> None:
    with pytest.raises(NotFoundError):
        ProcFS(tmp_path).kernel_config()


def test_other_root_with_config(tmp_path: os.PathLike[str]) -> None:
    with open(os.path.join(tmp_path, "config.gz"), "wb") as f:
        f.write(gzip.compress(sample(CONFIG)))
    assert ProcFS(tmp_path).kernel_config()["CONFIG_HZ"].as_int() == 250


def test_boot_fallback_for_the_default_root(
    tmp_path: os.PathLike[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    proc = os.path.join(tmp_path, "proc")
    boot = os.path.join(tmp_path, "boot")
    os.makedirs(os.path.join(proc, "sys", "kernel"))
    os.makedirs(boot)
    with open(os.path.join(proc, "sys", "kernel", "osrelease"), "w") as f:
        f.write("6.1.0-18-amd64\n")
    with open(os.path.join(boot, "config-6.1.0-18-amd64"), "wb") as f:
        f.write(sample(CONFIG))
    # Pretend the temporary tree is the default root, without /proc/config.gz.
    monkeypatch.setattr(system, "DEFAULT_ROOT", proc)
    monkeypatch.setattr(system, "_BOOT_DIR", boot)
    cfg = ProcFS(proc).kernel_config()
    assert cfg["CONFIG_EXT4_FS"].is_module
    os.remove(os.path.join(boot, "config-6.1.0-18-amd64"))
    with pytest.raises(NotFoundError) as info:
        ProcFS(proc).kernel_config()
    assert info.value.path == os.path.join(boot, "config-6.1.0-18-amd64")
