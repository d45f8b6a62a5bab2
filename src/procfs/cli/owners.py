"""The owner scan of ``procfs netstat``, run in a forked child while the tables are read.

CLI-only machinery (:mod:`procfs.cli.aside`): the library offers
:meth:`procfs.ProcFS.lowest_socket_owners`, which this runs aside.
"""

from __future__ import annotations

from procfs.cli import aside

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from procfs.net import NetFiles

__all__ = ["OwnerScan"]


class OwnerScan:
    """The scan for the lowest pid holding each socket any process holds
    (:meth:`procfs.ProcFS.lowest_socket_owners` of every socket), started at once in a
    child process where it may be (:func:`procfs.cli.aside.may_fork`), and collected by
    :meth:`owners`.

    The kernel takes milliseconds to print a big socket table, and the scan is mostly
    ``readlink`` calls: with the scan in a child, this process reads and parses the tables
    meanwhile (``procfs netstat`` with 4000 sockets takes a fifth less time, with the same
    CPU time). Otherwise, or if the child fails, :meth:`owners` scans here. Either way the
    scan looks for every socket (the inodes come too late for it to stop early) and finds
    the same owners; errors are the scan's. Use it in a ``with`` block: leaving it ends
    the child if its owners were not collected.
    """

    __slots__ = ("_collect", "_fs", "denied")

    #: Whether the scan could not read some process's descriptors (known after
    #: :meth:`owners`).
    denied: bool

    def __init__(self, fs: NetFiles) -> None:
        self._fs = fs
        self.denied = False
        self._collect = _scan_aside(fs) if aside.may_fork() else None

    def owners(self) -> dict[int, int]:
        """Socket inode -> the lowest pid holding it, for every socket a process holds."""
        collect, self._collect = self._collect, None
        found = collect(False) if collect is not None else None
        if found is None:
            found = _scan(self._fs)
        owners, self.denied = found
        return owners

    def stop(self) -> None:
        """End the child, if any, without its owners."""
        collect, self._collect = self._collect, None
        if collect is not None:
            collect(True)

    def __enter__(self) -> OwnerScan:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _scan_aside(fs: NetFiles) -> Callable[[bool], tuple[dict[int, int], bool] | None] | None:
    """Start the scan for the lowest owners of every socket in a child process (see
    :func:`procfs.cli.aside.start`; the child closes the descriptors it inherited first:
    the parent's sockets must not look held by the child too)."""
    collect = aside.start(lambda: _scan(fs), close_descriptors=True)
    if collect is None:
        return None
    return lambda stop: _owners_of(collect(stop))


def _owners_of(result: tuple[object] | None) -> tuple[dict[int, int], bool] | None:
    """The owners and the denied flag the child sent, or None if it failed."""
    found = result[0] if result is not None else None
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], dict):
        return found[0], bool(found[1])
    return None


def _scan(fs: NetFiles) -> tuple[dict[int, int], bool]:
    """The lowest owner of every socket, and whether some process's descriptors were denied."""
    denied: list[int] = []
    return fs.lowest_socket_owners(denied=denied), bool(denied)
