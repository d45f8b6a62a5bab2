"""System-wide readers: memory, processors, load, kernel version and settings.

Each function takes the :class:`~procfs.ProcFS` root to read from;
``procfs.meminfo()`` and friends call them with the default root ``/proc``,
``ProcFS(root).meminfo()`` with another one.
"""

from __future__ import annotations

import os as _os

from procfs._fs import DEFAULT_ROOT, ProcFS, _parsers
from procfs.errors import NotFoundError, ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

    from procfs.core.buddyinfo import BuddyInfoEntry
    from procfs.core.cgroups import CgroupController
    from procfs.core.config import ConfigValue
    from procfs.core.cpuinfo import CpuInfo
    from procfs.core.crypto import CryptoAlgorithm
    from procfs.core.devices import Devices
    from procfs.core.diskstats import DiskStat
    from procfs.core.filesystems import Filesystem
    from procfs.core.interrupts import Interrupts, SoftIrqs
    from procfs.core.iomem import IoResource
    from procfs.core.kernel import KernelVersion
    from procfs.core.kernel_cmdline import KernelCmdline
    from procfs.core.kernel_stats import KernelStats
    from procfs.core.keys import Key, KeyUser
    from procfs.core.kpage import PageFlags
    from procfs.core.loadavg import LoadAverage
    from procfs.core.locks import Lock
    from procfs.core.meminfo import MemInfo
    from procfs.core.modules import Module
    from procfs.core.mounts import MountEntry
    from procfs.core.partitions import Partition
    from procfs.core.pressure import Pressure
    from procfs.core.schedstat import KernelSchedstat
    from procfs.core.slabinfo import SlabInfo
    from procfs.core.swaps import Swap
    from procfs.core.sysvipc import MessageQueue, SemaphoreSet, SharedMemorySegment
    from procfs.core.uptime import Uptime
    from procfs.core.version import KernelVersionInfo
    from procfs.core.vmstat import VmStat
    from procfs.core.zoneinfo import Zone

__all__ = [
    "boot_time",
    "boot_time_secs",
    "buddyinfo",
    "cgroup_pressure",
    "cgroups",
    "cpu_pressure",
    "cpuinfo",
    "crypto",
    "devices",
    "diskstats",
    "filesystems",
    "interrupts",
    "io_pressure",
    "iomem",
    "ioports",
    "irq_pressure",
    "kernel_cmdline",
    "kernel_config",
    "kernel_schedstat",
    "kernel_stats",
    "kernel_version",
    "key_users",
    "keys",
    "kpagecount",
    "kpageflags",
    "loadavg",
    "locks",
    "meminfo",
    "memory_pressure",
    "modules",
    "mounts",
    "page_size",
    "partitions",
    "pressure",
    "slabinfo",
    "softirqs",
    "swaps",
    "sysvipc_msg",
    "sysvipc_sem",
    "sysvipc_shm",
    "ticks_per_second",
    "uptime",
    "version",
    "vmstat",
    "zoneinfo",
]

# Entry types of the ELF auxiliary vector (<elf.h>).
_AT_PAGESZ = 6
_AT_CLKTCK = 17

# Where distributions install the kernel configuration (config-<release>).
_BOOT_DIR = "/boot"


def meminfo(fs: ProcFS) -> MemInfo:
    """System memory usage, from ``meminfo`` (sizes in bytes)."""
    return fs.parse("meminfo", _parsers.parse_meminfo, True)


def cpuinfo(fs: ProcFS) -> CpuInfo:
    """The online processors and their properties, from ``cpuinfo``."""
    # Not single: the kernel produces one seq_file record per processor.
    return fs.parse("cpuinfo", _parsers.parse_cpuinfo)


def loadavg(fs: ProcFS) -> LoadAverage:
    """Load averages and scheduling-entity counts, from ``loadavg``."""
    return fs.parse("loadavg", _parsers.parse_loadavg, True)


def kernel_version(fs: ProcFS) -> KernelVersion:
    """The running kernel's version, from ``sys/kernel/osrelease``."""
    from procfs.core.kernel import parse_osrelease

    relative = "sys/kernel/osrelease"
    return fs.parse(relative, parse_osrelease, True)


def kernel_stats(fs: ProcFS) -> KernelStats:
    """CPU times and kernel counters since boot, from ``stat``."""
    return fs.parse("stat", _parsers.parse_kernel_stats, True)


def boot_time_secs(fs: ProcFS) -> int:
    """When the system booted, in seconds since the Unix epoch (``btime`` of ``stat``)."""
    from procfs.core.kernel_stats import parse_boot_time

    return fs.parse("stat", parse_boot_time, True)


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

    return fs.parse("cgroups", parse_cgroups, True)


def mounts(fs: ProcFS) -> list[MountEntry]:
    """The mounts of the reading process's mount namespace, from ``mounts``."""
    from procfs.core.mounts import parse_mounts

    return fs.parse("mounts", parse_mounts)


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
    from procfs.core.auxv import parse_auxv

    try:
        entries = parse_auxv(data)
    except ProcError:
        return None
    return next((entry.value for entry in entries if entry.key == key), None)


# -- uptime, vmstat, block devices, kernel build and boot line, resources, locks, modules --


def uptime(fs: ProcFS) -> Uptime:
    """Seconds since boot and seconds spent idle (summed over CPUs), from ``uptime``."""
    from procfs.core.uptime import parse_uptime

    return fs.parse("uptime", parse_uptime, True)


def vmstat(fs: ProcFS) -> VmStat:
    """Virtual-memory counters, from ``vmstat`` (page counts and event counts)."""
    from procfs.core.vmstat import parse_vmstat

    return fs.parse("vmstat", parse_vmstat)


def diskstats(fs: ProcFS) -> list[DiskStat]:
    """I/O counters of every block device and partition, from ``diskstats``."""
    return fs.parse("diskstats", _parsers.parse_diskstats)


def partitions(fs: ProcFS) -> list[Partition]:
    """Block devices and partitions with their sizes in bytes, from ``partitions``."""
    from procfs.core.partitions import parse_partitions

    return fs.parse("partitions", parse_partitions)


def swaps(fs: ProcFS) -> list[Swap]:
    """The swap areas in use (sizes in bytes), from ``swaps``."""
    from procfs.core.swaps import parse_swaps

    return fs.parse("swaps", parse_swaps)


def filesystems(fs: ProcFS) -> list[Filesystem]:
    """The filesystem types the kernel supports now, from ``filesystems``."""
    from procfs.core.filesystems import parse_filesystems

    return fs.parse("filesystems", parse_filesystems, True)


def version(fs: ProcFS) -> KernelVersionInfo:
    """The kernel's release, builder, compiler and version string, from ``version``."""
    from procfs.core.version import parse_version

    return fs.parse("version", parse_version, True)


def kernel_cmdline(fs: ProcFS) -> KernelCmdline:
    """The parameters the kernel was booted with, from ``cmdline``."""
    from procfs.core.kernel_cmdline import parse_kernel_cmdline

    return fs.parse("cmdline", parse_kernel_cmdline, True)


def devices(fs: ProcFS) -> Devices:
    """The character and block major numbers drivers registered, from ``devices``."""
    from procfs.core.devices import parse_devices

    return fs.parse("devices", parse_devices)


def crypto(fs: ProcFS) -> list[CryptoAlgorithm]:
    """The cryptographic algorithms registered with the kernel, from ``crypto``."""
    from procfs.core.crypto import parse_crypto

    return fs.parse("crypto", parse_crypto)


def iomem(fs: ProcFS) -> list[IoResource]:
    """The physical memory map, from ``iomem`` (addresses are 0 without CAP_SYS_ADMIN)."""
    from procfs.core.iomem import parse_iomem

    return fs.parse("iomem", parse_iomem)


def ioports(fs: ProcFS) -> list[IoResource]:
    """The I/O port map, from ``ioports`` (addresses are 0 without CAP_SYS_ADMIN)."""
    from procfs.core.iomem import parse_iomem

    return fs.parse("ioports", parse_iomem)


def locks(fs: ProcFS) -> list[Lock]:
    """The file locks held and the requests waiting for them, from ``locks``."""
    from procfs.core.locks import parse_locks

    return fs.parse("locks", parse_locks)


def modules(fs: ProcFS) -> list[Module]:
    """The loaded kernel modules, from ``modules`` (missing without CONFIG_MODULES)."""
    from procfs.core.modules import parse_modules

    return fs.parse("modules", parse_modules)


# -- keys, page frames, System V IPC, pressure, memory zones, slabs, interrupts, schedstat --


_PSI_RESOURCES = ("cpu", "memory", "io", "irq")


def keys(fs: ProcFS) -> list[Key]:
    """The keys the caller may view, from ``keys`` (CONFIG_KEYS)."""
    from procfs.core.keys import parse_keys

    return fs.parse("keys", parse_keys)


def key_users(fs: ProcFS) -> dict[int, KeyUser]:
    """Key counts and quotas of each user that owns keys, by uid, from ``key-users``."""
    from procfs.core.keys import parse_key_users

    return fs.parse("key-users", parse_key_users)


def _pfn_range(fs: ProcFS, relative: str, start_pfn: int, end_pfn: int) -> bytes:
    """Bytes ``[8 * start_pfn, 8 * end_pfn)`` of a per-PFN file (one 64-bit word a frame)."""
    if start_pfn < 0 or end_pfn < start_pfn:
        raise ValueError(f"bad PFN range [{start_pfn}, {end_pfn})")
    return fs.pread(relative, 8 * start_pfn, 8 * (end_pfn - start_pfn))


def kpagecount(fs: ProcFS, start_pfn: int, end_pfn: int) -> list[int]:
    """How many times each page frame in ``[start_pfn, end_pfn)`` is mapped, from ``kpagecount``.

    Only that range of the file is read. The list is shorter when the range
    goes past the highest PFN. Root only (CONFIG_PROC_PAGE_MONITOR).
    """
    from procfs.core.kpage import parse_kpagecount

    data = _pfn_range(fs, "kpagecount", start_pfn, end_pfn)
    return parse_kpagecount(data, fs.path("kpagecount"))


def kpageflags(fs: ProcFS, start_pfn: int, end_pfn: int) -> list[PageFlags]:
    """The flags of each page frame in ``[start_pfn, end_pfn)``, from ``kpageflags``.

    Only that range of the file is read. The list is shorter when the range
    goes past the highest PFN. Root only (CONFIG_PROC_PAGE_MONITOR).
    """
    from procfs.core.kpage import parse_kpageflags

    data = _pfn_range(fs, "kpageflags", start_pfn, end_pfn)
    return parse_kpageflags(data, fs.path("kpageflags"))


def sysvipc_shm(fs: ProcFS) -> list[SharedMemorySegment]:
    """The System V shared memory segments of the IPC namespace, from ``sysvipc/shm``."""
    from procfs.core.sysvipc import parse_sysvipc_shm

    return fs.parse("sysvipc/shm", parse_sysvipc_shm)


def sysvipc_sem(fs: ProcFS) -> list[SemaphoreSet]:
    """The System V semaphore sets of the IPC namespace, from ``sysvipc/sem``."""
    from procfs.core.sysvipc import parse_sysvipc_sem

    return fs.parse("sysvipc/sem", parse_sysvipc_sem)


def sysvipc_msg(fs: ProcFS) -> list[MessageQueue]:
    """The System V message queues of the IPC namespace, from ``sysvipc/msg``."""
    from procfs.core.sysvipc import parse_sysvipc_msg

    return fs.parse("sysvipc/msg", parse_sysvipc_msg)


def pressure(fs: ProcFS, resource: str) -> Pressure:
    """Pressure stall information of ``resource`` (``"cpu"``, ``"memory"``, ``"io"`` or
    ``"irq"``), from ``pressure/<resource>`` (4.20, CONFIG_PSI)."""
    from procfs.core.pressure import parse_pressure

    if resource not in _PSI_RESOURCES:
        raise ValueError(f"unknown pressure resource {resource!r}")
    relative = f"pressure/{resource}"
    return fs.parse(relative, parse_pressure, True)


def cpu_pressure(fs: ProcFS) -> Pressure:
    """CPU pressure, from ``pressure/cpu`` (``full`` is ``None`` before 5.13)."""
    return pressure(fs, "cpu")


def memory_pressure(fs: ProcFS) -> Pressure:
    """Memory pressure, from ``pressure/memory``."""
    return pressure(fs, "memory")


def io_pressure(fs: ProcFS) -> Pressure:
    """I/O pressure, from ``pressure/io``."""
    return pressure(fs, "io")


def irq_pressure(fs: ProcFS) -> Pressure:
    """Interrupt pressure, from ``pressure/irq`` (6.1; only ``full``)."""
    return pressure(fs, "irq")


def cgroup_pressure(path: str | _os.PathLike[str]) -> Pressure:
    """Pressure stall information of a cgroup v2 group, from one of its ``*.pressure`` files.

    ``path`` is the file's absolute path, such as
    ``/sys/fs/cgroup/system.slice/cpu.pressure`` (it lies outside /proc, so
    this takes no ProcFS root).
    """
    from procfs.core.pressure import parse_pressure

    text = _os.fspath(path)
    if not _os.path.isabs(text):
        raise ValueError(f"not an absolute path: {text!r}")
    directory, name = _os.path.split(text)
    return parse_pressure(ProcFS(directory).read(name, single=True), text)


def buddyinfo(fs: ProcFS) -> list[BuddyInfoEntry]:
    """Free blocks of each order in each memory zone, from ``buddyinfo``."""
    from procfs.core.buddyinfo import parse_buddyinfo

    return fs.parse("buddyinfo", parse_buddyinfo)


def zoneinfo(fs: ProcFS) -> list[Zone]:
    """Each memory zone of each NUMA node in detail, from ``zoneinfo`` (counts in pages)."""
    from procfs.core.zoneinfo import parse_zoneinfo

    return fs.parse("zoneinfo", parse_zoneinfo)


def slabinfo(fs: ProcFS) -> SlabInfo:
    """The kernel's slab caches, from ``slabinfo`` (root only: PermissionDeniedError else)."""
    from procfs.core.slabinfo import parse_slabinfo

    return fs.parse("slabinfo", parse_slabinfo)


def interrupts(fs: ProcFS) -> Interrupts:
    """Interrupt counts per CPU, from ``interrupts``."""
    from procfs.core.interrupts import parse_interrupts

    return fs.parse("interrupts", parse_interrupts)


def softirqs(fs: ProcFS) -> SoftIrqs:
    """Softirq counts per CPU, from ``softirqs``."""
    from procfs.core.interrupts import parse_softirqs

    return fs.parse("softirqs", parse_softirqs)


def kernel_schedstat(fs: ProcFS) -> KernelSchedstat:
    """Scheduler statistics per CPU and domain, from ``schedstat`` (CONFIG_SCHEDSTATS)."""
    from procfs.core.schedstat import parse_kernel_schedstat

    return fs.parse("schedstat", parse_kernel_schedstat)
