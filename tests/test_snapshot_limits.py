"""Snapshots from strangers stay bounded; snapshot files appear whole or not at all.

The archives here are built by hand (hostile ones: bombs, huge headers, header
chains) and the limits of :mod:`procfs.snapshot` lowered where the point is
the check rather than the size. Signals and ``fork`` are tried in child
processes.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import io
import json
import lzma
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import textwrap
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import procfs.snapshot as snapshot
from procfs import ProcError
from procfs.cli import main as cli_main
from procfs.snapshot import capture, open_snapshot, read_manifest

ROOT = Path(__file__).resolve().parents[1]
MEMINFO = b"MemTotal: 1 kB\nMemFree: 1 kB\n"
ITER_SNAPSHOT = snapshot.iter_snapshot  # the real one, whatever a test patches


def _header(name: str, size: int, kind: bytes = tarfile.REGTYPE) -> bytes:
    """One 512-byte tar header declaring ``size`` bytes of data (which may never follow)."""
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    return info.tobuf(tarfile.USTAR_FORMAT)


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % tarfile.BLOCKSIZE)


def _member(name: str, data: bytes, kind: bytes = tarfile.REGTYPE) -> bytes:
    """A whole member: header and padded data."""
    return _header(name, len(data), kind) + _padded(data)


def _pax_prefix(key: str, size: int) -> bytes:
    """The ``"%d key="`` start of a pax record whose value has ``size`` bytes.

    The record (``"%d key=value\\n"``) gives its own length, digits included.
    """
    body = len(f" {key}=") + size + 1
    length = body + 1
    while len(str(length)) + body != length:
        length += 1
    return f"{length} {key}=".encode()


def _pax_record(key: str, value: bytes) -> bytes:
    """One whole record of a pax header."""
    return _pax_prefix(key, len(value)) + value + b"\n"


def _end() -> bytes:
    return b"\0" * (2 * tarfile.BLOCKSIZE)


def _write(tmp_path: Path, name: str, tar: bytes) -> Path:
    """``tar`` compressed after the name's suffix (.gz fast, .xz small), written to a file."""
    path = tmp_path / name
    if name.endswith(".xz"):
        path.write_bytes(lzma.compress(tar, preset=1))
    elif name.endswith(".gz"):
        path.write_bytes(gzip.compress(tar, compresslevel=1))
    else:
        path.write_bytes(tar)
    return path


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the ``os.write`` calls into unpacked files (one list per test)."""
    sizes: list[int] = []
    real = os.write

    def counting(fd: int, data: bytes | memoryview) -> int:
        done = real(fd, data)
        if "/pyprocfs-snapshot-" in os.readlink(f"/proc/self/fd/{fd}"):
            sizes.append(done)
        return done

    monkeypatch.setattr(os, "write", counting)
    return sizes


def _refused(path: Path, *fragments: str) -> str:
    """The message of the ProcError that opening ``path`` raises; it names the archive."""
    with pytest.raises(ProcError) as info:
        open_snapshot(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    assert info.value.path == str(path)
    for fragment in fragments:
        assert fragment in message, message
    return message


def _no_unpacked_directory(tmpdir: Path) -> None:
    assert not [name for name in os.listdir(tmpdir) if name.startswith("pyprocfs-snapshot-")]


@pytest.fixture
def tmpdir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private TMPDIR for this test (where open_snapshot unpacks)."""
    import tempfile

    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setenv("TMPDIR", str(directory))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    yield directory
    tempfile.tempdir = None


# -- 1. sizes are checked on the header, data is copied in chunks -----------------


def test_a_bomb_stops_at_the_running_total_before_reading_on(
    tmp_path: Path, tmpdir_env: Path, monkeypatch: pytest.MonkeyPatch, written: list[int]
) -> None:
    # 16 members of 2 MiB of zeros: a 32 MiB tar stream, a few KB of xz
    monkeypatch.setattr(snapshot, "_MAX_MEMBER", 2 << 20)
    monkeypatch.setattr(snapshot, "_MAX_TOTAL", 5 << 20)
    tar = b"".join(_member(f"proc/f{n}", bytes(2 << 20)) for n in range(16)) + _end()
    archive = _write(tmp_path, "bomb.tar.xz", tar)
    assert archive.stat().st_size < 20_000
    _refused(archive, "refusing member 'proc/f2'", "more than 5242880 bytes in all")
    assert written == []  # all headers are read before anything is written
    _no_unpacked_directory(tmpdir_env)


def test_an_archive_that_breaks_a_rule_at_its_end_writes_nothing(
    tmp_path: Path, written: list[int]
) -> None:
    tar = b"".join(_member(f"proc/{n}/stat", b"1 (x) S") for n in range(20))
    tar += _member("proc/fifo", b"", tarfile.FIFOTYPE) + _end()
    _refused(_write(tmp_path, "fifo.tar.gz", tar), "'proc/fifo': not a regular file")
    assert written == []


def test_the_total_is_checked_before_the_member_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the third member's data is missing: reading it would fail otherwise
    monkeypatch.setattr(snapshot, "_MAX_TOTAL", 3 << 20)
    tar = _member("proc/a", bytes(3 << 19)) + _member("proc/b", bytes(3 << 19))
    archive = _write(tmp_path, "cut.tar.xz", tar + _header("proc/c", 1 << 20))
    _refused(archive, "refusing member 'proc/c'", "more than 3145728 bytes in all")


def test_a_member_over_the_limit_is_refused_on_its_declared_size(tmp_path: Path) -> None:
    # default limits; the data is missing: only the header can have refused it
    archive = _write(tmp_path, "big.tar.gz", _header("proc/huge", 1 << 30) + bytes(4096))
    _refused(archive, "refusing member 'proc/huge'", "1073741824 bytes (limit 67108864)")


def test_member_data_is_copied_in_chunks(tmp_path: Path, written: list[int]) -> None:
    size = 8 << 20
    archive = _write(tmp_path, "big.tar.gz", _member("proc/big", bytes(size)) + _end())
    tracemalloc.start()
    try:
        fs = open_snapshot(archive)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with fs:
        assert os.path.getsize(fs.path("big")) == size
    assert peak < 2 << 20, peak  # never the whole member in memory
    assert sum(written) == size
    assert max(written) <= snapshot._CHUNK


# -- 2. pax and GNU long-name headers ---------------------------------------------


@pytest.mark.parametrize(
    ("kind", "called"),
    [
        (tarfile.XHDTYPE, "a pax header"),
        (tarfile.XGLTYPE, "a global pax header"),
        (tarfile.GNUTYPE_LONGNAME, "a GNU long-name header"),
        (tarfile.GNUTYPE_LONGLINK, "a GNU long-link header"),
    ],
    ids=["pax", "global-pax", "longname", "longlink"],
)
def test_a_huge_declared_header_is_refused_before_it_is_read(
    tmp_path: Path, kind: bytes, called: str
) -> None:
    # 512 MiB declared, 8 KB present: tarfile would read() the whole size
    archive = _write(tmp_path, "h.tar.gz", _header("././@LongLink", 512 << 20, kind) + b"a" * 8192)
    _refused(archive, f"{called} of 536870912 bytes (limit 1048576)")


def test_a_real_long_header_over_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "_MAX_HEADER", 64 << 10)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("proc/meminfo")
        info.size = len(MEMINFO)
        info.pax_headers = {"comment": "x" * (3 << 20)}
        tar.addfile(info, io.BytesIO(MEMINFO))
    _refused(_write(tmp_path, "pax.tar.gz", out.getvalue()), "a pax header of 3145")
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tar:
        info = tarfile.TarInfo("proc/" + "n" * (100 << 10))
        tar.addfile(info, io.BytesIO(b""))
    _refused(_write(tmp_path, "gnu.tar.gz", out.getvalue()), "a GNU long-name header of 102")


def test_a_huge_header_gives_a_procerror_not_a_memoryerror(tmp_path: Path) -> None:
    """The reported fault: a real 96 MiB pax header where memory is short."""
    prefix = _pax_prefix("comment", 96 << 20)
    size = len(prefix) + (96 << 20) + 1
    squeeze = zlib.compressobj(1, zlib.DEFLATED, 31)  # gzip framing
    parts = [squeeze.compress(_header("././@PaxHeader", size, tarfile.XHDTYPE) + prefix)]
    parts.extend(squeeze.compress(b"x" * (1 << 20)) for _ in range(96))  # never whole here
    parts.append(squeeze.compress(b"\n" + b"\0" * (-size % tarfile.BLOCKSIZE)))
    parts.append(squeeze.compress(_member("proc/meminfo", MEMINFO) + _end()) + squeeze.flush())
    archive = tmp_path / "pax.tar.gz"
    archive.write_bytes(b"".join(parts))
    script = textwrap.dedent(
        """
        import gzip, lzma, resource, shutil, signal, sys, tarfile, tempfile, threading, zlib
        from procfs.errors import ProcError
        from procfs.snapshot import open_snapshot
        with open("/proc/self/status") as f:
            size = next(int(l.split()[1]) for l in f if l.startswith("VmSize:")) * 1024
        # room for 48 MiB more: the 96 MiB header cannot be read into memory
        resource.setrlimit(resource.RLIMIT_AS, (size + (48 << 20), resource.RLIM_INFINITY))
        try:
            open_snapshot(sys.argv[1])
        except ProcError as exc:
            print("ProcError:", exc)
        except MemoryError:
            print("MemoryError")
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(archive)], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"ProcError: {archive}: a pax header of {size} bytes")


def test_a_chain_of_headers_is_refused(tmp_path: Path) -> None:
    # tarfile recurses once per header: 600 of them used to be a RecursionError
    record = _pax_record("comment", b"chained")
    header = _header("././@PaxHeader", len(record), tarfile.XHDTYPE) + _padded(record)
    tar = _member("proc/meminfo", MEMINFO) + header * 600 + _member("proc/x", b"") + _end()
    archive = _write(tmp_path, "chain.tar", tar)
    _refused(archive, "more than 8 pax or long-name headers in a row")
    with pytest.raises(ProcError, match="in a row"):
        read_manifest(archive)
    # eight are fine (a member may have a pax header and a long name and a long link)
    archive = _write(tmp_path, "eight.tar", header * 8 + _member("proc/meminfo", MEMINFO) + _end())
    with open_snapshot(archive) as fs:
        assert fs.meminfo().mem_total == 1024


def test_global_pax_headers_count_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "_MAX_HEADER", 64 << 10)
    tar = b""
    for n in range(4):  # tarfile keeps every global header: 4 x 40 KiB
        record = _pax_record(f"key{n}", b"g" * (40 << 10))
        tar += _header("pax_global_header", len(record), tarfile.XGLTYPE) + _padded(record)
    archive = _write(tmp_path, "global.tar.gz", tar + _member("proc/meminfo", MEMINFO) + _end())
    _refused(archive, "more than 65536 bytes of global pax headers")


def test_sparse_members_are_refused(tmp_path: Path) -> None:
    tar = _member("proc/meminfo", MEMINFO) + _member("proc/sparse", b"s", tarfile.GNUTYPE_SPARSE)
    _refused(_write(tmp_path, "sparse.tar.gz", tar + _end()), "'proc/sparse': a sparse file")


# -- 3. every member counts, headers and padding too --------------------------------


def test_directories_count_as_members_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "_MAX_MEMBERS", 50)
    made: list[str] = []
    real = os.makedirs

    def counting(name: str, mode: int = 0o777, exist_ok: bool = False) -> None:
        made.append(name)
        real(name, mode, exist_ok)

    monkeypatch.setattr(os, "makedirs", counting)
    tar = b"".join(_header(f"proc/d{n}", 0, tarfile.DIRTYPE) for n in range(100))
    _refused(_write(tmp_path, "dirs.tar.gz", tar + _end()), "more than 50 members")
    assert made == []  # refused while reading the headers, before any directory
    tar = b"".join(_header(f"proc/d{n}", 0, tarfile.DIRTYPE) for n in range(50))
    with open_snapshot(_write(tmp_path, "dirs.tar.gz", tar + _end())) as fs:
        assert len(fs.listdir("")) == 50
    assert len([name for name in made if os.path.basename(name).startswith("d")]) == 50


def test_the_decompressed_stream_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 2,500 headers of the same empty file: nothing to unpack, 1.2 MiB to read
    monkeypatch.setattr(snapshot, "_MAX_STREAM", 1 << 20)
    tar = _header("proc/empty", 0) * 2500 + _end()
    _refused(_write(tmp_path, "headers.tar.gz", tar), "more than 1048576 bytes of tar data")
    monkeypatch.setattr(snapshot, "_MAX_STREAM", 2 << 20)
    with open_snapshot(_write(tmp_path, "headers.tar.gz", tar)) as fs:
        assert fs.read("empty") == b""


def test_the_documented_limits_are_the_limits() -> None:
    doc = " ".join((snapshot.__doc__ or "").split())
    mib = 1 << 20
    assert f"at most {snapshot._MAX_MEMBER // mib} MiB per member" in doc
    assert f"and {snapshot._MAX_TOTAL // mib} MiB unpacked in all" in doc
    assert f"{snapshot._MAX_MEMBERS:,} members of any kind" in doc
    assert f"{snapshot._MAX_HEADER // mib} MiB per pax or GNU long-name header" in doc
    assert f"{snapshot._MAX_HEADERS_IN_A_ROW} such headers before one member" in doc
    assert f"{snapshot._MAX_STREAM >> 30} GiB of decompressed tar stream" in doc
    assert f"in {snapshot._CHUNK >> 10} KiB chunks" in doc


# -- 4. a forked child never removes its parent's directory -------------------------


def test_a_forked_child_leaves_the_directory_to_its_parent(
    tmp_path: Path, tmpdir_env: Path
) -> None:
    archive = _write(tmp_path, "s.tar.gz", _member("proc/meminfo", MEMINFO) + _end())
    script = textwrap.dedent(
        """
        import os, sys
        from procfs.snapshot import open_snapshot
        fs = open_snapshot(sys.argv[1])
        kept = open_snapshot(sys.argv[1])  # closed by no one: interpreter exit
        print(fs.root, kept.root, flush=True)
        pid = os.fork()
        if pid == 0:
            fs.close()
            sys.exit(0)  # a normal exit: atexit and weakref.finalize run in the child
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        print(os.path.isfile(os.path.join(fs.root, "meminfo")), fs.meminfo().mem_total)
        print(os.path.isdir(kept.root))
        fs.close()
        print(os.path.exists(fs.root))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(archive)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmpdir_env)},
    )
    assert run.returncode == 0, run.stderr
    roots, after_child, kept, after_close = run.stdout.splitlines()
    assert after_child == "True 1024"
    assert kept == "True"
    assert after_close == "False"
    for root in roots.split():
        assert root.startswith(str(tmpdir_env))
        assert not os.path.exists(root)  # the parent's own exit removed the other
    _no_unpacked_directory(tmpdir_env)


# -- 5. SIGTERM while unpacking --------------------------------------------------------


@contextlib.contextmanager
def _slow_child(script: str, *args: str, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """A Python child running ``script`` (killed at the end if still running)."""
    with subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
    ) as proc:
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(30)


SLOW_OPEN = """
    import signal, sys, time
    for signum in (signal.SIGTERM, signal.SIGHUP):  # as if not started with nohup
        signal.signal(signum, signal.SIG_DFL)
    import procfs.snapshot as snapshot
    real = snapshot._safe_name
    def slow(name):
        print("unpacking", name, flush=True)
        time.sleep(0.05)
        return real(name)
    snapshot._safe_name = slow
    snapshot.open_snapshot(sys.argv[1])
    print("done", flush=True)
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_signal_while_unpacking_removes_the_directory(
    tmp_path: Path, tmpdir_env: Path, signum: int
) -> None:
    tar = b"".join(_member(f"proc/{n}/stat", b"1 (x) S") for n in range(200)) + _end()
    archive = _write(tmp_path, "many.tar.gz", tar)
    with _slow_child(SLOW_OPEN, str(archive), env={"TMPDIR": str(tmpdir_env)}) as proc:
        assert proc.stdout is not None
        for _ in range(3):
            assert proc.stdout.readline().startswith("unpacking")
        assert len(os.listdir(tmpdir_env)) == 1  # being unpacked
        proc.send_signal(signum)
        assert proc.wait(30) == -signum
        assert proc.stderr is not None and proc.stderr.read() == ""
    assert os.listdir(tmpdir_env) == []


def test_signal_handlers_are_borrowed_only_while_unpacking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = _write(tmp_path, "s.tar.gz", _member("proc/meminfo", MEMINFO) + _end())
    seen: list[object] = []
    real = snapshot._safe_name

    def spying(name: str) -> str | None:
        seen.append(signal.getsignal(signal.SIGTERM))
        return real(name)

    monkeypatch.setattr(snapshot, "_safe_name", spying)
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        open_snapshot(archive).close()
        assert set(seen) == {snapshot._terminate}
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        seen.clear()

        def own(signum: int, frame: object) -> None:
            return None

        signal.signal(signal.SIGTERM, own)  # the program's own handler is left alone
        open_snapshot(archive).close()
        assert set(seen) == {own}
        assert signal.getsignal(signal.SIGTERM) is own
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert snapshot._ON_TERMINATION == []


# -- 6. capture writes the archive whole or not at all ----------------------------------


def _interrupted_after(
    count: int, error: BaseException
) -> Callable[..., Iterator[tuple[str, str, object]]]:
    """An iter_snapshot that gives ``count`` real entries, then raises ``error``."""

    def entries(*args: object, **kwargs: object) -> Iterator[tuple[str, str, object]]:
        for n, entry in enumerate(ITER_SNAPSHOT(*args, **kwargs)):  # type: ignore[arg-type]
            if n == count:
                raise error
            yield entry

    return entries


def test_capture_writes_a_temporary_file_then_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.tar.gz"
    partial = tmp_path / f".report.tar.gz.tmp-{os.getpid()}"
    seen: list[list[str]] = []
    real = ITER_SNAPSHOT

    def watching(*args: object, **kwargs: object) -> Iterator[tuple[str, str, object]]:
        seen.append(sorted(os.listdir(tmp_path)))
        yield from real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(snapshot, "iter_snapshot", watching)
    report = capture(out, pids=[])
    assert seen == [[partial.name]]  # only the temporary name while writing
    assert os.listdir(tmp_path) == ["report.tar.gz"]
    with tarfile.open(out) as tar:
        names = tar.getnames()
    assert names[-1] == "MANIFEST"
    manifest = read_manifest(out)
    assert manifest is not None and manifest["files"] == report.files
    # the gzip header names the archive, not the temporary file
    assert out.read_bytes()[10:21] == b"report.tar\0"


@pytest.mark.parametrize(
    "error",
    [KeyboardInterrupt(), OSError(errno.ENOSPC, "No space left on device"), ValueError("bug")],
    ids=["ctrl-c", "disk-full", "bug"],
)
def test_an_interrupted_capture_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    monkeypatch.setattr(snapshot, "iter_snapshot", _interrupted_after(50, error))
    with pytest.raises(type(error)):
        capture(tmp_path / "new.tar.gz", pids=[])
    assert os.listdir(tmp_path) == []
    old = tmp_path / "old.tar.gz"
    old.write_bytes(b"the previous report")
    with pytest.raises(type(error)):
        capture(old, pids=[])
    assert os.listdir(tmp_path) == ["old.tar.gz"]
    assert old.read_bytes() == b"the previous report"


def test_capture_never_writes_through_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    (tmp_path / f".r.tar.gz.tmp-{os.getpid()}").symlink_to(victim)
    with pytest.raises(OSError) as info:
        capture(tmp_path / "r.tar.gz", pids=[])
    assert info.value.errno == errno.ELOOP
    assert victim.read_bytes() == b"precious"
    assert sorted(os.listdir(tmp_path)) == ["victim"]


def test_cli_interrupted_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.tar.gz"
    monkeypatch.setattr(snapshot, "iter_snapshot", _interrupted_after(50, KeyboardInterrupt()))
    assert cli_main(["snapshot", str(out)]) == 130
    assert capsys.readouterr().err == f"procfs snapshot: interrupted; {out} not written\n"
    error = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(snapshot, "iter_snapshot", _interrupted_after(50, error))
    assert cli_main(["snapshot", str(out)]) == 1
    assert capsys.readouterr().err == (
        f"procfs snapshot: {out}: No space left on device; not written\n"
    )
    assert os.listdir(tmp_path) == []


SLOW_CAPTURE = """
    import signal, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    import procfs.snapshot as snapshot
    from procfs.cli import main
    real = snapshot.iter_snapshot
    def slow(*args, **kwargs):
        for n, entry in enumerate(real(*args, **kwargs)):
            if n == 20:
                print("capturing", flush=True)
            if n >= 20:
                time.sleep(0.01)
            yield entry
    snapshot.iter_snapshot = slow
    sys.exit(main(["snapshot", sys.argv[1]]))
"""


@pytest.mark.parametrize("previous", [None, b"the previous report"], ids=["new", "replacing"])
def test_sigterm_during_procfs_snapshot_leaves_nothing(
    tmp_path: Path, previous: bytes | None
) -> None:
    out = tmp_path / "out.tar.gz"
    if previous is not None:
        out.write_bytes(previous)
    before = sorted(os.listdir(tmp_path))
    with _slow_child(SLOW_CAPTURE, str(out), env={}) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "capturing\n"
        partial = f".out.tar.gz.tmp-{proc.pid}"
        assert sorted(os.listdir(tmp_path)) == sorted([*before, partial])
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == -signal.SIGTERM
    assert sorted(os.listdir(tmp_path)) == before
    if previous is not None:
        assert out.read_bytes() == previous


def test_a_negative_size_is_refused(tmp_path: Path) -> None:
    # a pax size of -1 MiB would send tarfile back to decompress the archive again
    record = _pax_record("size", b"-1048576")
    pax = _header("././@PaxHeader", len(record), tarfile.XHDTYPE) + _padded(record)
    tar = _member("proc/meminfo", MEMINFO) + pax + _member("proc/back", b"") + _end()
    _refused(_write(tmp_path, "back.tar.gz", tar), "'proc/back': a negative size (-1048576)")


def test_an_archive_made_by_tar_opens(tmp_path: Path) -> None:
    """GNU or BSD tar's own archives (directory members, long names) are within the limits."""
    if shutil.which("tar") is None:
        pytest.skip("no tar program")
    out = tmp_path / "report.tar.gz"
    report = capture(out, pids=[])
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    subprocess.run(["tar", "-xzf", str(out), "-C", str(unpacked)], check=True)
    long_name = unpacked / "proc" / ("l" * 200)
    long_name.write_bytes(b"a long name")
    for fmt in ("gnu", "posix"):
        again = tmp_path / f"{fmt}.tar.xz"
        subprocess.run(
            ["tar", f"--format={fmt}", "-cJf", str(again), "-C", str(unpacked), "."], check=True
        )
        assert (
            "./proc/"
            in subprocess.run(
                ["tar", "-tJf", str(again)], check=True, capture_output=True, text=True
            ).stdout.splitlines()
        )  # a directory member
        with open_snapshot(again) as fs:
            assert fs.read("l" * 200) == b"a long name"
            for rel in report.files[:50]:
                assert fs.read(rel) == (unpacked / "proc" / rel).read_bytes(), rel
            assert fs.readlink("self") == str(os.getpid())


def test_read_manifest_within_the_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def manifest(root: str) -> bytes:
        return json.dumps({"format": snapshot.FORMAT, "root": root}).encode()

    # the last of several, under either spelling of its name ("./" from tar -C DIR .)
    tar = _member("MANIFEST", manifest("first")) + _member("proc/meminfo", MEMINFO)
    tar += _member("./MANIFEST", manifest("last")) + _end()
    archive = _write(tmp_path, "m.tar.gz", tar)
    assert read_manifest(archive) == {"format": snapshot.FORMAT, "root": "last"}
    monkeypatch.setattr(snapshot, "_MAX_MEMBER", 16)
    with pytest.raises(ProcError, match=r"refusing member 'MANIFEST': \d+ bytes \(limit 16\)"):
        read_manifest(archive)
