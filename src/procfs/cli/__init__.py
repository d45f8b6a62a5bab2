"""The ``procfs`` command: ``procfs COMMAND [OPTIONS]``.

Each command lives in its own module (``procfs.cli.ps``, ...) with a
``main(argv) -> int``; only the chosen one is imported.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

#: command name -> (module, one-line description)
COMMANDS = {
    "ps": ("procfs.cli.ps", "list processes, like procps ps"),
    "netstat": ("procfs.cli.netstat", "list TCP sockets with their owning processes"),
    "snapshot": ("procfs.cli.snapshot", "capture /proc files into an archive for a bug report"),
    "show": ("procfs.cli.show", "parse any supported /proc file and print it (or --json)"),
}

USAGE = "usage: procfs COMMAND [OPTIONS]\n\ncommands:\n" + "".join(
    f"  {name:<10} {description}\n" for name, (_, description) in COMMANDS.items()
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``procfs`` command line; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0 if args else 2
    if args[0] == "--version":
        from procfs import __version__

        sys.stdout.write(f"pyprocfs {__version__}\n")
        return 0
    entry = COMMANDS.get(args[0])
    if entry is None:
        sys.stderr.write(f"procfs: unknown command {args[0]!r}\n{USAGE}")
        return 2
    __import__(entry[0])
    module = sys.modules[entry[0]]
    try:
        status: int = module.main(args[1:])
    except BrokenPipeError:
        # the reader went away (``procfs ps | head``): not an error
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    return status
