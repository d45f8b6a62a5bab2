"""/proc/cmdline: flags, values, quotes, repeats, init arguments, and the live file."""

from __future__ import annotations

import pytest

from procfs import ProcFS
from procfs.core import PARSERS
from procfs.core.kernel_cmdline import (
    KernelCmdline,
    KernelParam,
    parse_kernel_cmdline,
    split_kernel_args,
)
from tests.conftest import PROMETHEUS_PROC, SAMPLES, corpus_path, sample


def test_registered() -> None:
    assert PARSERS["cmdline"] is parse_kernel_cmdline


def test_prometheus_fixture() -> None:
    line = ProcFS(corpus_path(PROMETHEUS_PROC)).kernel_cmdline()
    assert line == KernelCmdline(
        [
            KernelParam("BOOT_IMAGE", "/vmlinuz-5.11.0-22-generic"),
            KernelParam("root", "UUID=456a0345-450d-4f7b-b7c9-43e3241d99ad"),
            KernelParam("ro"),
            KernelParam("quiet"),
            KernelParam("splash"),
            KernelParam("vt.handoff", "7"),
        ],
        [],
    )
    assert line.get("root") == "UUID=456a0345-450d-4f7b-b7c9-43e3241d99ad"
    assert line.flags == ["ro", "quiet", "splash"]
    assert line.has("quiet") and not line.has("single")
    assert parse_kernel_cmdline(sample("prometheus-fixtures/proc/cmdline")) == line


def test_dev_machine_capture_with_init_arguments() -> None:
    line = ProcFS(SAMPLES / "dev-machine" / "proc").kernel_cmdline()
    assert line.params[0] == KernelParam("mitigations", "auto,no_guest_host,no_guest_guest")
    assert line.get("console") == "ttyS0"
    assert line.get("rdinit") == "/process_api"
    assert "nomodule" in line.flags
    assert len(line.params) == 18
    # Everything after the lone "--" goes to init.
    assert line.init_args[:3] == ["--firecracker-init", "--addr", "0.0.0.0:2024"]
    assert line.init_args[-1] == "--auth-required"
    assert len(line.init_args) == 14
    assert not line.has("--firecracker-init")


def test_quotes_repeats_and_empty_values() -> None:
    data = (
        b'foo="a b c" bar "baz=x y" dup=1 "quoted flag" empty= dup=2 q="" '
        b'"" root=UUID=12=34 tab\there\n'
    )
    line = parse_kernel_cmdline(data)
    assert line.params == [
        KernelParam("foo", "a b c"),
        KernelParam("bar"),
        KernelParam("baz", "x y"),
        KernelParam("dup", "1"),
        KernelParam("quoted flag"),
        KernelParam("empty", ""),
        KernelParam("dup", "2"),
        KernelParam("q", ""),
        KernelParam(""),
        KernelParam("root", "UUID=12=34"),
        KernelParam("tab"),
        KernelParam("here"),
    ]
    assert line.get("dup") == "2"  # the last one wins, as for most kernel parameters
    assert line.get_all("dup") == ["1", "2"]
    assert line.get("bar") is None and line.get("bar", "x") == "x" and line.has("bar")
    assert line.as_dict()["dup"] == "2"
    assert str(line.params[0]) == "foo=a b c" and str(line.params[1]) == "bar"


def test_init_arguments_keep_values_and_drop_quotes() -> None:
    line = parse_kernel_cmdline(b'ro quiet -- single "x=1 2" --foo bar=3 -- \n')
    assert line.params == [KernelParam("ro"), KernelParam("quiet")]
    assert line.init_args == ["single", "x=1 2", "--foo", "bar=3", "--"]
    # "--=x" is a parameter, not the separator.
    line = parse_kernel_cmdline(b"--=x a\n")
    assert line.params == [KernelParam("--", "x"), KernelParam("a")]
    assert line.init_args == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("   \n", []),
        ('foo="', [KernelParam("foo", "")]),
        ('foo="a b', [KernelParam("foo", "a b")]),  # unterminated: to the end
        ('"', [KernelParam("")]),
        ('a"b c"d', [KernelParam('a"b c"d')]),  # quotes inside a word protect spaces too
    ],
)
def test_next_arg_edge_cases(text: str, expected: list[KernelParam]) -> None:
    assert split_kernel_args(text) == expected


def test_live_against_raw_file() -> None:
    with open("/proc/cmdline", "rb") as f:
        raw = f.read()
    line = ProcFS().kernel_cmdline()
    words = raw.split()
    if b'"' in raw:
        pytest.skip("quoted values: the word count differs from split()")
    separator = 1 if len(words) > len(line.params) + len(line.init_args) else 0
    assert len(words) == len(line.params) + separator + len(line.init_args)
    rebuilt = [str(param) for param in line.params]
    if separator:
        rebuilt.append("--")
    rebuilt += line.init_args
    assert rebuilt == [word.decode() for word in words]
