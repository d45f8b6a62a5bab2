"""System-wide usage as psutil reports it: CPU, memory, disks, network, samples."""

from __future__ import annotations

from procfs._fs import Root

__all__ = ["UsageFiles"]


class UsageFiles(Root):
    """System-wide usage as psutil reports it, computed from the system files."""

    __slots__ = ()
