"""``procfs snapshot``: capture the /proc files pyprocfs parses into an archive for a bug report.

``procfs snapshot OUT.tar.gz [--pid PID ...]`` writes the system-wide files
the parser registry knows and the files of the chosen processes (the
capturing process itself always; pid 1 when none is chosen), with symbolic
link targets and a ``MANIFEST``. ``ProcFS.from_snapshot(OUT.tar.gz)`` reads it
back like a live root. The archive appears only once complete: an error or an
interruption (Ctrl-C, SIGTERM) leaves no file, and an older ``OUT.tar.gz``
untouched. See :mod:`procfs.snapshot`.

``OUT.tar.gz`` ``-`` writes the archive to the standard output (it is
built aside first, so an interrupted capture writes nothing), the report
then going to the standard error. While capturing, a line on the standard
error counts the files read and the seconds spent, when that is a terminal.
"""

from __future__ import annotations

import sys

from procfs._fs import DEFAULT_ROOT
from procfs.cli import HELP, ROOT, Option, fail, help_lines, start
from procfs.errors import ProcError
from procfs.root import ProcFS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

OPTIONS = (
    Option("--pid", "-p", value="PID", help="include this process (repeatable; default: pid 1)"),
    Option("--environ", help="include the environ files (they can hold passwords)"),
    ROOT,
    Option("-v", "--verbose", help="list every captured path"),
    HELP,
)
ARGUMENTS = "files"

USAGE = (
    "usage: procfs snapshot OUT.tar.gz|- [--pid PID ...] [--environ] [--root DIR]\n"
    "                       [-v]\n\n"
    "  OUT.tar.gz    the archive to write (attach it to the bug report); -: the\n"
    "                standard output\n"
) + help_lines(OPTIONS)

__all__ = ["OPTIONS", "main", "summarize_skipped"]

_SHOWN = 40  # skipped groups printed before "... and N more"


def summarize_skipped(skipped: Sequence[tuple[str, str]]) -> list[str]:
    """Skipped paths grouped by shape and reason: ``1/task/*/syscall (13 entries): reason``.

    Numbers after the first component (thread ids, descriptors) become ``*``.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for path, reason in skipped:
        first, _, rest = path.partition("/")
        shape = "/".join("*" if part.isdigit() else part for part in rest.split("/"))
        groups.setdefault((f"{first}/{shape}" if rest else first, reason), []).append(path)
    out = []
    for (shape, reason), paths in groups.items():
        if len(paths) > 1:
            out.append(f"{shape} ({len(paths)} entries): {reason}")
        else:
            out.append(f"{paths[0]}: {reason}")
    return out


class _Progress(ProcFS):
    """A root that counts the files read through it and shows the count on a terminal."""

    __slots__ = ("_files", "_shown", "_started", "_stream")

    def __init__(self, root: str, stream: TextIO) -> None:
        import time

        super().__init__(root)
        self._files = 0
        self._started = time.monotonic()
        self._shown = self._started - 1.0  # (the first file shows the line at once)
        self._stream = stream

    def _count(self) -> None:
        import time

        self._files += 1
        now = time.monotonic()
        if now - self._shown >= 0.2:
            self._shown = now
            elapsed = now - self._started
            self._stream.write(f"\rcapturing: {self._files} files, {elapsed:.1f} s")
            self._stream.flush()

    def done(self) -> None:
        """Clear the progress line."""
        self._stream.write("\r\033[K")
        self._stream.flush()

    def read(self, relative: str, single: bool = False, table: bool = False) -> bytes:
        self._count()
        return super().read(relative, single, table)

    def read_at(self, dir_fd: int, name: str, path: str, single: bool = False) -> bytes:
        self._count()
        return super().read_at(dir_fd, name, path, single)


def _on_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def main(argv: Sequence[str]) -> int:
    """Run ``procfs snapshot``; returns the exit status."""
    options = start("snapshot", argv, OPTIONS, USAGE, positional=1)
    if isinstance(options, int):
        return options
    if not options.positional:
        return fail("snapshot", "the archive to write is missing", USAGE)
    out = options.positional[0]
    given = options.values.get("--pid", [])
    pids: list[int] | None = None
    if given:
        pids = []
        for value in given:
            for item in value.split(","):
                if not item.strip().isdigit():
                    return fail("snapshot", f"not a pid: {item!r}", USAGE)
                pids.append(int(item))
    root = options.value("--root") or DEFAULT_ROOT
    progress = _Progress(root, sys.stderr) if _on_terminal(sys.stderr) else None
    fs = progress if progress is not None else ProcFS(root)
    if pids:
        from procfs.process import Process

        for pid in pids:
            try:
                Process(pid, fs)
            except ProcError as exc:
                sys.stderr.write(f"procfs snapshot: no process {pid} ({exc})\n")
                return 1

    from procfs.snapshot import capture

    to_stdout = out == "-"
    aside = None
    try:
        if to_stdout:
            import tempfile

            aside = tempfile.TemporaryDirectory(prefix="procfs-snapshot-")
            target = aside.name + "/snapshot.tar.gz"
        else:
            target = out
        try:
            report = capture(target, pids, fs, environ=options.has("--environ"))
        except OSError as exc:  # the archive could not be written
            sys.stderr.write(f"procfs snapshot: {out}: {exc.strerror or exc}; not written\n")
            return 1
        except KeyboardInterrupt:
            sys.stderr.write(f"procfs snapshot: interrupted; {out} not written\n")
            return 130
        finally:
            if progress is not None:
                progress.done()
        if to_stdout:
            import shutil

            sys.stdout.flush()
            with open(target, "rb") as archive:
                shutil.copyfileobj(archive, sys.stdout.buffer)
            sys.stdout.flush()
    finally:
        if aside is not None:
            aside.cleanup()
    write = sys.stderr.write if to_stdout else sys.stdout.write
    shown = ", ".join(map(str, report.pids)) or "none"
    write(
        f"wrote {out}: {len(report.files)} files and {len(report.links)} links "
        f"from {fs.root} (pids {shown})\n"
    )
    if options.has("-v"):
        for path in report.files:
            write(f"  captured {path}\n")
        for path in report.links:
            write(f"  captured {path} (link)\n")
    if report.skipped:
        lines = summarize_skipped(report.skipped)
        write(f"skipped {len(report.skipped)} (listed in its MANIFEST):\n")
        for line in lines[:_SHOWN]:
            write(f"  {line}\n")
        if len(lines) > _SHOWN:
            write(f"  ... and {len(lines) - _SHOWN} more\n")
    return 0
