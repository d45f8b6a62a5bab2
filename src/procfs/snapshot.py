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

Reading an archive back
-----------------------
The archive is unpacked into a private temporary directory that lives as long
as the returned :class:`SnapshotFS` (``close()``, a ``with`` block, garbage
collection or interpreter exit remove it). Unpacking refuses absolute names,
``..`` components, devices, FIFOs and hard links, and limits the total size;
symbolic-link members become regular files holding the target (which
:meth:`ProcFS.readlink` reads as the link), so no link is ever created.
"""

from __future__ import annotations

import os as _os

from procfs._fs import DEFAULT_ROOT
from procfs.errors import NotFoundError, ProcError
from procfs.root import ProcFS

TYPE_CHECKING = False
if TYPE_CHECKING:
    import tarfile
    from collections.abc import Callable, Iterable, Iterator
    from types import TracebackType

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

# Limits when unpacking an archive (a hostile one could be a decompression bomb).
_MAX_MEMBER = 256 << 20
_MAX_TOTAL = 1 << 30
_MAX_MEMBERS = 500_000


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
    module notes for what is captured.
    """
    import io
    import json
    import tarfile
    import time
    from datetime import datetime, timezone

    from procfs import __version__

    fs = fs if fs is not None else ProcFS(DEFAULT_ROOT)
    path = _os.fspath(out)
    report = Snapshot(path)
    now = int(time.time())
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as tar:
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


# -- reading back ---------------------------------------------------------------


class SnapshotFS(ProcFS):
    """A :class:`ProcFS` over a snapshot; owns the temporary directory an archive was unpacked to.

    ``close()`` (or leaving a ``with`` block) removes that directory; so do
    garbage collection and interpreter exit. A snapshot opened from a
    directory owns nothing and ``close()`` does nothing.
    """

    __slots__ = ("__weakref__", "_finalizer", "source")

    source: str

    def __init__(self, root: str, source: str, tmpdir: str | None = None) -> None:
        import weakref

        super().__init__(root)
        self.source = source
        if tmpdir is not None:
            import shutil

            self._finalizer: Callable[[], object] = weakref.finalize(
                self, shutil.rmtree, tmpdir, ignore_errors=True
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
                value = json.loads(f.read().decode("utf-8", "surrogateescape"))
        except (OSError, ValueError):
            continue
        if isinstance(value, dict) and value.get("format") == FORMAT:
            return value
    return None


def read_manifest(path: str | _os.PathLike[str]) -> dict[str, object] | None:
    """The manifest of a snapshot archive or unpacked directory (``None`` if it has none)."""
    import json
    import tarfile

    path = _os.fspath(path)
    if _os.path.isdir(path):
        return _read_manifest_beside(path)
    try:
        with tarfile.open(path, "r:*") as tar:
            try:
                member = tar.getmember("MANIFEST")
            except KeyError:
                return None
            f = tar.extractfile(member)
            if f is None:
                return None
            value = json.loads(f.read().decode("utf-8", "surrogateescape"))
    except (OSError, tarfile.TarError, ValueError) as exc:
        raise ProcError(f"{path}: not a readable snapshot ({exc})", path) from None
    return value if isinstance(value, dict) else None


def open_snapshot(path: str | _os.PathLike[str]) -> SnapshotFS:
    """Read a snapshot (a ``.tar.gz`` from :func:`capture`, or its unpacked directory) as a root.

    An archive is unpacked safely into a temporary directory that lives as long
    as the returned object (see the module notes). A directory is read in
    place: its ``proc`` subdirectory when it is an unpacked snapshot, else the
    directory itself. Raises :class:`~procfs.errors.NotFoundError` when
    ``path`` does not exist and :class:`~procfs.errors.ProcError` for an
    archive that cannot be read or holds unsafe members.
    """
    import shutil
    import tempfile

    source = _os.fspath(path)
    if _os.path.isdir(source):
        return SnapshotFS(_tree_root(source).rstrip("/"), source)
    if not _os.path.exists(source):
        raise NotFoundError(f"{source}: no such snapshot", source)
    tmpdir = tempfile.mkdtemp(prefix="pyprocfs-snapshot-")
    try:
        _extract(source, tmpdir)
        root = _tree_root(tmpdir)
    except BaseException:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    return SnapshotFS(root, source, tmpdir)


def _safe_name(name: str) -> str | None:
    """The member name as a safe relative path, or ``None`` if it is unsafe."""
    if not name or "\x00" in name or name.startswith("/"):
        return None
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _extract(archive: str, dest: str) -> None:
    """Unpack ``archive`` into the empty directory ``dest``, refusing anything unsafe."""
    import tarfile

    data_filter = getattr(tarfile, "data_filter", None)  # Python 3.12+ (and some 3.10/3.11)
    flags = _os.O_WRONLY | _os.O_CREAT | _os.O_TRUNC | getattr(_os, "O_CLOEXEC", 0)
    flags |= getattr(_os, "O_NOFOLLOW", 0)
    total = 0

    def unsafe(member: tarfile.TarInfo, why: str) -> ProcError:
        return ProcError(f"{archive}: refusing member {member.name!r}: {why}", archive)

    try:
        with tarfile.open(archive, "r:*") as tar:
            count = 0
            for member in tar:
                count += 1
                if count > _MAX_MEMBERS:
                    raise ProcError(f"{archive}: too many members", archive)
                name = _safe_name(member.name)
                if name is None:
                    raise unsafe(member, "absolute path or '..'")
                if not (member.isreg() or member.isdir() or member.issym()):
                    raise unsafe(member, "not a regular file, directory or symbolic link")
                if data_filter is not None and not member.issym():
                    try:
                        data_filter(member, dest)
                    except tarfile.TarError as exc:
                        raise unsafe(member, str(exc)) from None
                target = _os.path.join(dest, name)
                if member.isdir():
                    _os.makedirs(target, 0o755, exist_ok=True)
                    continue
                if member.issym():
                    if "\x00" in member.linkname:
                        raise unsafe(member, "link target holds a NUL byte")
                    content = _os.fsencode(member.linkname)
                else:
                    if member.size > _MAX_MEMBER:
                        raise unsafe(member, "too large")
                    source = tar.extractfile(member)
                    content = source.read(_MAX_MEMBER + 1) if source is not None else b""
                total += len(content)
                if total > _MAX_TOTAL:
                    raise ProcError(f"{archive}: more than {_MAX_TOTAL} bytes unpacked", archive)
                parent = _os.path.dirname(target)
                if parent != dest:
                    _os.makedirs(parent, 0o755, exist_ok=True)
                fd = _os.open(target, flags, 0o644)
                try:
                    view = memoryview(content)
                    while view:
                        view = view[_os.write(fd, view) :]
                finally:
                    _os.close(fd)
    except ProcError:
        raise
    except (OSError, tarfile.TarError, EOFError, ValueError) as exc:
        raise ProcError(f"{archive}: not a readable snapshot ({exc})", archive) from None
