"""/proc/[pid]/maps: samples with hand-checked values, and the live process."""

from __future__ import annotations

import ctypes
import mmap
import os
import sys
import tempfile
from itertools import pairwise

import pytest

import procfs
from procfs.core import PARSERS
from procfs.core.maps import MemoryMap, MMapPath, parse_maps, parse_maps_line
from procfs.errors import ParseError
from tests.conftest import sample

PAGE = mmap.PAGESIZE


def test_registered() -> None:
    assert PARSERS["[pid]/maps"] is parse_maps


def test_rust_pathname_fragments() -> None:
    # procfs crate test_mmap_path: [stack], [foo] -> Other, [stack:154] -> TStack(154),
    # a path, and an empty pathname -> Anonymous.
    prefix = b"00400000-00452000 r-xp 00000000 08:02 173521      "
    fragments = sample("rust-procfs-samples/maps_pathname.fragments.txt").split(b"\n")[:-1]
    got = [parse_maps_line(prefix + fragment).pathname for fragment in fragments]
    assert got == [
        MMapPath("stack"),
        MMapPath("other", "[foo]"),
        MMapPath("tstack", 154),
        MMapPath("path", "/lib/libfoo.so"),
        MMapPath("anonymous"),
    ]
    assert [str(path) for path in got] == [f.decode() for f in fragments]


def test_prometheus_32bit_sample() -> None:
    maps = parse_maps(sample("prometheus-fixtures/proc/26234/maps"))
    assert len(maps) == 4
    first = maps[0]
    assert first.address == (0x08048000, 0x08089000)
    assert first.size == 0x41000
    assert first.perms == "r-xp"
    assert (first.readable, first.writable, first.executable) == (True, False, True)
    assert first.private and not first.shared
    assert first.offset == 0
    assert first.dev == (3, 1)
    assert first.inode == 104219
    assert first.pathname == MMapPath("path", "/bin/tcsh")
    assert maps[1].offset == 0x41000
    anonymous = maps[2]
    assert anonymous.perms == "rwxp" and anonymous.executable and anonymous.writable
    assert anonymous.pathname.kind == "anonymous"
    assert anonymous.inode == 0 and anonymous.dev == (0, 0)
    assert maps[3].pathname.path == "/lib/ld-2.3.2.so"


def test_linux_3_10_thread_stack_lines() -> None:
    # Hand-made in the format of kernels 3.4-4.4, which named thread stacks [stack:TID].
    data = (
        b"7f2c4c000000-7f2c4c021000 rw-p 00000000 00:00 0 \n"
        b"7f2c50f5a000-7f2c5175a000 rw-p 00000000 00:00 0                          [stack:2851]\n"
        b"7fff2ab1b000-7fff2ab3c000 rw-p 00000000 00:00 0                          [stack]\n"
        b"7fff2abfe000-7fff2ac00000 r-xp 00000000 00:00 0                          [vdso]\n"
    )
    maps = parse_maps(data)
    assert [m.pathname.kind for m in maps] == ["anonymous", "tstack", "stack", "vdso"]
    assert maps[1].pathname.value == 2851
    assert maps[1].size == 0x800000


def test_dev_machine_capture_with_odd_paths() -> None:
    # A process that mapped files whose names hold a space, a newline, a literal "\134"
    # and " (deleted)", then unlinked two of them; plus a memfd and shared anonymous memory.
    maps = parse_maps(sample("dev-machine/proc/4242/maps"))
    by_path = {m.pathname.path: m for m in maps if m.pathname.kind == "path"}
    spaced = by_path["/tmp/pyprocfs maps/with space.bin"]
    assert spaced.perms == "rw-s" and spaced.shared and spaced.size == 2 * 4096
    assert spaced.dev == (0xFE, 0) and spaced.inode == 2148530
    newline = by_path["/tmp/pyprocfs maps/new\nline.bin"]  # written "new\012line.bin"
    assert newline.offset == 4096 and newline.perms == "r--p"
    # A backslash is not escaped by the kernel: "\134" here is four literal characters.
    assert "/tmp/pyprocfs maps/back\\134slash.bin" in by_path
    gone = by_path["/tmp/pyprocfs maps/gone.bin"]
    assert gone.pathname.deleted
    twice = by_path["/tmp/pyprocfs maps/ (deleted) twice.bin"]
    assert twice.pathname.deleted
    assert str(twice.pathname) == "/tmp/pyprocfs maps/ (deleted) twice.bin (deleted)"
    memfd = by_path["/memfd:pyprocfs memfd"]
    assert memfd.pathname.deleted and memfd.dev == (0, 1)
    assert by_path["/dev/zero"].pathname.deleted
    kinds = [m.pathname.kind for m in maps]
    assert kinds.count("heap") == 1 and kinds.count("stack") == 1
    assert kinds[-1] == "vsyscall"
    assert maps[-1].address == (0xFFFFFFFFFF600000, 0xFFFFFFFFFF601000)
    assert maps[-1].perms == "--xp" and not maps[-1].readable
    assert MMapPath("other", "[vvar_vclock]") in [m.pathname for m in maps]
    assert all(a.end <= b.start for a, b in pairwise(maps))


def test_path_keeps_inner_and_trailing_spaces() -> None:
    line = b"7f00000000-7f00001000 r--p 00001000 103:05 42     /a  b /c "
    entry = parse_maps_line(line)
    assert entry.pathname.path == "/a  b /c "
    assert entry.dev == (0x103, 5)
    assert entry.offset == 0x1000


def test_non_utf8_path_round_trips() -> None:
    entry = parse_maps_line(b"1000-2000 r--p 00000000 08:01 7 /tmp/\xff\xfe")
    path = entry.pathname.path
    assert path is not None and os.fsencode(path) == b"/tmp/\xff\xfe"


def test_to_dict() -> None:
    entry = parse_maps_line(b"1000-2000 r-xp 00000000 08:01 7 /bin/x (deleted)")
    assert entry.to_dict() == {
        "address": [0x1000, 0x2000],
        "perms": "r-xp",
        "offset": 0,
        "dev": [8, 1],
        "inode": 7,
        "pathname": {"kind": "path", "value": "/bin/x", "deleted": True},
    }


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"1000-2000 r-xp 00000000 08:01",
        b"10002000 r-xp 00000000 08:01 7",
        b"1000-2000 r-xp 00000000 0801 7",
        b"1000-zz r-xp 00000000 08:01 7",
        b"1000-2000 r-x 00000000 08:01 7",
        b"1000-2000 r-xp 00000000 08:01 seven",
    ],
)
def test_bad_lines(line: bytes) -> None:
    with pytest.raises(ParseError):
        parse_maps_line(line)
    with pytest.raises(ParseError) as info:
        parse_maps(b"1000-2000 r-xp 00000000 08:01 7 /x\n" + line + b"\n", path="/p/maps")
    assert info.value.lineno == 2
    assert info.value.path == "/p/maps"


def test_empty_file() -> None:
    assert parse_maps(b"") == []


# -- live ---------------------------------------------------------------------


def _containing(maps: list[MemoryMap], address: int) -> MemoryMap:
    found = [m for m in maps if m.start <= address < m.end]
    assert len(found) == 1, hex(address)
    return found[0]


def test_live_self_object_and_executable() -> None:
    obj = bytearray(b"x" * 100)
    maps = procfs.Process.myself().maps()
    region = _containing(maps, id(obj))
    assert region.readable and region.writable and region.private
    exe = os.path.realpath(sys.executable)
    exe_maps = [m for m in maps if m.pathname.path == exe]
    assert exe_maps, exe
    st = os.stat(exe)
    assert all(m.inode == st.st_ino for m in exe_maps)
    assert all(m.dev == (os.major(st.st_dev), os.minor(st.st_dev)) for m in exe_maps)
    assert sum(m.pathname.kind == "stack" for m in maps) == 1
    assert sum(m.pathname.kind == "vdso" for m in maps) == 1


def test_live_mapped_file_with_odd_name() -> None:
    directory = tempfile.mkdtemp(prefix="pyprocfs maps ")
    name = os.path.join(directory, "new\nline and\ttab \xe9.bin")
    with open(name, "wb") as f:
        f.write(b"\1" * (3 * PAGE))
    fd = os.open(name, os.O_RDWR)
    try:
        shared = mmap.mmap(fd, 2 * PAGE, flags=mmap.MAP_SHARED, offset=PAGE)
        private = mmap.mmap(-1, PAGE, flags=mmap.MAP_PRIVATE)
        shared_address = ctypes.addressof(ctypes.c_char.from_buffer(shared))
        private_address = ctypes.addressof(ctypes.c_char.from_buffer(private))
        st = os.fstat(fd)

        region = _containing(procfs.Process.myself().maps(), shared_address)
        assert region.start == shared_address
        assert region.size == 2 * PAGE
        assert region.offset == PAGE
        assert region.perms == "rw-s"
        assert region.inode == st.st_ino
        assert region.dev == (os.major(st.st_dev), os.minor(st.st_dev))
        assert region.pathname == MMapPath("path", name, False)

        anonymous = _containing(procfs.Process.myself().maps(), private_address)
        assert anonymous.pathname.kind == "anonymous" and anonymous.private

        os.unlink(name)
        region = _containing(procfs.Process.myself().maps(), shared_address)
        assert region.pathname == MMapPath("path", name, True)
        del region, anonymous
        shared.close()
        private.close()
    finally:
        os.close(fd)
        if os.path.exists(name):
            os.unlink(name)
        os.rmdir(directory)


def test_live_every_process_parses() -> None:
    count = 0
    for process in procfs.all_processes():
        try:
            maps = process.maps()
        except procfs.ProcError:
            continue
        count += 1
        for entry in maps:
            assert entry.start < entry.end
    assert count >= 1
