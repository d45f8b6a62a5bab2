"""I/O scheduling priority of a task: ioprio_get(2) and ioprio_set(2), through ``ctypes``.

Python's ``os`` module has no wrapper for these calls, so they are made by
number (:mod:`procfs._syscall`). An I/O priority is a class and a
level: ``(class << 13) | level``.
"""

from __future__ import annotations

from enum import IntEnum

from procfs._syscall import call
from procfs.errors import from_oserror

TYPE_CHECKING = False
if TYPE_CHECKING:
    from procfs.process_info import IoPriority

__all__ = ["IoPriorityClass", "ioprio_get", "ioprio_set"]

_WHO_PROCESS = 1  # IOPRIO_WHO_PROCESS: the "who" is a pid (or tid)
_SHIFT = 13
_LEVEL_MASK = (1 << _SHIFT) - 1
_LEVELS = 8


class IoPriorityClass(IntEnum):
    """The I/O scheduling classes (include/uapi/linux/ioprio.h)."""

    #: No class set: the level follows the CPU nice value (best effort).
    IOPRIO_CLASS_NONE = 0
    #: Real time: served first, levels 0 to 7 (needs CAP_SYS_ADMIN).
    IOPRIO_CLASS_RT = 1
    #: Best effort, levels 0 (highest) to 7.
    IOPRIO_CLASS_BE = 2
    #: Idle: served only when nobody else needs the disk.
    IOPRIO_CLASS_IDLE = 3


def ioprio_get(tid: int) -> IoPriority:
    """The I/O priority of the task ``tid`` (ioprio_get(2))."""
    from procfs.process_info import IoPriority

    try:
        value = call("ioprio_get", _WHO_PROCESS, tid)
    except OSError as exc:
        raise from_oserror(exc, f"ioprio_get(pid {tid})") from None
    return IoPriority(IoPriorityClass(value >> _SHIFT), value & _LEVEL_MASK)


def ioprio_set(tid: int, ioclass: IoPriorityClass | int, value: int | None = None) -> None:
    """Set the I/O priority of the task ``tid`` (ioprio_set(2)), with psutil's checks:
    NONE and IDLE take no level, RT and BE a level 0 to 7 (4 when None)."""
    try:
        klass = IoPriorityClass(ioclass)
    except ValueError:
        raise ValueError(f"ionice: unknown ioclass {ioclass!r}") from None
    if klass in (IoPriorityClass.IOPRIO_CLASS_NONE, IoPriorityClass.IOPRIO_CLASS_IDLE):
        if value:
            raise ValueError(f"ionice: {klass.name} takes no value (got {value!r})")
        value = 0
    elif value is None:
        value = 4
    elif not 0 <= value < _LEVELS:
        raise ValueError(f"ionice: the value must be 0 to 7 (got {value!r})")
    what = f"ioprio_set(pid {tid})"
    try:
        call("ioprio_set", _WHO_PROCESS, tid, (klass << _SHIFT) | value)
    except OSError as exc:
        from procfs.process_info import syscall_error

        raise syscall_error(exc, what) from None
