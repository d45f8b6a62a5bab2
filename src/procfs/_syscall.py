"""System calls Python's ``os`` and ``signal`` modules do not wrap, made by number.

``syscall(2)`` through ``ctypes``, with the number of each call per
architecture (the kernel's syscall tables): ``ioprio_get``/``ioprio_set``
(:mod:`procfs.ioprio`) and ``tgkill`` (a signal to one thread of another
process, on kernels without thread pidfds).
"""

from __future__ import annotations

import ctypes as _ctypes
import os as _os

__all__ = ["SYSCALLS", "call"]

#: The numbers of ``ioprio_set``, ``ioprio_get`` and ``tgkill`` by ``os.uname().machine``.
SYSCALLS = {
    "x86_64": (251, 252, 234),
    "aarch64": (30, 31, 131),
    "arm64": (30, 31, 131),
    "riscv64": (30, 31, 131),
    "loongarch64": (30, 31, 131),
    "i386": (289, 290, 270),
    "i686": (289, 290, 270),
    "armv7l": (314, 315, 268),
    "armv6l": (314, 315, 268),
    "ppc64le": (273, 274, 250),
    "ppc64": (273, 274, 250),
    "s390x": (282, 283, 241),
    "mips64": (5273, 5274, 5225),
}
_PLACES = {"ioprio_set": 0, "ioprio_get": 1, "tgkill": 2}

_libc: _ctypes.CDLL | None = None


def call(name: str, *args: int) -> int:
    """Make the system call ``name`` (a key of ``_PLACES``) with int arguments; returns
    its result. Raises :class:`OSError` with its errno when it fails, and
    :class:`NotImplementedError` on an architecture missing from :data:`SYSCALLS`."""
    global _libc
    numbers = SYSCALLS.get(_os.uname().machine)
    if numbers is None:
        raise NotImplementedError(f"{name}: no syscall numbers for {_os.uname().machine}")
    if _libc is None:
        _libc = _ctypes.CDLL(None, use_errno=True)
    result: int = _libc.syscall(numbers[_PLACES[name]], *map(_ctypes.c_int, args))
    if result == -1:
        code = _ctypes.get_errno()
        raise OSError(code, _os.strerror(code))
    return result
