"""``procfs snapshot``: capture the /proc files pyprocfs parses into an archive for a bug report.

``procfs snapshot OUT.tar.gz [--pid PID ...]`` writes the system-wide files
the parser registry knows and the files of the chosen processes (the
capturing process itself always; pid 1 when none is chosen), with symbolic
link targets and a ``MANIFEST``. ``ProcFS.from_snapshot(OUT.tar.gz)`` reads it
back like a live root. The archive appears only once complete: an error or an
interruption (Ctrl-C, SIGTERM) leaves no file, and an older ``OUT.tar.gz``
untouched. See :mod:`procfs.snapshot`.
"""

from __future__ import annotations

import sys

from procfs._fs import DEFAULT_ROOT
from procfs.cli import UsageError, fail, parse
from procfs.errors import ProcError
from procfs.root import ProcFS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

USAGE = """\
usage: procfs snapshot OUT.tar.gz [--pid PID ...] [--environ] [--root DIR] [-v]

  OUT.tar.gz    the archive to write (attach it to the bug report)
  --pid PID     include this process (repeatable; default: pid 1); the
                capturing process itself is always included
  --environ     include the processes' environ files (left out by default:
                environment variables can hold passwords and tokens)
  --root DIR    capture another procfs mount instead of /proc
  -v, --verbose list every captured path
"""

__all__ = ["main", "summarize_skipped"]

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


def main(argv: Sequence[str]) -> int:
    """Run ``procfs snapshot``; returns the exit status."""
    try:
        options = parse(
            argv,
            flags=("--environ", "-v", "--verbose", "-h", "--help"),
            options=("--pid", "-p", "--root"),
            positional=1,
        )
    except UsageError as exc:
        return fail("snapshot", str(exc), USAGE)
    if options.has("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    if not options.positional:
        return fail("snapshot", "the archive to write is missing", USAGE)
    out = options.positional[0]
    given = options.values.get("--pid", []) + options.values.get("-p", [])
    pids: list[int] | None = None
    if given:
        pids = []
        for value in given:
            for item in value.split(","):
                if not item.strip().isdigit():
                    return fail("snapshot", f"not a pid: {item!r}", USAGE)
                pids.append(int(item))
    fs = ProcFS(options.value("--root") or DEFAULT_ROOT)
    if pids:
        from procfs.process import Process

        for pid in pids:
            try:
                Process(pid, fs)
            except ProcError as exc:
                sys.stderr.write(f"procfs snapshot: no process {pid} ({exc})\n")
                return 1

    from procfs.snapshot import capture

    try:
        report = capture(out, pids, fs, environ=options.has("--environ"))
    except OSError as exc:  # the archive could not be written
        sys.stderr.write(f"procfs snapshot: {out}: {exc.strerror or exc}; not written\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"procfs snapshot: interrupted; {out} not written\n")
        return 130
    write = sys.stdout.write
    shown = ", ".join(map(str, report.pids)) or "none"
    write(
        f"wrote {out}: {len(report.files)} files and {len(report.links)} links "
        f"from {fs.root} (pids {shown})\n"
    )
    if options.has("-v", "--verbose"):
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
