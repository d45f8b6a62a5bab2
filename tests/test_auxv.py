"""/proc/[pid]/auxv: a hand-made 32-bit vector, a captured 64-bit one, and the live process."""

from __future__ import annotations

import os
import struct
import sys

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.auxv import NATIVE_WORD, AuxvEntry, parse_auxv, parse_auxv_words
from procfs.errors import ParseError
from tests.conftest import sample

NATIVE = "Q" if sys.maxsize > 2**32 else "I"


def _vector(*pairs: tuple[int, int]) -> bytes:
    return b"".join(struct.pack(f"={NATIVE}{NATIVE}", k, v) for k, v in pairs)


def test_registered() -> None:
    assert PARSERS["[pid]/auxv"] is parse_auxv
    assert PARSERS["[pid]/task/[tid]/auxv"] is parse_auxv


def test_native_word_size() -> None:
    assert struct.calcsize("P") == NATIVE_WORD


def test_i386_compat_vector() -> None:
    # hand-made: the vector of a 32-bit program (4-byte little-endian words)
    data = sample("handmade/auxv.i386-compat-little-endian.bin")
    if sys.byteorder != "little":
        pytest.skip("the sample is little-endian")
    entries = parse_auxv_words(data, 4)
    values = {e.name: e.value for e in entries}
    assert values["AT_SYSINFO"] == 0xF7F05420
    assert values["AT_SYSINFO_EHDR"] == 0xF7F05000
    assert values["AT_PAGESZ"] == 4096
    assert values["AT_CLKTCK"] == 100
    assert values["AT_PHDR"] == 0x08048034
    assert (values["AT_PHENT"], values["AT_PHNUM"]) == (32, 9)
    assert (values["AT_UID"], values["AT_EUID"], values["AT_GID"], values["AT_EGID"]) == (
        1000,
        1000,
        100,
        100,
    )
    assert values["AT_SECURE"] == 0
    assert values["AT_EXECFN"] == 0xFFD3DFEE
    assert len(entries) == 18  # the AT_NULL pair is not returned
    assert entries[0] == AuxvEntry(32, 0xF7F05420, "AT_SYSINFO")


def test_captured_x86_64_vector() -> None:
    if NATIVE_WORD != 8 or sys.byteorder != "little":
        pytest.skip("the capture is from a 64-bit little-endian machine")
    entries = parse_auxv(sample("dev-machine/proc/15532/auxv"))
    values = {e.name: e.value for e in entries}
    assert values["AT_PAGESZ"] == 4096
    assert values["AT_CLKTCK"] == 100
    assert values["AT_UID"] == values["AT_EUID"] == 0
    assert values["AT_SECURE"] == 0


def test_stops_at_at_null_and_keeps_unknown_types() -> None:
    data = _vector((6, 65536), (999, 7), (0, 0), (17, 250))
    assert parse_auxv(data) == [AuxvEntry(6, 65536, "AT_PAGESZ"), AuxvEntry(999, 7, None)]
    assert parse_auxv(b"") == []
    # a vector cut off before AT_NULL is returned as far as it goes
    assert parse_auxv(_vector((6, 4096))) == [AuxvEntry(6, 4096, "AT_PAGESZ")]


@pytest.mark.parametrize("cut", [1, 3, 9])
def test_partial_pair(cut: int) -> None:
    with pytest.raises(ParseError):
        parse_auxv(_vector((6, 4096), (0, 0))[:-cut])


def test_bad_word_size() -> None:
    with pytest.raises(ParseError):
        parse_auxv_words(b"", 2)


def test_live_agrees_with_sysconf_and_ids() -> None:
    entries = procfs.Process.myself().auxv()
    values = {e.name: e.value for e in entries}
    assert values["AT_PAGESZ"] == os.sysconf("SC_PAGE_SIZE")
    assert values["AT_CLKTCK"] == os.sysconf("SC_CLK_TCK")
    # the ids this process was started with (tests run without changing them)
    assert values["AT_UID"] == os.getuid()
    assert values["AT_EUID"] == os.geteuid()
    assert values["AT_GID"] == os.getgid()
    assert all(e.key != 0 for e in entries)


def test_live_kernel_thread_has_none() -> None:
    try:
        kthreadd = procfs.Process(2)
        if kthreadd.stat().comm != "kthreadd":
            pytest.skip("pid 2 is not kthreadd here")
    except procfs.ProcError:
        pytest.skip("no pid 2")
    try:
        assert kthreadd.auxv() == []
    except procfs.NotFoundError:
        pass  # recent kernels answer ESRCH for a task without memory
