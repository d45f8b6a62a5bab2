"""Signals and waiting, bound to the process the handle stands for, never to a reused pid."""

from __future__ import annotations

from procfs._handle import _Handle

__all__ = ["ProcessActions"]


class ProcessActions(_Handle):
    """Signals and waiting, bound to the process the handle stands for, never to a reused pid."""

    __slots__ = ()
