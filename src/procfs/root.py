"""The procfs root with every accessor: :class:`ProcFS`.

Each accessor is defined once, as a method of the class that holds the
readers of its kind of file: :class:`~procfs.system.SystemFiles` (system-wide
files), :class:`~procfs.net.NetFiles` (``net/`` and the owners of sockets),
:class:`~procfs.process.ProcessFiles` (processes),
:class:`~procfs.processes.ProcessIterFiles` (psutil's ``process_iter``),
:class:`~procfs.scan.ScanFiles`
(one pass over every process) and :class:`~procfs.proc_sys.SysctlFiles`
(``sys/``). :class:`ProcFS` combines them over the I/O of
:class:`procfs._fs.Root`, and the ``procfs`` module binds the same methods to
the live ``/proc`` (``procfs.meminfo()`` is ``ProcFS("/proc").meminfo()``).
"""

from __future__ import annotations

import os as _os

from procfs import _fs
from procfs._fs import DEFAULT_ROOT, default_root
from procfs.net import NetFiles
from procfs.proc_sys import SysctlFiles
from procfs.process import ProcessFiles
from procfs.process_relations import RelationFiles
from procfs.processes import ProcessIterFiles
from procfs.scan import ScanFiles
from procfs.system import SystemFiles
from procfs.usage import UsageFiles

TYPE_CHECKING = False
if TYPE_CHECKING:
    from procfs.snapshot import SnapshotFS

__all__ = ["DEFAULT_ROOT", "ProcFS", "accessors", "default_root"]


class ProcFS(
    UsageFiles,
    ProcessIterFiles,
    ProcessFiles,
    RelationFiles,
    NetFiles,
    ScanFiles,
    SystemFiles,
    SysctlFiles,
):
    """A procfs root: the live ``/proc``, another mount of it, or a captured tree.

    ``ProcFS("/host/proc").meminfo()`` reads the meminfo of that root; every
    accessor of the ``procfs`` module is a method here. A root that is not a
    procfs (a captured tree, ``--root DIR``) is read with care: see
    :mod:`procfs._fs` on untrusted roots.
    """

    __slots__ = ()

    @classmethod
    def from_snapshot(cls, path: str | _os.PathLike[str]) -> SnapshotFS:
        """A root over a snapshot: an archive from ``procfs snapshot``, or its unpacked directory.

        See :func:`procfs.snapshot.open_snapshot` (the result can be closed, or
        used in a ``with`` block, to remove the unpacked files at once).
        """
        from procfs.snapshot import open_snapshot

        return open_snapshot(path)


def accessors() -> list[str]:
    """The names of the accessors of :class:`ProcFS`: its public methods but the I/O of
    :class:`procfs._fs.Root` (what the ``procfs`` module binds to the live ``/proc``)."""
    io = set(dir(_fs.Root))
    return sorted(
        name
        for name in dir(ProcFS)
        if not name.startswith("_") and name not in io and name != "from_snapshot"
    )


_fs._root_class.append(ProcFS)
