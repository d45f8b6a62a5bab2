"""System-wide readers: memory, processors, load, kernel version and settings.

Each function takes the :class:`~procfs.ProcFS` root to read from;
``procfs.meminfo()`` and friends call them with the default root ``/proc``,
``ProcFS(root).meminfo()`` with another one.
"""

from __future__ import annotations

import os as _os
import sys as _sys

from procfs._fs import DEFAULT_ROOT, ProcFS
from procfs.errors import NotFoundError, ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

    from procfs.core.cgroups import CgroupController
    from procfs.core.config import ConfigValue
    from procfs.core.cpuinfo import CpuInfo
    from procfs.core.kernel import KernelVersion
    from procfs.core.kernel_stats import KernelStats
    from procfs.core.loadavg import LoadAverage
    from procfs.core.meminfo import MemInfo

__all__ = [
    "boot_time",
    "boot_time_secs",
    "cgroups",
    "cpuinfo",
    "kernel_config",
    "kernel_stats",
    "kernel_version",
    "loadavg",
    "meminfo",
    "page_size",
    "ticks_per_second",
]

# Entry types of the ELF auxiliary vector (<elf.h>).
_AT_PAGESZ = 6
_AT_CLKTCK = 17

# Where distributions install the kernel configuration (config-<release>).
_BOOT_DIR = "/boot"


def meminfo(fs: ProcFS) -> MemInfo:
    """System memory usage, from ``meminfo`` (sizes in bytes)."""
    from procfs.core.meminfo import parse_meminfo

    return parse_meminfo(fs.read("meminfo", single=True), fs.path("meminfo"))


def cpuinfo(fs: ProcFS) -> CpuInfo:
    """The online processors and their properties, from ``cpuinfo``."""
    from procfs.core.cpuinfo import parse_cpuinfo

    # Not single: the kernel produces one seq_file record per processor.
    return parse_cpuinfo(fs.read("cpuinfo"), fs.path("cpuinfo"))


def loadavg(fs: ProcFS) -> LoadAverage:
    """Load averages and scheduling-entity counts, from ``loadavg``."""
    from procfs.core.loadavg import parse_loadavg

    return parse_loadavg(fs.read("loadavg", single=True), fs.path("loadavg"))


def kernel_version(fs: ProcFS) -> KernelVersion:
    """The running kernel's version, from ``sys/kernel/osrelease``."""
    from procfs.core.kernel import parse_osrelease

    relative = "sys/kernel/osrelease"
    return parse_osrelease(fs.read(relative, single=True), fs.path(relative))


def kernel_stats(fs: ProcFS) -> KernelStats:
    """CPU times and kernel counters since boot, from ``stat``."""
    from procfs.core.kernel_stats import parse_kernel_stats

    return parse_kernel_stats(fs.read("stat", single=True), fs.path("stat"))


def boot_time_secs(fs: ProcFS) -> int:
    """When the system booted, in seconds since the Unix epoch (``btime`` of ``stat``)."""
    from procfs.core.kernel_stats import parse_boot_time

    return parse_boot_time(fs.read("stat", single=True), fs.path("stat"))


def boot_time(fs: ProcFS) -> datetime:
    """When the system booted, as an aware datetime in UTC."""
    from datetime import datetime, timezone

    return datetime.fromtimestamp(boot_time_secs(fs), tz=timezone.utc)


def ticks_per_second(fs: ProcFS) -> int:
    """Clock ticks per second (USER_HZ): the unit of CPU times in ``stat`` files.

    For the live ``/proc`` this is ``sysconf(_SC_CLK_TCK)``. For another root
    it is the ``AT_CLKTCK`` entry of ``self/auxv`` there (what that kernel
    gave its processes), falling back to this system's value when there is
    no such file or its value is implausible (a vector captured on a machine
    of another word size).
    """
    if fs.root != DEFAULT_ROOT:
        value = _auxv_value(fs, _AT_CLKTCK)
        if value is not None and 0 < value <= 1_000_000:
            return value
    return _os.sysconf("SC_CLK_TCK")


def page_size(fs: ProcFS) -> int:
    """The size of a memory page in bytes: the unit of ``statm`` and of ``rss``.

    For the live ``/proc`` this is ``sysconf(_SC_PAGE_SIZE)``. For another
    root it is the ``AT_PAGESZ`` entry of ``self/auxv`` there, falling back
    to this system's value.
    """
    if fs.root != DEFAULT_ROOT:
        value = _auxv_value(fs, _AT_PAGESZ)
        if value is not None and value >= 1024 and value & (value - 1) == 0:
            return value
    return _os.sysconf("SC_PAGE_SIZE")


def kernel_config(fs: ProcFS) -> dict[str, ConfigValue]:
    """The kernel's build configuration, by option name (``CONFIG_...``).

    Read from ``config.gz`` under the root (needs CONFIG_IKCONFIG_PROC). For
    the live ``/proc`` only, when that file is missing, from
    ``/boot/config-<release>`` as distributions install it. Options that are
    not set are absent (see :mod:`procfs.core.config`). Raises
    :class:`~procfs.errors.NotFoundError` when neither file exists.
    """
    from procfs.core.config import parse_config

    try:
        data = fs.read("config.gz")
    except NotFoundError:
        if fs.root != DEFAULT_ROOT:
            raise
        release = kernel_version(fs).release
        boot = ProcFS(_BOOT_DIR)
        name = f"config-{release}"
        return parse_config(boot.read(name), boot.path(name))
    return parse_config(data, fs.path("config.gz"))


def cgroups(fs: ProcFS) -> list[CgroupController]:
    """The cgroup controllers the kernel knows, from ``cgroups``."""
    from procfs.core.cgroups import parse_cgroups

    return parse_cgroups(fs.read("cgroups", single=True), fs.path("cgroups"))


def _parse_auxv(data: bytes, word_size: int | None = None) -> dict[int, int]:
    """An ELF auxiliary vector (``[pid]/auxv``) as ``{type: value}``.

    The vector is a list of pairs of native words (8 bytes on 64-bit
    systems, 4 on 32-bit ones, in the machine's byte order), ended by an
    ``AT_NULL`` (0) entry. ``word_size`` defaults to this interpreter's.
    """
    size = word_size or (8 if _sys.maxsize > 2**32 else 4)
    order = _sys.byteorder
    out: dict[int, int] = {}
    step = 2 * size
    for offset in range(0, len(data) - step + 1, step):
        key = int.from_bytes(data[offset : offset + size], order)
        if key == 0:
            break
        out[key] = int.from_bytes(data[offset + size : offset + step], order)
    return out


def _auxv_value(fs: ProcFS, key: int) -> int | None:
    """Entry ``key`` of the auxiliary vector of ``self`` under ``fs``, if readable."""
    try:
        data = fs.read("self/auxv")
    except ProcError:
        # A captured tree may store the "self" link as a file naming the pid.
        try:
            target = fs.readlink("self").rstrip("/").rsplit("/", 1)[-1]
            data = fs.read(f"{target}/auxv")
        except (ProcError, OSError):
            return None
    return _parse_auxv(data).get(key)
