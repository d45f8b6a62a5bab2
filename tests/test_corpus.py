"""Captured /proc trees from other machines read end to end through ProcFS.

The shared corpus sits beside the checkout; these tests skip without it.
"""

from __future__ import annotations

import pytest

from procfs import NotFoundError, ParseError, ProcFS
from procfs.core import PARSERS, key_for
from procfs.core._record import to_plain
from tests.conftest import PROMETHEUS_PROC, RUST_SAMPLES, corpus_path
from tests.seeds import BROKEN, tree_seeds

_PROCESS_READERS = (
    "stat",
    "status",
    "statm",
    "io",
    "maps",
    "cmdline",
    "environ",
    "limits",
    "fd",
    "mountinfo",
    "mountstats",
    "exe",
    "cwd",
    "root",
    "comm",
)


def test_every_claimed_file_parses() -> None:
    root = corpus_path(PROMETHEUS_PROC)
    parsed = 0
    for key, files in tree_seeds(root).items():
        parse = PARSERS.get(key)
        if parse is None:
            continue
        for path, data in files:
            to_plain(parse(data, path=str(path)))
            parsed += 1
    assert parsed >= 15


def test_every_process_reads_end_to_end() -> None:
    fs = ProcFS(corpus_path(PROMETHEUS_PROC))
    pids = fs.pids()
    assert sorted(pids) == [584, 26231, 26232, 26233, 26234, 26235, 27079]
    read = 0
    for process in fs.all_processes():
        for name in _PROCESS_READERS:
            try:
                to_plain(getattr(process, name)())
                read += 1
            except NotFoundError:
                pass  # the capture does not hold this file for this process
    assert read >= 25


def test_self_link_stored_as_file() -> None:
    fs = ProcFS(corpus_path(PROMETHEUS_PROC))
    me = fs.myself()
    assert me.pid == 26231
    assert me.exe() == "/usr/bin/vim"
    assert me.cwd() == "/usr/bin"
    assert me.root() == "/"


def test_fd_targets_of_captured_process() -> None:
    fs = ProcFS(corpus_path(PROMETHEUS_PROC))
    fds = fs.process(26231).fd()
    assert [fd.fd for fd in fds] == [0, 1, 2, 3, 10]
    assert fds[0].target.path == "../../symlinktargets/abc"


@pytest.mark.parametrize("relative", ["26231/stat", "self/stat", "thread-self/stat", "net/tcp"])
def test_key_for(relative: str) -> None:
    expected = {
        "26231/stat": "[pid]/stat",
        "self/stat": "[pid]/stat",
        "thread-self/stat": "[pid]/task/[tid]/stat",
        "net/tcp": "net/tcp",
    }
    assert key_for(relative) == expected[relative]


def test_files_broken_on_purpose_raise_parse_error() -> None:
    root = corpus_path(PROMETHEUS_PROC)
    checked = 0
    for relative in sorted(BROKEN):
        parse = PARSERS.get(key_for(relative))
        if parse is None or not (root / relative).exists():
            continue
        with pytest.raises(ParseError) as info:
            parse((root / relative).read_bytes(), path=str(root / relative))
        assert info.value.path == str(root / relative)
        checked += 1
    assert checked >= 1


#: The registry key of each whole-file sample family of the Rust crate's tests.
_RUST_KEYS = {
    "cpuinfo": "cpuinfo",
    "crypto": "crypto",
    "devices": "devices",
    "loadavg": "loadavg",
    "locks": "locks",
    "meminfo": "meminfo",
    "mountinfo": "[pid]/mountinfo",
    "mounts": "mounts",
    "mountstats": "[pid]/mountstats",
    "net_snmp": "net/snmp",
    "partitions": "partitions",
    "pressure": "pressure/memory",
    "stat": "[pid]/stat",
    "sys_kernel_osrelease": "sys/kernel/osrelease",
    "sys_kernel_sem": "sys/kernel/sem",
    "sys_kernel_version": "sys/kernel/version",
    "uptime": "uptime",
}


def test_every_whole_rust_sample_parses() -> None:
    """Every whole-file sample of the Rust crate parses; one broken on purpose fails cleanly.

    Fragments (``*.fragments.txt``, ``*block-fragment*``: pieces of files) and
    binfmt_misc entries (no registry key: see ``procfs.core.sysctl``) are
    tested in their own modules.
    """
    root = corpus_path(RUST_SAMPLES)
    parsed = 0
    for path in sorted(root.glob("*.txt")):
        name = path.name
        if "fragment" in name or name.startswith("binfmt_misc."):
            continue
        key = _RUST_KEYS[name.split(".", 1)[0]]
        to_plain(PARSERS[key](path.read_bytes(), path=str(path)))
        parsed += 1
    assert parsed == 30


def test_rust_sample_broken_on_purpose_names_file_and_line() -> None:
    from procfs.core.crypto import parse_crypto_block

    path = corpus_path(RUST_SAMPLES) / "crypto.block-fragment-aead-missing-fields.bad.txt"
    with pytest.raises(ParseError) as info:
        parse_crypto_block(path.read_bytes(), "test-aead", str(path))
    assert info.value.path == str(path)
    assert info.value.lineno is not None
