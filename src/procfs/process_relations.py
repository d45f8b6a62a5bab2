"""The family and the open things of a process: parent, children, open files, sockets."""

from __future__ import annotations

from procfs._handle import _Handle

__all__ = ["ProcessRelations"]


class ProcessRelations(_Handle):
    """The family and the open things of a process: parent, children, open files, sockets."""

    __slots__ = ()
