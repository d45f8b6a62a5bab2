"""What a psutil user asks of a process or thread: CPU, memory, ids, counters."""

from __future__ import annotations

from procfs._handle import _Handle

__all__ = ["ProcessInfo"]


class ProcessInfo(_Handle):
    """What a psutil user asks of a process or thread: CPU, memory, ids, counters."""

    __slots__ = ()
