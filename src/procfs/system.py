"""System-wide readers: memory, processors, load, kernel version, devices and more.

:class:`SystemFiles` holds one method per system-wide file; :class:`procfs.ProcFS`
has them all, and ``procfs.meminfo()`` and friends are those methods bound to the
live ``/proc``.
"""

from __future__ import annotations

import os as _os

from procfs import core
from procfs._fs import DEFAULT_ROOT, Root
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

__all__ = ["SystemFiles", "cgroup_pressure"]

# Entry types of the ELF auxiliary vector (<elf.h>).
_AT_PAGESZ = 6
_AT_CLKTCK = 17

#: The resources that have a pressure file.
_PSI_RESOURCES = ("cpu", "memory", "io", "irq")

# Where distributions install the kernel configuration (config-<release>).
_BOOT_DIR = "/boot"


class SystemFiles(Root):
    """The readers of the system-wide files of a procfs root (see the module notes)."""

    __slots__ = ()

    def meminfo(self) -> MemInfo:
        """System memory usage, from ``meminfo`` (sizes in bytes)."""
        return self.load(core.meminfo.parse_meminfo)

    def cpuinfo(self) -> CpuInfo:
        """The online processors and their properties, from ``cpuinfo``."""
        # Not single: the kernel produces one seq_file record per processor.
        return self.load(core.cpuinfo.parse_cpuinfo)

    def loadavg(self) -> LoadAverage:
        """Load averages and scheduling-entity counts, from ``loadavg``."""
        return self.load(core.loadavg.parse_loadavg)

    def kernel_version(self) -> KernelVersion:
        """The running kernel's version, from ``sys/kernel/osrelease``."""
        return self.load(core.kernel.parse_osrelease)

    def kernel_stats(self) -> KernelStats:
        """CPU times and kernel counters since boot, from ``stat``."""
        return self.load(core.kernel_stats.parse_kernel_stats)

    def boot_time_secs(self) -> int:
        """When the system booted, in seconds since the Unix epoch (``btime`` of ``stat``)."""
        return self.parse("stat", core.boot_time.parse_boot_time, True)

    def boot_time(self) -> datetime:
        """When the system booted, as an aware datetime in UTC."""
        from datetime import datetime, timezone

        return datetime.fromtimestamp(self.boot_time_secs(), tz=timezone.utc)

    def ticks_per_second(self) -> int:
        """Clock ticks per second (USER_HZ): the unit of CPU times in ``stat`` files.

        For the live ``/proc`` this is ``sysconf(_SC_CLK_TCK)``. For another root
        it is the ``AT_CLKTCK`` entry of ``self/auxv`` there (what that kernel
        gave its processes), falling back to this system's value when there is
        no such file or its value is implausible (a vector captured on a machine
        of another word size).
        """
        if self.root != DEFAULT_ROOT:
            value = self._auxv_value(_AT_CLKTCK)
            if value is not None and 0 < value <= 1_000_000:
                return value
        return _os.sysconf("SC_CLK_TCK")

    def page_size(self) -> int:
        """The size of a memory page in bytes: the unit of ``statm`` and of ``rss``.

        For the live ``/proc`` this is ``sysconf(_SC_PAGE_SIZE)``. For another
        root it is the ``AT_PAGESZ`` entry of ``self/auxv`` there, falling back
        to this system's value.
        """
        if self.root != DEFAULT_ROOT:
            value = self._auxv_value(_AT_PAGESZ)
            if value is not None and value >= 1024 and value & (value - 1) == 0:
                return value
        return _os.sysconf("SC_PAGE_SIZE")

    def kernel_config(self) -> dict[str, ConfigValue]:
        """The kernel's build configuration, by option name (``CONFIG_...``).

        Read from ``config.gz`` under the root (needs CONFIG_IKCONFIG_PROC). For
        the live ``/proc`` only, when that file is missing, from
        ``/boot/config-<release>`` as distributions install it. Options that are
        not set are absent (see :mod:`procfs.core.config`). Raises
        :class:`~procfs.errors.NotFoundError` when neither file exists.
        """
        try:
            data = self.read("config.gz")
        except NotFoundError:
            if self.root != DEFAULT_ROOT:
                raise
            release = self.kernel_version().release
            boot = Root(_BOOT_DIR)
            name = f"config-{release}"
            return core.config.parse_config(boot.read(name), boot.path(name))
        return core.config.parse_config(data, self.path("config.gz"))

    def cgroups(self) -> list[CgroupController]:
        """The cgroup controllers the kernel knows, from ``cgroups``."""
        return self.load(core.cgroups.parse_cgroups)

    def mounts(self) -> list[MountEntry]:
        """The mounts of the reading process's mount namespace, from ``mounts``."""
        return self.load(core.mounts.parse_mounts)

    def _auxv_value(self, key: int) -> int | None:
        """Entry ``key`` of the auxiliary vector of ``self`` under this root, if readable."""
        try:
            data = self.read("self/auxv")
        except ProcError:
            # A captured tree may store the "self" link as a file naming the pid.
            try:
                target = self.readlink("self").rstrip("/").rsplit("/", 1)[-1]
                data = self.read(f"{target}/auxv")
            except (ProcError, OSError):
                return None
        try:
            entries = core.auxv.parse_auxv(data)
        except ProcError:
            return None
        return next((entry.value for entry in entries if entry.key == key), None)

    def uptime(self) -> Uptime:
        """Seconds since boot and seconds spent idle (summed over CPUs), from ``uptime``."""
        return self.load(core.uptime.parse_uptime)

    def vmstat(self) -> VmStat:
        """Virtual-memory counters, from ``vmstat`` (page counts and event counts)."""
        return self.load(core.vmstat.parse_vmstat)

    def diskstats(self) -> list[DiskStat]:
        """I/O counters of every block device and partition, from ``diskstats``."""
        return self.load(core.diskstats.parse_diskstats)

    def partitions(self) -> list[Partition]:
        """Block devices and partitions with their sizes in bytes, from ``partitions``."""
        return self.load(core.partitions.parse_partitions)

    def swaps(self) -> list[Swap]:
        """The swap areas in use (sizes in bytes), from ``swaps``."""
        return self.load(core.swaps.parse_swaps)

    def filesystems(self) -> list[Filesystem]:
        """The filesystem types the kernel supports now, from ``filesystems``."""
        return self.load(core.filesystems.parse_filesystems)

    def kernel_version_info(self) -> KernelVersionInfo:
        """The kernel's release, builder, compiler and version string, from ``version``."""
        return self.load(core.version.parse_version)

    def kernel_cmdline(self) -> KernelCmdline:
        """The parameters the kernel was booted with, from ``cmdline``."""
        return self.load(core.kernel_cmdline.parse_kernel_cmdline)

    def devices(self) -> Devices:
        """The character and block major numbers drivers registered, from ``devices``."""
        return self.load(core.devices.parse_devices)

    def crypto(self) -> list[CryptoAlgorithm]:
        """The cryptographic algorithms registered with the kernel, from ``crypto``."""
        return self.load(core.crypto.parse_crypto)

    def iomem(self) -> list[IoResource]:
        """The physical memory map, from ``iomem`` (addresses are 0 without CAP_SYS_ADMIN)."""
        return self.load(core.iomem.parse_iomem)

    def ioports(self) -> list[IoResource]:
        """The I/O port map, from ``ioports`` (addresses are 0 without CAP_SYS_ADMIN)."""
        return self.load(core.iomem.parse_iomem, "ioports")

    def locks(self) -> list[Lock]:
        """The file locks held and the requests waiting for them, from ``locks``."""
        return self.load(core.locks.parse_locks)

    def modules(self) -> list[Module]:
        """The loaded kernel modules, from ``modules`` (missing without CONFIG_MODULES)."""
        return self.load(core.modules.parse_modules)

    def keys(self) -> list[Key]:
        """The keys the caller may view, from ``keys`` (CONFIG_KEYS)."""
        return self.load(core.keys.parse_keys)

    def key_users(self) -> dict[int, KeyUser]:
        """Key counts and quotas of each user that owns keys, by uid, from ``key-users``."""
        return self.load(core.keys.parse_key_users)

    def _pfn_range(self, relative: str, start_pfn: int, end_pfn: int) -> bytes:
        """Bytes ``[8 * start_pfn, 8 * end_pfn)`` of a per-PFN file (one 64-bit word a frame)."""
        if start_pfn < 0 or end_pfn < start_pfn:
            raise ValueError(f"bad PFN range [{start_pfn}, {end_pfn})")
        return self.pread(relative, 8 * start_pfn, 8 * (end_pfn - start_pfn))

    def kpagecount(self, start_pfn: int, end_pfn: int) -> list[int]:
        """How often each page frame in ``[start_pfn, end_pfn)`` is mapped, from ``kpagecount``.

        Only that range of the file is read. The list is shorter when the range
        goes past the highest PFN. Root only (CONFIG_PROC_PAGE_MONITOR).
        """
        data = self._pfn_range("kpagecount", start_pfn, end_pfn)
        return core.kpage.parse_kpagecount(data, self.path("kpagecount"))

    def kpageflags(self, start_pfn: int, end_pfn: int) -> list[PageFlags]:
        """The flags of each page frame in ``[start_pfn, end_pfn)``, from ``kpageflags``.

        Only that range of the file is read. The list is shorter when the range
        goes past the highest PFN. Root only (CONFIG_PROC_PAGE_MONITOR).
        """
        data = self._pfn_range("kpageflags", start_pfn, end_pfn)
        return core.kpage.parse_kpageflags(data, self.path("kpageflags"))

    def sysvipc_shm(self) -> list[SharedMemorySegment]:
        """The System V shared memory segments of the IPC namespace, from ``sysvipc/shm``."""
        return self.load(core.sysvipc.parse_sysvipc_shm)

    def sysvipc_sem(self) -> list[SemaphoreSet]:
        """The System V semaphore sets of the IPC namespace, from ``sysvipc/sem``."""
        return self.load(core.sysvipc.parse_sysvipc_sem)

    def sysvipc_msg(self) -> list[MessageQueue]:
        """The System V message queues of the IPC namespace, from ``sysvipc/msg``."""
        return self.load(core.sysvipc.parse_sysvipc_msg)

    def pressure(self, resource: str) -> Pressure:
        """Pressure stall information of ``resource`` (``"cpu"``, ``"memory"``, ``"io"`` or
        ``"irq"``), from ``pressure/<resource>`` (4.20, CONFIG_PSI)."""
        if resource not in _PSI_RESOURCES:
            raise ValueError(f"unknown pressure resource {resource!r}")
        return self.load(core.pressure.parse_pressure, f"pressure/{resource}")

    def cpu_pressure(self) -> Pressure:
        """CPU pressure, from ``pressure/cpu`` (``full`` is ``None`` before 5.13)."""
        return self.pressure("cpu")

    def memory_pressure(self) -> Pressure:
        """Memory pressure, from ``pressure/memory``."""
        return self.pressure("memory")

    def io_pressure(self) -> Pressure:
        """I/O pressure, from ``pressure/io``."""
        return self.pressure("io")

    def irq_pressure(self) -> Pressure:
        """Interrupt pressure, from ``pressure/irq`` (6.1; only ``full``)."""
        return self.pressure("irq")

    def buddyinfo(self) -> list[BuddyInfoEntry]:
        """Free blocks of each order in each memory zone, from ``buddyinfo``."""
        return self.load(core.buddyinfo.parse_buddyinfo)

    def zoneinfo(self) -> list[Zone]:
        """Each memory zone of each NUMA node in detail, from ``zoneinfo`` (counts in pages)."""
        return self.load(core.zoneinfo.parse_zoneinfo)

    def slabinfo(self) -> SlabInfo:
        """The kernel's slab caches, from ``slabinfo`` (root only: PermissionDeniedError else)."""
        return self.load(core.slabinfo.parse_slabinfo)

    def interrupts(self) -> Interrupts:
        """Interrupt counts per CPU, from ``interrupts``."""
        return self.load(core.interrupts.parse_interrupts)

    def softirqs(self) -> SoftIrqs:
        """Softirq counts per CPU, from ``softirqs``."""
        return self.load(core.interrupts.parse_softirqs)

    def kernel_schedstat(self) -> KernelSchedstat:
        """Scheduler statistics per CPU and domain, from ``schedstat`` (CONFIG_SCHEDSTATS)."""
        return self.load(core.schedstat.parse_kernel_schedstat)


def cgroup_pressure(path: str | _os.PathLike[str]) -> Pressure:
    """Pressure stall information of a cgroup v2 group, from one of its ``*.pressure`` files.

    ``path`` is the file's absolute path, such as
    ``/sys/fs/cgroup/system.slice/cpu.pressure`` (it lies outside /proc, so
    this takes no ProcFS root).
    """
    text = _os.fspath(path)
    if not _os.path.isabs(text):
        raise ValueError(f"not an absolute path: {text!r}")
    directory, name = _os.path.split(text)
    return core.pressure.parse_pressure(Root(directory).read(name, single=True), text)
