"""Snapshots of a procfs root for bug reports: capture to an archive, read back as a root.

:func:`capture` writes the readable files that the parser registry
(:data:`procfs.core.PARSERS`) knows into a ``.tar.gz`` archive: the
system-wide ones, and the per-process and per-thread ones of the chosen
processes. :func:`open_snapshot` (also ``ProcFS.from_snapshot``) reads such
an archive, or its unpacked directory, like a live root, so the report of a
parsing problem replays as a test::

    report = capture("report.tar.gz", pids=[1234])
    with open_snapshot("report.tar.gz") as fs:
        fs.process(1234).status()

Layout of the archive
---------------------
``proc/<path>`` holds each captured file, under the path it has below the
procfs root (``proc/meminfo``, ``proc/1234/task/1235/stat``). Symbolic links
(``[pid]/fd/[fd]``, ``exe``, ``cwd``, ``root``, ``self``) are symbolic-link
members with the link's target. ``MANIFEST`` (JSON) names the kernel
release, the date, the pyprocfs version, the captured pids, every captured
path and every path that was skipped, with the reason.

What is captured
----------------
Every registry key: plain keys as they are (a key naming a directory, such as
``sys/fs/binfmt_misc``, by listing it), ``[pid]/...`` keys for each chosen
process, ``[pid]/task/[tid]/...`` for each of its threads, and any other
``[placeholder]`` component by listing its directory. The capturing process
itself (``self``) is always included; without a choice, pid 1 is too.
Besides the registry, a few files the readers need: ``[pid]/comm``,
``[pid]/auxv`` (the clock tick and page size of another root), and the
``exe``, ``cwd`` and ``root`` links. Never captured: memory images and
page tables (``kcore``, ``kpageflags``, ``[pid]/pagemap``, ``[pid]/mem``,
...), which are huge or binary, and ``kmsg``, whose read blocks.
``[pid]/environ`` can hold secrets (tokens, passwords): it is left out
unless asked for (``environ=True``, ``--environ``). Files that cannot be read
are listed in the manifest with the error.

Writing an archive
------------------
Writing is atomic: the archive is written under a temporary name in the
same directory (``.report.tar.gz.tmp-<pid>``), ``MANIFEST`` last, synced, and
renamed onto ``report.tar.gz`` only when complete. An error, a
``KeyboardInterrupt``, SIGTERM or SIGHUP removes the temporary file and leaves
whatever was at ``report.tar.gz`` before untouched.

Reading an archive back
-----------------------
The archive is unpacked into a private temporary directory that lives as long
as the returned :class:`SnapshotFS`: ``close()``, a ``with`` block, garbage
collection or interpreter exit remove it, in the process that opened it only
(a forked child that exits leaves it to its parent). Unpacking refuses
absolute names, ``..`` components, devices, FIFOs, hard links and sparse
files; symbolic-link members become regular files holding the target (which
:meth:`ProcFS.readlink` reads as the link), so no link is ever created.

An archive may come from anyone, so reading one (:func:`open_snapshot`,
:func:`read_manifest`) is bounded: at most 64 MiB per member and 256 MiB
unpacked in all, 50,000 members of any kind (directories included), 1 MiB
per pax or GNU long-name header (and for all global pax headers together), 8
such headers before one member, and 1 GiB of decompressed tar stream
(headers and padding included). Each limit is checked on a header, before
the data it announces is read, and :func:`open_snapshot` reads all the
headers before it writes anything, so an archive that breaks a rule leaves
no file. Member data is copied in 64 KiB chunks. A broken limit raises
:class:`~procfs.errors.ProcError` naming the archive.

Signals: while an archive is being unpacked or written in the main thread,
SIGTERM and SIGHUP (when their disposition is the default, ending the
process) first remove the temporary directory or file, then end the process
as they would have. Once :func:`open_snapshot` has returned, the process is
the caller's again: SIGTERM ends it without running ``atexit`` handlers, so
the unpacked directory (``pyprocfs-snapshot-*`` in the temporary directory)
stays behind, unless the program turns SIGTERM into an exit, which runs
them: ``signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))``.
"""

from __future__ import annotations

import os as _os

from procfs._fs import DEFAULT_ROOT
from procfs.errors import NotFoundError, ProcError
from procfs.root import ProcFS

TYPE_CHECKING = False
if TYPE_CHECKING:
    import io
    import tarfile
    from collections.abc import Callable, Iterable, Iterator
    from types import FrameType, TracebackType
    from typing import BinaryIO

    from procfs.process import Process

__all__ = [
    "NEVER_CAPTURED",
    "SUPPORT_KEYS",
    "Snapshot",
    "SnapshotFS",
    "capture",
    "iter_snapshot",
    "open_snapshot",
    "read_manifest",
]

#: Format tag written into the manifest.
FORMAT = "pyprocfs-snapshot 1"

#: Names of files never captured, wherever they are: memory images, page
#: tables (huge and binary), write-only triggers, and ``kmsg`` (reads block).
NEVER_CAPTURED = frozenset(
    {
        "kcore",
        "vmcore",
        "kmsg",
        "kpagecount",
        "kpageflags",
        "kpagecgroup",
        "pagemap",
        "mem",
        "clear_refs",
        "sysrq-trigger",
    }
)

#: Files outside the registry that the readers of a root use.
SUPPORT_KEYS = ("[pid]/comm", "[pid]/auxv", "[pid]/exe", "[pid]/cwd", "[pid]/root")

_PRIVATE = frozenset({"[pid]/environ", "[pid]/task/[tid]/environ"})
_NUMERIC = frozenset({"[pid]", "[tid]", "[fd]"})
# The links of a process directory: [pid]/exe, [pid]/fd/3, [pid]/ns/net, ...
_LINK_NAMES = frozenset({"exe", "cwd", "root"})
_LINK_DIRS = frozenset({"fd", "ns", "map_files"})
_MAX_DEPTH = 4  # how deep a directory named by a key is walked

# Limits when reading an archive, which may come from anyone (a decompression
# bomb, a header of a gigabyte). A snapshot of all 77 processes of a small
# machine is 2.6 MB in 6,740 members, its largest member 0.3 MB; a process
# takes about 47 members and each thread 29 more (plus its descriptors). Each
# member costs a file to create and remove (0.1 to 1 ms here), hence the
# member limit. Tests lower them (module attributes, read at each use).
_MAX_MEMBER = 64 << 20  # declared bytes of one member
_MAX_TOTAL = 256 << 20  # bytes unpacked, all members together
_MAX_MEMBERS = 50_000  # members of every kind, directories included
_MAX_HEADER = 1 << 20  # bytes of one pax or GNU long-name header, and of all global pax headers
_MAX_HEADERS_IN_A_ROW = 8  # pax or long-name headers before one member (tarfile recurses on each)
_MAX_STREAM = 1 << 30  # bytes of the decompressed tar stream: headers, padding and data
_CHUNK = 1 << 16  # bytes read and written at a time when unpacking a member

# Opening a file to write: never through a symbolic link planted under its name.
_WRITE_FLAGS = (
    _os.O_WRONLY
    | _os.O_CREAT
    | _os.O_TRUNC
    | getattr(_os, "O_CLOEXEC", 0)
    | getattr(_os, "O_NOFOLLOW", 0)
)


def _reason(exc: BaseException) -> str:
    """A short reason for the manifest: the error's type and message without the path."""
    text = str(exc)
    path = getattr(exc, "path", None)
    if path and text.startswith(f"{path}: "):
        text = text[len(path) + 2 :]
    return f"{type(exc).__name__}: {text}"


class Snapshot:
    """What :func:`capture` wrote.

    ``path`` is the archive; ``pids`` the captured processes; ``files`` and
    ``links`` the captured paths (relative to the procfs root); ``skipped``
    the ``(path, reason)`` pairs that were not captured; ``manifest`` the
    manifest as written.
    """

    __slots__ = ("files", "links", "manifest", "path", "pids", "skipped")

    def __init__(self, path: str) -> None:
        self.path = path
        self.pids: list[int] = []
        self.files: list[str] = []
        self.links: list[str] = []
        self.skipped: list[tuple[str, str]] = []
        self.manifest: dict[str, object] = {}

    def __repr__(self) -> str:
        return (
            f"Snapshot({self.path!r}, pids={self.pids}, files={len(self.files)}, "
            f"links={len(self.links)}, skipped={len(self.skipped)})"
        )


# -- capture ------------------------------------------------------------------


class _Walker:
    """Turns registry keys into concrete paths under one root, and reads them."""

    def __init__(self, fs: ProcFS, environ: bool) -> None:
        self.fs = fs
        self.environ = environ
        self.seen: set[str] = set()

    def process_entries(
        self, handle: Process, keys: Iterable[str]
    ) -> Iterator[tuple[str, str, object]]:
        """The entries of one process for the ``[pid]/...`` keys."""
        pid = str(handle.pid)
        for key in keys:
            parts = key.split("/")[1:]
            if not self.environ and key in _PRIVATE:
                for rel in self._expand(parts, handle.listdir, pid):
                    yield "skip", f"{pid}/{rel}", "not captured: may hold secrets (use --environ)"
                continue
            yield from self._entries(parts, pid, handle.read, handle.readlink, handle.listdir)

    def system_entries(self, keys: Iterable[str]) -> Iterator[tuple[str, str, object]]:
        """The entries for the keys that name no process."""
        fs = self.fs
        for key in keys:
            yield from self._entries(key.split("/"), "", fs.read, fs.readlink, fs.listdir)

    def _expand(
        self,
        parts: list[str],
        listdir: Callable[[str], list[str]],
        base: str,
        errors: list[tuple[str, str]] | None = None,
    ) -> list[str]:
        """The concrete relative paths a key's components (after ``[pid]``) name."""
        found = [""]
        for part in parts:
            if part.startswith("[") and part.endswith("]"):
                expanded: list[str] = []
                for prefix in found:
                    try:
                        names = listdir(prefix)
                    except ProcError as exc:
                        if errors is not None and not isinstance(exc, NotFoundError):
                            errors.append((_join(base, prefix), _reason(exc)))
                        continue
                    if part in _NUMERIC:
                        names = sorted((n for n in names if n.isdigit()), key=int)
                    else:
                        names = sorted(names)
                    expanded.extend(_join(prefix, name) for name in names)
                found = expanded
            else:
                found = [_join(prefix, part) for prefix in found]
        return found

    def _entries(
        self,
        parts: list[str],
        base: str,
        read: Callable[[str], bytes],
        readlink: Callable[[str], str],
        listdir: Callable[[str], list[str]],
    ) -> Iterator[tuple[str, str, object]]:
        errors: list[tuple[str, str]] = []
        paths = self._expand(parts, listdir, base, errors)
        for path, reason in errors:
            yield "skip", path, reason
        listed = any(part.startswith("[") for part in parts)
        for rel in paths:
            yield from self._one(rel, base, read, readlink, listdir, 0, listed)

    def _one(
        self,
        rel: str,
        base: str,
        read: Callable[[str], bytes],
        readlink: Callable[[str], str],
        listdir: Callable[[str], list[str]],
        depth: int,
        listed: bool,
    ) -> Iterator[tuple[str, str, object]]:
        import stat as _stat

        full = _join(base, rel)
        if full in self.seen:
            return
        self.seen.add(full)
        name = rel.rsplit("/", 1)[-1]
        if name in NEVER_CAPTURED:
            yield "skip", full, "not captured: binary or huge"
            return
        link_key = _is_link_key(full)
        try:
            # the links of a process are kept as links; any other link (``mounts`` ->
            # ``self/mounts``) stands for the file it names, which is what gets parsed
            mode = _os.stat(self.fs.path(full), follow_symlinks=not link_key).st_mode
        except OSError as exc:
            if exc.errno == 2:
                if not listed:  # a listed entry that is gone now (a closed fd): nothing to say
                    yield "skip", full, "NotFoundError: no such file"
            else:
                yield "skip", full, f"OSError: {exc.strerror}"
            return
        try:
            if link_key and (_stat.S_ISLNK(mode) or _stat.S_ISREG(mode)):
                # a captured tree may hold a link as a file naming its target
                yield "link", full, readlink(rel)
            elif _stat.S_ISDIR(mode):
                if depth >= _MAX_DEPTH:
                    yield "skip", full, "not captured: directory nested too deep"
                    return
                for child in sorted(listdir(rel)):
                    yield from self._one(
                        _join(rel, child), base, read, readlink, listdir, depth + 1, True
                    )
            elif _stat.S_ISREG(mode):
                yield "file", full, read(rel)
            else:
                yield "skip", full, "not captured: not a regular file"
        except ProcError as exc:
            yield "skip", full, _reason(exc)
        except OSError as exc:  # an error a ProcFS method did not translate
            yield "skip", full, f"OSError: {exc.strerror or exc}"


def _is_link_key(relative: str) -> bool:
    """Whether ``relative`` names one of the symbolic links of a process directory."""
    parts = relative.split("/")
    if len(parts) < 2 or not parts[0].isdigit():
        return False
    if len(parts) >= 4 and parts[1] == "task":
        parts = parts[2:]
    return (len(parts) == 2 and parts[1] in _LINK_NAMES) or (
        len(parts) == 3 and parts[1] in _LINK_DIRS
    )


def _join(prefix: str, name: str) -> str:
    return f"{prefix}/{name}" if prefix else name


def _self_pid(fs: ProcFS) -> int | None:
    if fs.root == DEFAULT_ROOT:
        return _os.getpid()
    try:
        target = fs.readlink("self").rstrip("/").rsplit("/", 1)[-1]
    except ProcError:
        return None
    return int(target) if target.isdigit() else None


def iter_snapshot(
    fs: ProcFS | None = None,
    pids: Iterable[int] | None = None,
    *,
    environ: bool = False,
) -> Iterator[tuple[str, str, object]]:
    """The entries a snapshot of ``fs`` holds, as ``(kind, path, payload)``.

    ``kind`` is ``"file"`` (payload: the bytes), ``"link"`` (payload: the
    target), ``"skip"`` (payload: the reason) or ``"pid"`` (a process whose
    files follow; payload: the pid). ``path`` is relative to the root.
    """
    from procfs.core import PARSERS
    from procfs.process import Process

    fs = fs if fs is not None else ProcFS(DEFAULT_ROOT)
    me = _self_pid(fs)
    chosen = [1] if pids is None else [int(pid) for pid in pids]
    order: list[int] = []
    for pid in ([me] if me is not None else []) + chosen:
        if pid not in order:
            order.append(pid)
    keys = sorted(PARSERS)
    walker = _Walker(fs, environ)
    yield from walker.system_entries(k for k in keys if not k.startswith("[pid]"))
    process_keys = [k for k in keys if k.startswith("[pid]/")]
    process_keys.extend(k for k in SUPPORT_KEYS if k not in process_keys)
    for pid in order:
        try:
            handle = Process(pid, fs)
        except ProcError as exc:
            yield "skip", str(pid), _reason(exc)
            continue
        yield "pid", str(pid), pid
        if pid == me:
            yield "link", "self", str(pid)
        yield from walker.process_entries(handle, process_keys)


def _kernel_release(fs: ProcFS) -> str | None:
    try:
        return _os.fsdecode(fs.read("sys/kernel/osrelease").strip())
    except ProcError:
        return _os.uname().release if fs.root == DEFAULT_ROOT else None


def capture(
    out: str | _os.PathLike[str],
    pids: Iterable[int] | None = None,
    fs: ProcFS | None = None,
    *,
    environ: bool = False,
) -> Snapshot:
    """Write a snapshot of ``fs`` (default ``/proc``) to the archive ``out`` (``.tar.gz``).

    ``pids`` are the processes to include besides the capturing one (default:
    pid 1). A chosen process that does not exist is listed as skipped. See the
    module notes for what is captured, and for the atomic write: ``out`` ends up
    as the whole archive or as it was before, never half written.
    """
    fs = fs if fs is not None else ProcFS(DEFAULT_ROOT)
    path = _os.fspath(out)
    directory, name = _os.path.split(path)
    partial = _os.path.join(directory, f".{name}.tmp-{_os.getpid()}")

    def discard() -> None:
        try:
            _os.unlink(partial)
        except OSError:
            pass

    with _RemovedOnTermination(discard):
        try:
            with open(_os.open(partial, _WRITE_FLAGS, 0o666), "wb") as f:
                report = _write_archive(f, path, fs, pids, environ)
                f.flush()
                _os.fsync(f.fileno())
            _os.replace(partial, path)
        except BaseException:
            discard()
            raise
    return report


def _write_archive(
    f: BinaryIO, path: str, fs: ProcFS, pids: Iterable[int] | None, environ: bool
) -> Snapshot:
    """Write the snapshot of ``fs`` into the open file ``f`` as a ``.tar.gz``, ``MANIFEST`` last.

    ``path`` is the name the archive will have (the gzip header records it).
    """
    import io
    import json
    import tarfile
    import time
    from datetime import datetime, timezone

    from procfs import __version__

    report = Snapshot(path)
    now = int(time.time())
    with tarfile.open(path, "w:gz", fileobj=f, format=tarfile.PAX_FORMAT) as tar:
        for kind, rel, payload in iter_snapshot(fs, pids, environ=environ):
            if kind == "pid":
                if isinstance(payload, int):
                    report.pids.append(payload)
            elif kind == "skip":
                report.skipped.append((rel, str(payload)))
            elif kind == "link":
                info = tarfile.TarInfo("proc/" + rel)
                info.type = tarfile.SYMTYPE
                info.linkname = str(payload)
                info.mode = 0o777
                info.mtime = now
                tar.addfile(info)
                report.links.append(rel)
            else:
                data = payload if isinstance(payload, bytes) else b""
                info = tarfile.TarInfo("proc/" + rel)
                info.size = len(data)
                info.mode = 0o444
                info.mtime = now
                tar.addfile(info, io.BytesIO(data))
                report.files.append(rel)
        uname = _os.uname()
        report.manifest = {
            "format": FORMAT,
            "pyprocfs": __version__,
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "kernel": _kernel_release(fs),
            "machine": uname.machine if fs.root == DEFAULT_ROOT else None,
            "root": fs.root,
            "pids": report.pids,
            "environ": environ,
            "files": report.files,
            "links": report.links,
            "skipped": [{"path": p, "error": e} for p, e in report.skipped],
        }
        data = json.dumps(report.manifest, indent=1, ensure_ascii=False).encode(
            "utf-8", "surrogateescape"
        )
        info = tarfile.TarInfo("MANIFEST")
        info.size = len(data)
        info.mode = 0o444
        info.mtime = now
        tar.addfile(info, io.BytesIO(data))
    return report


# -- signals --------------------------------------------------------------------

#: What to remove if SIGTERM or SIGHUP ends the process: the partial archive of
#: :func:`capture`, the half-unpacked directory of :func:`open_snapshot`.
_ON_TERMINATION: list[Callable[[], None]] = []


class _RemovedOnTermination:
    """A ``with`` block where SIGTERM or SIGHUP first runs ``cleanup``, then ends the process.

    Only a signal whose disposition is the default one (end the process) is
    taken over, only in the main thread (where Python runs signal handlers, and
    the only one that may set them), and only for the block: the default is
    restored at its end. The process still dies of the signal, as it would have;
    it just leaves nothing half written behind. Cleanups registered from other
    threads, or by nested blocks, run too.
    """

    __slots__ = ("cleanup", "taken")

    def __init__(self, cleanup: Callable[[], None]) -> None:
        self.cleanup = cleanup
        self.taken: list[int] = []

    def __enter__(self) -> None:
        import signal
        import threading

        _ON_TERMINATION.append(self.cleanup)
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGHUP):
                if signal.getsignal(signum) == signal.SIG_DFL:
                    signal.signal(signum, _terminate)
                    self.taken.append(signum)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        import signal

        for signum in self.taken:
            signal.signal(signum, signal.SIG_DFL)
        _ON_TERMINATION.remove(self.cleanup)


def _terminate(signum: int, frame: FrameType | None) -> None:
    """The handler of :class:`_RemovedOnTermination`: clean up, then die of ``signum`` anyway."""
    import signal

    for cleanup in reversed(_ON_TERMINATION):
        cleanup()
    signal.signal(signum, signal.SIG_DFL)
    _os.kill(_os.getpid(), signum)
    raise SystemExit(128 + signum)  # reached only if the signal is blocked


# -- reading back ---------------------------------------------------------------


class SnapshotFS(ProcFS):
    """A :class:`ProcFS` over a snapshot; owns the temporary directory an archive was unpacked to.

    ``close()`` (or leaving a ``with`` block) removes that directory; so do
    garbage collection and interpreter exit, in the process that opened the
    snapshot only: a forked child shares the directory and never removes it
    (its ``close()`` does nothing). A snapshot opened from a directory owns
    nothing and ``close()`` does nothing.
    """

    __slots__ = ("__weakref__", "_finalizer", "source")

    source: str

    def __init__(self, root: str, source: str, tmpdir: str | None = None) -> None:
        import weakref

        super().__init__(root)
        self.source = source
        if tmpdir is not None:
            self._finalizer: Callable[[], object] = weakref.finalize(
                self, _remove_tree, tmpdir, _os.getpid()
            )
        else:
            self._finalizer = _nothing

    def __repr__(self) -> str:
        return f"SnapshotFS({self.source!r}, root={self.root!r})"

    def close(self) -> None:
        """Remove the unpacked files (if the snapshot was an archive); idempotent."""
        self._finalizer()

    def manifest(self) -> dict[str, object] | None:
        """The snapshot's manifest, or ``None`` if it has none."""
        return _read_manifest_beside(self.root)

    def __enter__(self) -> SnapshotFS:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _nothing() -> None:
    return None


def _remove_tree(directory: str, owner: int) -> None:
    """Remove ``directory`` if this is the process ``owner`` that made it (not a forked child)."""
    if _os.getpid() == owner:
        import shutil

        shutil.rmtree(directory, ignore_errors=True)


def _tree_root(directory: str) -> str:
    """The procfs root inside an unpacked snapshot: its ``proc`` directory, if it has one."""
    names = set(_os.listdir(directory))
    proc = _os.path.join(directory, "proc")
    if "proc" in names and names <= {"proc", "MANIFEST"} and _os.path.isdir(proc):
        return proc
    return directory


def _read_manifest_beside(root: str) -> dict[str, object] | None:
    import json

    for candidate in (_os.path.join(root, "MANIFEST"), _os.path.join(root, "..", "MANIFEST")):
        try:
            with open(candidate, "rb") as f:
                text = f.read(_MAX_MEMBER + 1)
            if len(text) > _MAX_MEMBER:
                continue  # no manifest is that large
            value = json.loads(text.decode("utf-8", "surrogateescape"))
        except (OSError, ValueError):
            continue
        if isinstance(value, dict) and value.get("format") == FORMAT:
            return value
    return None


def read_manifest(path: str | _os.PathLike[str]) -> dict[str, object] | None:
    """The manifest of a snapshot archive or unpacked directory (``None`` if it has none).

    An archive is read within the limits of :func:`open_snapshot`, without
    unpacking it; :class:`~procfs.errors.ProcError` if it cannot be read.
    """
    import json

    path = _os.fspath(path)
    if _os.path.isdir(path):
        return _read_manifest_beside(path)
    found: bytes | None = None

    def visit(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bool:
        nonlocal found
        if _safe_name(member.name) != "MANIFEST" or not member.isreg():
            return False
        if member.size > _MAX_MEMBER:
            raise _refused(member, f"{member.size} bytes (limit {_MAX_MEMBER})")
        found = _read_member(tar, member)  # a later one replaces it, as when unpacking
        return False

    _each_member(path, visit)
    if found is None:
        return None
    try:
        value = json.loads(found.decode("utf-8", "surrogateescape"))
    except ValueError as exc:
        raise ProcError(f"{path}: not a readable snapshot ({exc})", path) from None
    return value if isinstance(value, dict) else None


def open_snapshot(path: str | _os.PathLike[str]) -> SnapshotFS:
    """Read a snapshot (a ``.tar.gz`` from :func:`capture`, or its unpacked directory) as a root.

    An archive is unpacked safely, within limits, into a temporary directory
    that lives as long as the returned object (see the module notes). A
    directory is read in place: its ``proc`` subdirectory when it is an
    unpacked snapshot, else the directory itself. Raises
    :class:`~procfs.errors.NotFoundError` when ``path`` does not exist and
    :class:`~procfs.errors.ProcError` for an archive that cannot be read, holds
    unsafe members or goes over a limit.
    """
    import shutil
    import tempfile

    source = _os.fspath(path)
    if _os.path.isdir(source):
        return SnapshotFS(_tree_root(source).rstrip("/"), source)
    if not _os.path.exists(source):
        raise NotFoundError(f"{source}: no such snapshot", source)
    tmpdir = ""

    def discard() -> None:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)

    with _RemovedOnTermination(discard):
        try:
            tmpdir = tempfile.mkdtemp(prefix="pyprocfs-snapshot-")
            _extract(source, tmpdir)
            return SnapshotFS(_tree_root(tmpdir), source, tmpdir)
        except BaseException:
            discard()
            raise


def _safe_name(name: str) -> str | None:
    """The member name as a safe relative path, or ``None`` if it is unsafe.

    ``""`` stands for the top directory itself (``.`` or ``./``, as in the
    archives ``tar -C DIR .`` makes).
    """
    if not name or "\x00" in name or name.startswith("/"):
        return None
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None
    return "/".join(parts)


class _Refused(Exception):
    """An archive breaks a limit or a safety rule; the message says which, without the path."""


def _refused(member: tarfile.TarInfo, why: str) -> _Refused:
    return _Refused(f"refusing member {member.name!r}: {why}")


def _extract(archive: str, dest: str) -> None:
    """Unpack ``archive`` into the empty directory ``dest``, refusing anything unsafe or too large.

    Two passes: the first reads only the headers (decompressing the data it
    skips) and applies every rule and limit, so an archive that breaks one
    writes nothing; the second unpacks, checking again. No link is created,
    so no member can write through one, and names with ``..`` are refused: no
    path outside ``dest`` is ever written.
    """
    _unpack(archive, dest, write=False)
    _unpack(archive, dest, write=True)


def _unpack(archive: str, dest: str, *, write: bool) -> None:
    """Check each member of ``archive`` against the rules and limits; with ``write``, unpack it.

    Every limit is checked on the member's header, before its data is read;
    the data is copied in chunks of :data:`_CHUNK` bytes.
    """
    total = 0

    def unpack(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bool:
        nonlocal total
        name = _safe_name(member.name)
        if name is None:
            raise _refused(member, "absolute path or '..'")
        if not (member.isreg() or member.isdir() or member.issym()):
            raise _refused(member, "not a regular file, directory or symbolic link")
        if member.isdir():
            if name and write:  # else the top directory, ``dest`` itself
                _os.makedirs(_os.path.join(dest, name), 0o755, exist_ok=True)
            return False
        if not name:
            raise _refused(member, "not a directory, yet named as the top one")
        if member.issym():
            if "\x00" in member.linkname:
                raise _refused(member, "link target holds a NUL byte")
            size = len(_os.fsencode(member.linkname))
        else:
            size = member.size
        if size > _MAX_MEMBER:
            raise _refused(member, f"{size} bytes (limit {_MAX_MEMBER})")
        total += size
        if total > _MAX_TOTAL:
            raise _refused(member, f"more than {_MAX_TOTAL} bytes in all (the limit)")
        if not write:
            return False
        target = _os.path.join(dest, name)
        parent = _os.path.dirname(target)
        if parent != dest:
            _os.makedirs(parent, 0o755, exist_ok=True)
        fd = _os.open(target, _WRITE_FLAGS, 0o644)
        try:
            if member.issym():
                _write_all(fd, _os.fsencode(member.linkname))
            else:
                source = tar.extractfile(member)
                while source is not None and (chunk := source.read(_CHUNK)):
                    _write_all(fd, chunk)
        finally:
            _os.close(fd)
        return False

    _each_member(archive, unpack)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[_os.write(fd, view) :]


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    """The data of a regular member whose size was checked, read in chunks."""
    source = tar.extractfile(member)
    chunks = []
    while source is not None and (chunk := source.read(_CHUNK)):
        chunks.append(chunk)
    return b"".join(chunks)


def _each_member(archive: str, visit: Callable[[tarfile.TarFile, tarfile.TarInfo], bool]) -> None:
    """Call ``visit(tar, member)`` on each member of ``archive`` until it returns true.

    The archive may be a tar file, plain or compressed with gzip, bzip2 or xz.
    Reading it stays within the limits whatever it holds: at most
    :data:`_MAX_MEMBERS` members of any kind (each counted before ``visit``
    sees it), pax and GNU long-name headers checked by their declared size
    before they are read (:func:`_checked_tarinfo`), at most
    :data:`_MAX_STREAM` bytes decompressed (:class:`_CappedStream`), no sparse
    member. A broken limit, or a :class:`_Refused` from ``visit``, becomes a
    :class:`~procfs.errors.ProcError` naming the archive; so does data that
    cannot be read or decompressed.
    """
    import tarfile
    import zlib

    unreadable: tuple[type[Exception], ...] = (
        OSError,
        EOFError,
        ValueError,
        tarfile.TarError,
        zlib.error,
    )
    try:
        import lzma

        unreadable += (lzma.LZMAError,)
    except ImportError:  # a Python built without xz: such archives are unreadable anyway
        pass
    try:
        with open(archive, "rb") as raw, _decompressed(raw) as data:
            stream = _CappedStream(data)
            with tarfile.open(fileobj=stream, mode="r:", tarinfo=_checked_tarinfo()) as tar:
                count = 0
                while (member := tar.next()) is not None:
                    tar.members.clear()  # type: ignore[attr-defined]  # not kept: memory
                    count += 1
                    if count > _MAX_MEMBERS:
                        raise _Refused(f"more than {_MAX_MEMBERS} members (the limit)")
                    if member.sparse is not None:
                        raise _refused(member, "a sparse file")
                    if member.size < 0:  # tarfile would seek back: decompress again and again
                        raise _refused(member, f"a negative size ({member.size})")
                    if visit(tar, member):
                        return
    except _Refused as exc:
        raise ProcError(f"{archive}: {exc}", archive) from None
    except ProcError:
        raise
    except unreadable as exc:
        raise ProcError(f"{archive}: not a readable snapshot ({exc})", archive) from None


def _decompressed(raw: io.BufferedReader) -> io.BufferedIOBase:
    """The tar stream in the file ``raw``: decompressed if it starts as gzip, bzip2 or xz data."""
    head = raw.read(6)
    raw.seek(0)
    if head.startswith(b"\x1f\x8b"):
        import gzip

        return gzip.GzipFile(fileobj=raw, mode="rb")
    if head.startswith(b"BZh"):
        import bz2

        return bz2.BZ2File(raw)
    if head.startswith(b"\xfd7zXZ\x00"):
        import lzma

        return lzma.LZMAFile(raw)
    return raw


class _CappedStream:
    """The decompressed tar stream of an archive, which refuses to go past :data:`_MAX_STREAM`.

    It is the file object ``tarfile`` reads, so it bounds everything tarfile
    does, headers and skipped data included: the work a tiny archive of
    zeros can cause. It never seeks backwards (which would decompress the
    same data again, with a compressed archive). It also keeps the counts of
    :func:`_checked_tarinfo`: ``in_a_row``, extended headers since the last
    member, and ``global_bytes``, the bytes of the global pax headers (tarfile
    keeps them all).
    """

    __slots__ = ("_data", "_limit", "_position", "global_bytes", "in_a_row")

    def __init__(self, data: io.BufferedIOBase) -> None:
        self._data = data
        self._limit = _MAX_STREAM
        self._position = 0
        self.in_a_row = 0
        self.global_bytes = 0

    def read(self, size: int = -1) -> bytes:
        room = self._limit - self._position
        if size < 0 or size > room + 1:
            size = room + 1  # one byte past the limit tells that there is more
        data = self._data.read(size)
        self._position += len(data)
        if self._position > self._limit:
            raise self._over()
        return data

    def seek(self, position: int, whence: int = 0) -> int:
        if whence != 0:
            raise ValueError("only absolute positions")
        if position > self._limit:
            raise self._over()
        if position < self._position:
            # tarfile only moves forward through a sound archive; going back
            # would decompress the same data again, without bound
            raise _Refused(f"a header points back to offset {position}")
        self._position = self._data.seek(position)
        return self._position

    def tell(self) -> int:
        return self._position

    def write(self, data: bytes) -> int:
        raise ValueError("read only")

    def close(self) -> None:
        return None  # the caller closes the data

    def _over(self) -> _Refused:
        return _Refused(f"more than {self._limit} bytes of tar data once decompressed (the limit)")


def _checked_tarinfo() -> type[tarfile.TarInfo]:
    """A ``TarInfo`` class that checks each header against the limits before tarfile reads on.

    tarfile reads a pax header or a GNU long name (or link) into memory whole,
    and recurses into the header that follows: its declared size must be at
    most :data:`_MAX_HEADER`, and at most :data:`_MAX_HEADERS_IN_A_ROW` may
    precede a member. Global pax headers, which tarfile keeps to the end, count
    together against :data:`_MAX_HEADER`. GNU sparse members, whose maps are
    read without bound, are refused. The counts live in the
    :class:`_CappedStream` that tarfile reads.
    """
    import tarfile

    extended = {
        tarfile.GNUTYPE_LONGNAME: "GNU long-name",
        tarfile.GNUTYPE_LONGLINK: "GNU long-link",
        tarfile.XHDTYPE: "pax",
        tarfile.SOLARIS_XHDTYPE: "pax",
        tarfile.XGLTYPE: "global pax",
    }

    class CheckedTarInfo(tarfile.TarInfo):
        def _proc_member(self, tar: tarfile.TarFile) -> tarfile.TarInfo:
            stream = tar.fileobj
            if not isinstance(stream, _CappedStream):
                raise TypeError("CheckedTarInfo reads a _CappedStream")
            kind = extended.get(self.type)
            if kind is None:
                stream.in_a_row = 0
                if self.type == tarfile.GNUTYPE_SPARSE:
                    raise _refused(self, "a sparse file")
            else:
                if self.size > _MAX_HEADER:
                    raise _Refused(f"a {kind} header of {self.size} bytes (limit {_MAX_HEADER})")
                stream.in_a_row += 1
                if stream.in_a_row > _MAX_HEADERS_IN_A_ROW:
                    raise _Refused(
                        f"more than {_MAX_HEADERS_IN_A_ROW} pax or long-name headers in a row"
                    )
                if self.type == tarfile.XGLTYPE:
                    stream.global_bytes += self.size
                    if stream.global_bytes > _MAX_HEADER:
                        raise _Refused(
                            f"more than {_MAX_HEADER} bytes of global pax headers (the limit)"
                        )
            member: tarfile.TarInfo = super()._proc_member(tar)  # type: ignore[misc]
            return member

        def _proc_gnusparse_10(self, *args: object) -> None:
            raise _refused(self, "a sparse file")

    return CheckedTarInfo
