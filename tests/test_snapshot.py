"""Snapshots: capture this machine's /proc into an archive, read it back like a live root."""

from __future__ import annotations

import gc
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import procfs
from procfs import NotFoundError, ParseError, ProcError, Process, ProcFS
from procfs.cli import main as cli_main
from procfs.cli.snapshot import summarize_skipped
from procfs.core import PARSERS, key_for
from procfs.core._record import to_plain
from procfs.errors import _snapshot_command
from procfs.snapshot import (
    NEVER_CAPTURED,
    SUPPORT_KEYS,
    SnapshotFS,
    capture,
    open_snapshot,
    read_manifest,
)
from tests.helpers import child

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def second_thread() -> Iterator[int]:
    """A second thread in this process while the test runs (its native id)."""
    started = threading.Event()
    stop = threading.Event()
    ident: list[int] = []

    def run() -> None:
        ident.append(threading.get_native_id())
        started.set()
        stop.wait(30)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(5)
    try:
        yield ident[0]
    finally:
        stop.set()
        thread.join(5)


def _matches(key: str, pattern: str) -> bool:
    parts, wanted = key.split("/"), pattern.split("/")
    return len(parts) == len(wanted) and all(
        p == w or (w.startswith("[") and w.endswith("]"))
        for p, w in zip(parts, wanted, strict=True)
    )


def _claimed(relative: str) -> bool:
    """Whether a captured path is one the registry (or the readers' support files) names."""
    key = key_for(relative)
    if key == "self":
        return True
    patterns = [*PARSERS, *SUPPORT_KEYS]
    parts = key.split("/")
    # a key may name a directory that was captured by listing it
    return any(
        _matches("/".join(parts[:n]), pattern)
        for pattern in patterns
        for n in range(1, len(parts) + 1)
    )


def _outcome(parse: Callable[[bytes, str], object], data: bytes, rel: str) -> object:
    """The record a parser makes of ``data`` (as plain data), or the ParseError it raises."""
    try:
        return to_plain(parse(data, rel))
    except ParseError as exc:
        return ("ParseError", exc.args[0], exc.lineno, exc.line)


def _members(archive: Path) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(archive) as tar:
        return {member.name: member for member in tar.getmembers()}


def _member_bytes(archive: Path, name: str) -> bytes:
    with tarfile.open(archive) as tar:
        f = tar.extractfile(name)
        assert f is not None
        return f.read()


def test_capture_layout_and_manifest(tmp_path: Path, second_thread: int) -> None:
    out = tmp_path / "report.tar.gz"
    report = capture(out)
    me = os.getpid()
    assert report.pids == [me, 1]
    members = _members(out)
    for name in members:
        assert name == "MANIFEST" or name.startswith("proc/"), name
    manifest = json.loads(_member_bytes(out, "MANIFEST"))
    assert manifest == read_manifest(out)
    assert manifest["format"] == "pyprocfs-snapshot 1"
    assert manifest["kernel"] == os.uname().release
    assert manifest["machine"] == os.uname().machine
    assert manifest["pyprocfs"] == procfs.__version__
    taken = datetime.fromisoformat(manifest["date"])
    assert abs(datetime.now(timezone.utc) - taken) < timedelta(minutes=10)
    assert manifest["pids"] == [me, 1]
    assert sorted(manifest["files"]) == sorted(report.files)
    assert {(s["path"], s["error"]) for s in manifest["skipped"]} == set(report.skipped)

    # regular files for files, symbolic links (with their targets) for links
    for rel in report.files:
        assert members[f"proc/{rel}"].isreg(), rel
        assert _claimed(rel), rel
        assert rel.rsplit("/", 1)[-1] not in NEVER_CAPTURED, rel
        assert not rel.endswith("/environ"), rel
    for rel in report.links:
        assert members[f"proc/{rel}"].issym(), rel
    assert members["proc/self"].linkname == str(me)
    assert members[f"proc/{me}/exe"].linkname == os.readlink("/proc/self/exe")
    assert members[f"proc/{me}/cwd"].linkname == os.getcwd()
    assert members[f"proc/{me}/fd/0"].linkname == os.readlink("/proc/self/fd/0")
    # every registered per-process and per-thread key of this process, for every thread
    tids = sorted(int(t) for t in os.listdir("/proc/self/task"))
    assert second_thread in tids and len(tids) >= 2
    for key in PARSERS:
        if key.startswith("[pid]/task/[tid]/") and key.count("[") == 2:
            for tid in tids:
                rel = key.replace("[pid]", str(me)).replace("[tid]", str(tid))
                done = {*report.files, *report.links, *(p for p, _ in report.skipped)}
                assert rel in done, rel
    assert f"{me}/stat" in report.files
    assert f"{me}/task/{second_thread}/stat" in report.files
    # the files of the registry that this system has and that root can read are all there
    for key in PARSERS:
        if "[" in key or os.path.basename(key) in NEVER_CAPTURED:
            continue
        path = Path("/proc", key)
        if path.is_file() and os.access(path, os.R_OK):
            assert key in report.files, key


def test_round_trip_gives_the_live_records(tmp_path: Path) -> None:
    out = tmp_path / "report.tar.gz"
    report = capture(out)
    me = os.getpid()
    # the live bytes of every captured file, read right after
    live: dict[str, bytes] = {}
    for rel in report.files:
        try:
            live[rel] = Path("/proc", rel).read_bytes()
        except OSError:
            pass
    with open_snapshot(out) as fs:
        assert isinstance(fs, SnapshotFS)
        compared = 0
        for rel, data in live.items():
            parse = PARSERS.get(key_for(rel))
            stored = fs.read(rel)
            if parse is None or stored != data:
                continue  # a support file, or it changed in between
            assert _outcome(parse, stored, rel) == _outcome(parse, data, rel), rel
            compared += 1
        assert compared >= 10

        # stable values through the public API, against independent sources
        mine = fs.myself()
        assert mine.pid == me
        assert mine.cmdline() == [os.fsdecode(arg) for arg in sys.orig_argv]
        status = mine.status()
        assert (status.pid, status.ruid, status.euid) == (me, os.getuid(), os.geteuid())
        assert status.rgid == os.getgid()
        assert status.name == Process.myself().comm()
        assert mine.exe() == os.readlink("/proc/self/exe")
        assert mine.cwd() == os.getcwd()
        assert mine.stat().starttime == Process.myself().stat().starttime
        assert [fd.target for fd in mine.fd() if fd.fd < 3] == [
            fd.target for fd in Process.myself().fd() if fd.fd < 3
        ]
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        limits = mine.limits()
        assert limits == Process.myself().limits()
        assert limits.max_open_files is not None
        assert limits.max_open_files.soft == (None if soft < 0 else soft)
        assert mine.mountinfo() == Process.myself().mountinfo()
        assert fs.ticks_per_second() == os.sysconf("SC_CLK_TCK")  # from the captured auxv
        assert fs.page_size() == os.sysconf("SC_PAGE_SIZE")
        assert fs.kernel_version().release == os.uname().release
        assert fs.boot_time_secs() == procfs.boot_time_secs()
        cpus, live_cpus = fs.cpuinfo(), procfs.cpuinfo()
        assert [c.get("model name") for c in cpus.cpus] == [
            c.get("model name") for c in live_cpus.cpus
        ]
        assert [c.get("processor") for c in cpus.cpus] == [
            c.get("processor") for c in live_cpus.cpus
        ]
        assert [(c.subsys_name, c.hierarchy, c.enabled) for c in fs.cgroups()] == [
            (c.subsys_name, c.hierarchy, c.enabled) for c in procfs.cgroups()
        ]
        from procfs.core.tty import parse_tty_drivers

        assert parse_tty_drivers(fs.read("tty/drivers")) == parse_tty_drivers(
            Path("/proc/tty/drivers").read_bytes()
        )
        init = fs.process(1)
        live_init = Process(1)
        assert (init.stat().comm, init.stat().starttime) == (
            live_init.stat().comm,
            live_init.stat().starttime,
        )
        assert init.cmdline() == live_init.cmdline()
        assert sorted(fs.pids()) == sorted([me, 1])


def test_unpacked_directory_is_a_root(tmp_path: Path) -> None:
    if shutil.which("tar") is None:
        pytest.skip("no tar program")
    out = tmp_path / "report.tar.gz"
    report = capture(out)
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    subprocess.run(["tar", "-xzf", str(out), "-C", str(unpacked)], check=True)
    # tar made real symbolic links; our own unpacking made files holding the targets
    assert os.path.islink(unpacked / "proc" / "self")
    direct = ProcFS(unpacked / "proc")
    with open_snapshot(unpacked) as from_dir, open_snapshot(out) as from_archive:
        assert from_dir.root == direct.root
        assert not os.path.islink(Path(from_archive.root, "self"))
        for rel in report.files:
            assert from_dir.read(rel) == from_archive.read(rel) == direct.read(rel), rel
        for rel in report.links:
            assert from_dir.readlink(rel) == from_archive.readlink(rel), rel
        me = os.getpid()
        assert direct.myself().pid == from_archive.myself().pid == me
        assert direct.process(me).fd() == from_archive.process(me).fd()
        assert direct.process(me).exe() == os.readlink("/proc/self/exe")
        assert from_dir.manifest() == from_archive.manifest() == read_manifest(unpacked)
    assert os.path.isdir(unpacked)  # a directory is never removed


def test_snapshot_of_a_snapshot_is_the_same(tmp_path: Path) -> None:
    first = capture(tmp_path / "one.tar.gz", pids=[1])
    with open_snapshot(tmp_path / "one.tar.gz") as fs:
        second = capture(tmp_path / "two.tar.gz", fs=fs)
        assert second.pids == first.pids
        assert sorted(second.files) == sorted(first.files)
        assert sorted(second.links) == sorted(first.links)
        manifest = read_manifest(tmp_path / "two.tar.gz")
        assert manifest is not None and manifest["root"] == fs.root
    with open_snapshot(tmp_path / "one.tar.gz") as a, open_snapshot(tmp_path / "two.tar.gz") as b:
        for rel in first.files:
            assert a.read(rel) == b.read(rel), rel


def test_temporary_directory_goes_away(tmp_path: Path) -> None:
    out = tmp_path / "report.tar.gz"
    capture(out, pids=[])
    with open_snapshot(out) as fs:
        root = fs.root
        assert os.path.isfile(os.path.join(root, "meminfo"))
    assert not os.path.exists(root)
    fs.close()  # idempotent
    fs = open_snapshot(out)
    root = fs.root
    del fs
    gc.collect()
    assert not os.path.exists(root)
    via_class = ProcFS.from_snapshot(out)
    assert isinstance(via_class, SnapshotFS)
    assert via_class.meminfo().mem_total > 0
    via_class.close()
    assert not os.path.exists(via_class.root)


def test_environ_only_on_request(tmp_path: Path) -> None:
    me = os.getpid()
    default = capture(tmp_path / "a.tar.gz", pids=[])
    assert f"{me}/environ" not in default.files
    assert any(p == f"{me}/environ" and "secrets" in r for p, r in default.skipped)
    asked = capture(tmp_path / "b.tar.gz", pids=[], environ=True)
    assert f"{me}/environ" in asked.files
    with open_snapshot(tmp_path / "b.tar.gz") as fs:
        assert fs.myself().environ().get("PATH") == os.environ.get("PATH")


def test_missing_pid_and_undecodable_link_targets(tmp_path: Path) -> None:
    odd = os.fsdecode(bytes(tmp_path) + b"/odd \xff name")
    with open(odd, "wb") as f:
        report = capture(tmp_path / "r.tar.gz", pids=[2**22 + 4321])
        assert report.pids == [os.getpid()]
        assert any(p == str(2**22 + 4321) for p, _ in report.skipped)
        with open_snapshot(tmp_path / "r.tar.gz") as fs:
            targets = {fd.fd: fd.target.path for fd in fs.myself().fd()}
            assert targets[f.fileno()] == odd


def _archive(tmp_path: Path, *members: tuple[tarfile.TarInfo, bytes]) -> Path:
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def _info(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


@pytest.mark.parametrize(
    "member",
    [
        _info("/etc/evil"),
        _info("../evil"),
        _info("proc/../../evil"),
        _info("proc/dev", tarfile.CHRTYPE),
        _info("proc/blk", tarfile.BLKTYPE),
        _info("proc/fifo", tarfile.FIFOTYPE),
        _info("proc/hard", tarfile.LNKTYPE, "proc/meminfo"),
        _info("./"),
    ],
    ids=["absolute", "dotdot", "inner-dotdot", "chardev", "blockdev", "fifo", "hardlink", "top"],
)
def test_unsafe_members_are_refused(tmp_path: Path, member: tarfile.TarInfo) -> None:
    archive = _archive(
        tmp_path, (_info("proc/meminfo"), b"MemTotal: 1 kB\nMemFree: 1 kB\n"), (member, b"x")
    )
    before = set(os.listdir(tmp_path.parent))
    with pytest.raises(ProcError) as info:
        open_snapshot(archive)
    assert "refusing member" in str(info.value)
    assert set(os.listdir(tmp_path.parent)) == before
    assert not (tmp_path.parent / "evil").exists()


def test_links_are_never_created(tmp_path: Path) -> None:
    archive = _archive(
        tmp_path,
        (_info("proc/meminfo"), b"MemTotal: 1 kB\nMemFree: 1 kB\n"),
        (_info("proc/1/root", tarfile.SYMTYPE, "/"), b""),
        (_info("proc/escape", tarfile.SYMTYPE, "../../../../etc"), b""),
        (_info("proc/escape/passwd"), b"written beside, not through, the link"),
    )
    with pytest.raises(ProcError):
        open_snapshot(archive)  # a file where a directory is needed
    archive = _archive(
        tmp_path,
        (_info("proc/meminfo"), b"MemTotal: 1 kB\nMemFree: 1 kB\n"),
        (_info("proc/1/root", tarfile.SYMTYPE, "/"), b""),
        (_info("proc/passwd", tarfile.SYMTYPE, "/etc/passwd"), b""),
    )
    with open_snapshot(archive) as fs:
        assert fs.readlink("1/root") == "/"
        assert fs.readlink("passwd") == "/etc/passwd"
        assert fs.read("passwd") == b"/etc/passwd"  # the target's name, never its content
        assert not os.path.islink(fs.path("passwd"))
        assert fs.meminfo().mem_total == 1024


def test_not_a_snapshot(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        open_snapshot(tmp_path / "missing.tar.gz")
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(ProcError):
        open_snapshot(junk)
    assert read_manifest(tmp_path) is None
    with pytest.raises(ProcError):
        read_manifest(junk)


def test_cli_snapshot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.tar.gz"
    with child(b"snapme") as proc:
        status = cli_main(["snapshot", str(out), "--pid", str(proc.pid), "-v"])
        printed = capsys.readouterr().out
        assert status == 0
        assert printed.startswith(f"wrote {out}: ")
        assert f"(pids {os.getpid()}, {proc.pid})" in printed
        assert f"  captured {proc.pid}/stat\n" in printed
        with open_snapshot(out) as fs:
            assert fs.process(proc.pid).stat().comm == "snapme"
            assert fs.process(proc.pid).status().ppid == os.getpid()
            again = tmp_path / "again.tar.gz"
            assert cli_main(["snapshot", str(again), "--root", fs.root, "-p", str(proc.pid)]) == 0
            assert f"from {fs.root} (pids {os.getpid()}, {proc.pid})" in capsys.readouterr().out
            manifest = read_manifest(again)
            assert manifest is not None and manifest["root"] == fs.root
            assert manifest["machine"] is None  # not the live /proc: the host says nothing
    assert cli_main(["snapshot", str(tmp_path / "x.tar.gz"), "--pid", str(2**22 + 99)]) == 1
    assert not (tmp_path / "x.tar.gz").exists()
    assert cli_main(["snapshot"]) == 2
    assert cli_main(["snapshot", str(out), "--pid", "abc"]) == 2
    assert cli_main(["snapshot", str(tmp_path / "no" / "dir.tar.gz")]) == 1
    capsys.readouterr()
    assert cli_main(["--help"]) == 0
    assert "snapshot" in capsys.readouterr().out
    command = [sys.executable, "-m", "procfs", "snapshot", str(tmp_path / "m.tar.gz")]
    run = subprocess.run(command, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    manifest = read_manifest(tmp_path / "m.tar.gz")
    assert manifest is not None
    assert manifest["pids"] == [_self_link(tmp_path / "m.tar.gz"), 1]


def _self_link(archive: Path) -> int:
    """The pid the ``self`` link of a snapshot names."""
    return int(_members(archive)["proc/self"].linkname)


def test_skipped_summary_groups_descriptors() -> None:
    skipped = [(f"1/fd/{n}", "PermissionDeniedError: Permission denied") for n in range(5)]
    skipped.append(("1/io", "PermissionDeniedError: Permission denied"))
    skipped.extend((f"1/task/{n}/syscall", "PermissionDeniedError: no") for n in (1, 59, 60))
    skipped.append(("12/task/12/ns/net", "PermissionDeniedError: no"))
    skipped.append(("pressure/irq", "NotFoundError: no such file"))
    assert summarize_skipped(skipped) == [
        "1/fd/* (5 entries): PermissionDeniedError: Permission denied",
        "1/io: PermissionDeniedError: Permission denied",
        "1/task/*/syscall (3 entries): PermissionDeniedError: no",
        "12/task/12/ns/net: PermissionDeniedError: no",
        "pressure/irq: NotFoundError: no such file",
    ]


def test_parse_errors_ask_for_a_snapshot(tmp_path: Path) -> None:
    out = tmp_path / "r.tar.gz"
    capture(out, pids=[])
    unpacked = tmp_path / "unpacked"
    with tarfile.open(out) as tar:
        tar.extractall(unpacked)  # our own archive: trusted
    (unpacked / "proc" / "meminfo").write_bytes(b"MemTotal: many kB\n")
    me = os.getpid()
    (unpacked / "proc" / str(me) / "status").write_bytes(b"Name:\tx\nPid:\tnot-a-number\n")
    fs = ProcFS.from_snapshot(unpacked)
    with pytest.raises(ParseError) as info:
        fs.meminfo()
    assert str(info.value).endswith(
        "(to report this, attach a snapshot: procfs snapshot report.tar.gz)"
    )
    with pytest.raises(ParseError) as info:
        fs.process(me).status()
    assert str(info.value).startswith(f"{fs.root}/{me}/status")
    assert str(info.value).endswith(
        f"(to report this, attach a snapshot: procfs snapshot report.tar.gz --pid {me})"
    )
    assert _snapshot_command("/proc/12/task/13/stat").endswith("--pid 12")
    assert _snapshot_command("/proc/12/fd/3").endswith("--pid 12")
    assert _snapshot_command("/proc/self/stat").endswith("--pid <pid>")
    assert _snapshot_command("/proc/net/tcp") == "procfs snapshot report.tar.gz"
    assert "snapshot" not in str(ParseError("bad"))  # parsing bare bytes: nothing to capture


def test_the_docs_explain_reporting() -> None:
    section = (README.parent / "docs" / "guides" / "reporting.md").read_text()
    assert "procfs snapshot report.tar.gz" in section
    assert "from_snapshot" in section
    assert "PYPROCFS_FUZZ_EXAMPLES" in (README.parent / "CONTRIBUTING.md").read_text()
