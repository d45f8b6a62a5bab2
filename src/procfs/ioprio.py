"""I/O scheduling priority of a task: ioprio_get(2) and ioprio_set(2), through ``ctypes``.

Python's ``os`` module has no wrapper for these calls, so they are made by
number (``syscall(2)``), per architecture. An I/O priority is a class and a
level: ``(class << 13) | level``.
"""

from __future__ import annotations

import ctypes as _ctypes
import os as _os
from enum import IntEnum

from procfs.errors import from_oserror

TYPE_CHECKING = False
if TYPE_CHECKING:
    from procfs.process_info import IoPriority

__all__ = ["IoPriorityClass", "ioprio_get", "ioprio_set"]

#: (ioprio_set, ioprio_get) by ``platform.machine()`` (the kernel's syscall tables).
SYSCALLS = {
    "x86_64": (251, 252),
    "aarch64": (30, 31),
    "arm64": (30, 31),
    "riscv64": (30, 31),
    "loongarch64": (30, 31),
    "i386": (289, 290),
    "i686": (289, 290),
    "armv7l": (314, 315),
    "armv6l": (314, 315),
    "ppc64le": (273, 274),
    "ppc64": (273, 274),
    "s390x": (282, 283),
    "mips64": (5273, 5274),
}

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


_libc: _ctypes.CDLL | None = None


def _call(which: int, *args: int) -> int:
    """Make system call number ``which`` of the pair; returns its result (OSError on -1)."""
    global _libc
    numbers = SYSCALLS.get(_os.uname().machine)
    if numbers is None:
        raise NotImplementedError(f"ioprio: no syscall numbers for {_os.uname().machine}")
    if _libc is None:
        _libc = _ctypes.CDLL(None, use_errno=True)
    result: int = _libc.syscall(numbers[which], *map(_ctypes.c_int, args))
    if result == -1:
        code = _ctypes.get_errno()
        raise OSError(code, _os.strerror(code))
    return result


def ioprio_get(tid: int) -> IoPriority:
    """The I/O priority of the task ``tid`` (ioprio_get(2))."""
    from procfs.process_info import IoPriority

    try:
        value = _call(1, _WHO_PROCESS, tid)
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
        _call(0, _WHO_PROCESS, tid, (klass << _SHIFT) | value)
    except OSError as exc:
        from procfs.process_info import syscall_error

        raise syscall_error(exc, what) from None
