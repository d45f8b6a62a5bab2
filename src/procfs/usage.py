"""System-wide usage as psutil reports it: CPU, memory, disks, network, samples.

:class:`UsageFiles` computes, from the system files, what psutil's
system-wide functions return on Linux, with the same names and meanings
(``procfs.cpu_times()``, ``procfs.virtual_memory()``,
``procfs.disk_io_counters()``...), as typed records. Where psutil and the
procps tools differ from the kernel's own figures, each docstring says which
definition is used.

Coming from psutil: ``psutil.boot_time()`` (a float of seconds since the
epoch) is :meth:`~procfs.system.SystemFiles.boot_time_secs` here;
:meth:`~procfs.system.SystemFiles.boot_time` gives the same moment as a
datetime. psutil's hidden "since the last call" state of ``cpu_percent()``
and ``cpu_times_percent()`` is kept per root object here (and per thread,
as psutil does), and :meth:`UsageFiles.sample` with :func:`procfs.delta`
measures rates with no hidden state at all (see :mod:`procfs.rates`).

Files outside ``/proc`` (``/sys/devices/system/cpu``, ``/sys/block``) are
read for the live ``/proc`` only; another root (a container's ``/proc``, a
capture) falls back on what its own files say, as each docstring tells.
"""

from __future__ import annotations

import os as _os
import time as _time
from _operator import sub as _sub
from _thread import get_ident as _get_ident

from procfs import core
from procfs._fs import DEFAULT_ROOT, Root
from procfs.core._record import Record
from procfs.errors import NotFoundError, ParseError, ProcError
from procfs.memory import (
    SwapMemory,
    VirtualMemory,
    memory_of,
    paging_of,
    percent,
    swap_of,
)
from procfs.net import NetFiles
from procfs.scan import ScanFiles
from procfs.system import SystemFiles

TYPE_CHECKING = False
if not TYPE_CHECKING:
    # typing.overload does this at run time; importing typing would cost every command.
    def overload(function: object) -> object:
        return function


if TYPE_CHECKING:
    from typing import Literal, overload

    from procfs.core.kernel_stats import CpuTime, KernelStats
    from procfs.rates import Sample


__all__ = [
    "CpuCounts",
    "CpuFreq",
    "CpuStats",
    "CpuTimes",
    "CpuTimesPercent",
    "DiskIoCounters",
    "DiskPartition",
    "DiskUsage",
    "NetIoCounters",
    "UsageFiles",
    "cpu_busy_percent",
    "cpu_mode_percents",
    "cpu_percents",
    "cpu_stats_of",
    "disk_total",
    "sysfs_freqs",
    "total_cpu_time",
    "whole_disks",
]

#: Where the kernel describes the processors (sysfs; read for the live /proc only).
_SYS_CPU = "/sys/devices/system/cpu"
#: The whole block devices (not partitions), one entry each (sysfs).
_SYS = "/sys"
#: The filesystem types psutil counts as physical although ``filesystems`` says nodev.
_PHYSICAL_NODEV = frozenset(("zfs",))
#: Superblock flags that ``mounts`` shows before the per-mount options (fs/proc_namespace.c).
_SB_FLAGS = ("sync", "dirsync", "mand", "lazytime")


class CpuTimes(Record):
    """Time all CPUs together (or one CPU) spent in each mode, in seconds (psutil's
    ``scputimes`` on Linux). The clock ticks of ``stat`` divided by
    :meth:`~procfs.system.SystemFiles.ticks_per_second`.

    As in the kernel and in psutil, ``user`` includes ``guest`` and ``nice``
    includes ``guest_nice`` (psutil does not subtract them from ``user`` or
    ``nice``; it leaves them out of its total instead, as
    :func:`cpu_busy_percent` does). A mode an old kernel does not count is
    ``None``.

    Attributes:
        user: in user mode, guest time included.
        nice: in user mode at low priority, niced guest time included.
        system: in kernel mode.
        idle: idle.
        iowait: (2.5.41) idle with I/O outstanding.
        irq: (2.6.0) servicing hardware interrupts.
        softirq: (2.6.0) servicing software interrupts.
        steal: (2.6.11) taken by the hypervisor for other guests.
        guest: (2.6.24) running a guest's virtual CPU.
        guest_nice: (2.6.33) running a niced guest.
    """

    user: float
    nice: float
    system: float
    idle: float
    iowait: float | None = None
    irq: float | None = None
    softirq: float | None = None
    steal: float | None = None
    guest: float | None = None
    guest_nice: float | None = None


class CpuTimesPercent(Record):
    """The share of an interval each mode took, in percent of the CPU time that passed
    (psutil's ``cpu_times_percent()``); ``guest`` and ``guest_nice`` are also inside
    ``user`` and ``nice``, so the fields add up to 100 plus the guest share. A mode
    the kernel does not count is ``None``.

    Attributes:
        user: percent in user mode (guest included).
        nice: percent in user mode at low priority (niced guest included).
        system: percent in kernel mode.
        idle: percent idle.
        iowait: percent idle with I/O outstanding.
        irq: percent servicing hardware interrupts.
        softirq: percent servicing software interrupts.
        steal: percent taken by the hypervisor.
        guest: percent running guests.
        guest_nice: percent running niced guests.
    """

    user: float
    nice: float
    system: float
    idle: float
    iowait: float | None = None
    irq: float | None = None
    softirq: float | None = None
    steal: float | None = None
    guest: float | None = None
    guest_nice: float | None = None


class CpuCounts(Record):
    """How many processors the system has, counted the ways the kernel offers.

    Attributes:
        online: logical CPUs online now (``sysconf(_SC_NPROCESSORS_ONLN)``,
            ``os.cpu_count()``, ``nproc --all`` less the offline ones).
        present: logical CPUs physically present (``/sys/devices/system/cpu/present``);
            ``None`` where that file cannot be read (another root).
        possible: logical CPUs the kernel could ever bring online, hot-plug
            included (``possible``); ``None`` where unknown.
        cores: physical cores: distinct ``topology/core_cpus_list`` (before 5.3
            ``thread_siblings_list``) of the CPUs, else distinct
            (``physical id``, ``core id``) pairs of ``cpuinfo``; ``None`` if
            neither says.
        sockets: physical packages: distinct ``topology/physical_package_id``,
            else distinct ``physical id`` of ``cpuinfo``; ``None`` if neither says.
    """

    online: int
    present: int | None
    possible: int | None
    cores: int | None
    sockets: int | None


class CpuStats(Record):
    """Counters of the CPUs since boot (psutil's ``cpu_stats()``), from ``stat``.

    Attributes:
        ctx_switches: context switches (``ctxt``).
        interrupts: hardware interrupts serviced (the total of ``intr``).
        soft_interrupts: software interrupts serviced (the total of ``softirq``;
            0 before 2.6.31, which has no such line).
        syscalls: always 0: Linux does not count system calls (as psutil).
    """

    ctx_switches: int
    interrupts: int
    soft_interrupts: int
    syscalls: int


class CpuFreq(Record):
    """A CPU clock frequency in MHz (psutil's ``scpufreq``).

    Attributes:
        current: the frequency now (sysfs ``scaling_cur_freq``, else
            ``cpuinfo_cur_freq``, else the ``cpu MHz`` of ``cpuinfo``).
        min: the lowest the frequency governor may set (``scaling_min_freq``);
            ``None`` when only ``cpuinfo`` says (psutil gives 0.0 there).
        max: the highest it may set (``scaling_max_freq``); ``None`` likewise.
    """

    current: float
    min: float | None
    max: float | None


class DiskUsage(Record):
    """The space of the filesystem holding a path (psutil's ``disk_usage()``), from
    ``statvfs(3)``.

    Attributes:
        total: its size (``f_blocks * f_frsize``), bytes.
        used: ``total`` less the free blocks (``f_bfree``), the root-reserved
            ones included, bytes (``df``'s "Used").
        free: the blocks an ordinary user may still take (``f_bavail``), bytes
            (``df``'s "Available").
        percent: ``used / (used + free)`` in percent, rounded to one decimal:
            the share of what users can have (``df``'s "Use%" rounds this up).
    """

    total: int
    used: int
    free: int
    percent: float


class DiskPartition(Record):
    """One mounted filesystem (psutil's ``sdiskpart``), from ``self/mountinfo``.

    Attributes:
        device: what is mounted (the mount source: ``/dev/sda1``), ``""`` for
            none; ``/dev/root`` is resolved to the block device's name.
        mountpoint: where.
        fstype: the filesystem type (``ext4``, ``fuse.sshfs``).
        opts: the options as ``/proc/mounts`` prints them, comma-separated
            (``rw,relatime,errors=remount-ro``).
    """

    device: str
    mountpoint: str
    fstype: str
    opts: str


class DiskIoCounters(Record):
    """I/O of a block device since boot (psutil's ``sdiskio``), from ``diskstats``.

    Times are in milliseconds; 0 where the kernel does not count them (the
    short partition lines of 2.6 before 2.6.25).

    Attributes:
        read_count: reads completed.
        write_count: writes completed.
        read_bytes: bytes read (sectors of 512 bytes).
        write_bytes: bytes written.
        read_time: milliseconds spent reading (summed over requests).
        write_time: milliseconds spent writing.
        read_merged_count: reads merged with an adjacent one before being issued.
        write_merged_count: writes merged likewise.
        busy_time: milliseconds the device had I/O in flight (``io_ticks``).
    """

    read_count: int
    write_count: int
    read_bytes: int
    write_bytes: int
    read_time: int
    write_time: int
    read_merged_count: int
    write_merged_count: int
    busy_time: int


class NetIoCounters(Record):
    """Traffic of a network interface since it appeared (psutil's ``snetio``), from
    ``net/dev``.

    Attributes:
        bytes_sent: bytes transmitted.
        bytes_recv: bytes received.
        packets_sent: packets transmitted.
        packets_recv: packets received.
        errin: receive errors.
        errout: transmit errors.
        dropin: received packets dropped.
        dropout: packets to send dropped.
    """

    bytes_sent: int
    bytes_recv: int
    packets_sent: int
    packets_recv: int
    errin: int
    errout: int
    dropin: int
    dropout: int


def _mode_deltas(before: CpuTime, after: CpuTime) -> list[int | None]:
    """The ticks each mode gained from ``before`` to ``after`` (never below 0: a counter
    that went back, as an offline CPU's may, gained nothing)."""
    old = _cpu_values(before)
    new = _cpu_values(after)
    if None in old or None in new:
        return [
            None if then is None or now is None else max(0, now - then)
            for then, now in zip(old, new, strict=True)
        ]
    return [gain if gain > 0 else 0 for gain in map(_sub, new, old)]


#: The ten times of a CpuTime as a tuple (its digits converted in one C loop).
_cpu_values = core.kernel_stats.CpuTime.fields_getter(core.kernel_stats.CpuTime._fields[:10])


def cpu_percents(before: CpuTime, after: CpuTime) -> tuple[float, CpuTimesPercent]:
    """:func:`cpu_busy_percent` and :func:`cpu_mode_percents` of the same two readings."""
    deltas = _mode_deltas(before, after)
    return _busy(deltas), _modes(deltas)


def cpu_busy_percent(before: CpuTime, after: CpuTime) -> float:
    """The busy share of the time from ``before`` to ``after`` (two readings of one CPU or
    of all), in percent, unrounded: psutil's ``cpu_percent()`` computation.

    Busy is everything but ``idle`` and ``iowait``, out of the total of every mode
    but the guest ones (counted in ``user`` and ``nice`` already); 0.0 when no
    time passed.
    """
    return _busy(_mode_deltas(before, after))


def cpu_mode_percents(before: CpuTime, after: CpuTime) -> CpuTimesPercent:
    """The share of each mode in the time from ``before`` to ``after``, in percent,
    unrounded: psutil's ``cpu_times_percent()`` computation (out of the total of
    :func:`cpu_busy_percent`, or of 1 tick when none passed)."""
    return _modes(_mode_deltas(before, after))


def _total(deltas: list[int | None]) -> int:
    """All the time that passed: every mode but ``guest`` and ``guest_nice``, which the
    kernel counts inside ``user`` and ``nice`` too."""
    return sum(delta for delta in deltas[:8] if delta is not None)


def _busy(deltas: list[int | None]) -> float:
    total = _total(deltas)
    if not total:
        return 0.0
    busy = total - (deltas[3] or 0) - (deltas[4] or 0)
    return max(0.0, busy * 100.0 / total)


def _modes(deltas: list[int | None]) -> CpuTimesPercent:
    scale = 100.0 / max(1, _total(deltas))
    if None in deltas:
        return _new_percents(
            [None if delta is None else min(100.0, delta * scale) for delta in deltas]
        )
    shares = [delta * scale for delta in deltas]  # type: ignore[operator]
    return _new_percents([share if share < 100.0 else 100.0 for share in shares])


_new_percents = CpuTimesPercent._make
_new_times = CpuTimes._make


def _rounded(percents: CpuTimesPercent) -> CpuTimesPercent:
    """``percents`` rounded to one decimal, as psutil gives them."""
    return _new_percents(
        [None if value is None else round(value, 1) for value in percents._astuple()]
    )


def _cpu_list(text: str, path: str) -> list[int]:
    """The CPUs of a sysfs CPU list such as ``0-3,8,10-11`` (empty: none)."""
    out: list[int] = []
    try:
        for part in text.strip().split(","):
            if not part:
                continue
            first, dash, last = part.partition("-")
            out.extend(range(int(first), int(last if dash else first) + 1))
    except ValueError:
        raise ParseError(f"not a CPU list: {text!r}", path) from None
    return out


class UsageFiles(NetFiles, ScanFiles, SystemFiles):
    """System-wide usage as psutil reports it, computed from the system files (see the
    module notes)."""

    # The "since the last call" state of cpu_percent() and cpu_times_percent(): this
    # root's own, the CPU readings by (percpu, thread) for each; set at the first call.
    __slots__ = ("_last_call",)

    _last_call: tuple[dict[tuple[bool, int], dict[int, CpuTime]], ...]

    # -- CPU ------------------------------------------------------------------

    @overload
    def cpu_times(self, percpu: Literal[False] = False) -> CpuTimes: ...
    @overload
    def cpu_times(self, percpu: Literal[True]) -> list[CpuTimes]: ...

    def cpu_times(self, percpu: bool = False) -> CpuTimes | list[CpuTimes]:
        """Time spent in each mode since boot, in seconds (psutil's ``cpu_times()``):
        all CPUs together, or (``percpu``) one record per CPU in the kernel's
        order, which leaves out CPUs that are offline. See :class:`CpuTimes` (guest
        time is inside ``user``, as in psutil)."""
        ticks = float(self.ticks_per_second())
        if percpu:
            return [_in_seconds(time, ticks) for time in self.kernel_stats().cpus.values()]
        return _in_seconds(total_cpu_time(self), ticks)

    @overload
    def cpu_percent(
        self, interval: float | None = None, percpu: Literal[False] = False
    ) -> float: ...
    @overload
    def cpu_percent(self, interval: float | None, percpu: Literal[True]) -> list[float]: ...
    @overload
    def cpu_percent(
        self, interval: float | None = None, *, percpu: Literal[True]
    ) -> list[float]: ...

    def cpu_percent(
        self, interval: float | None = None, percpu: bool = False
    ) -> float | list[float]:
        """How busy the CPUs were, in percent rounded to one decimal (psutil's
        ``cpu_percent()``): all together, or (``percpu``) each.

        With an ``interval`` above 0, over that many seconds, waiting meanwhile.
        Without (None or 0), since the previous call on this root in this thread
        (the first call compares with a reading taken at once, so gives a
        meaningless value, usually 0.0, as psutil's first call does). That
        state lives in this root object, not in the module: two roots (or
        threads) measure independently. :meth:`sample` with
        :func:`procfs.delta` needs no state at all. Busy is what
        :func:`cpu_busy_percent` says.
        """
        pairs = self._since(percpu, interval, 0)
        return (
            [round(cpu_busy_percent(old, new), 1) for old, new in pairs]
            if percpu
            else round(cpu_busy_percent(*pairs[0]), 1)
        )

    @overload
    def cpu_times_percent(
        self, interval: float | None = None, percpu: Literal[False] = False
    ) -> CpuTimesPercent: ...
    @overload
    def cpu_times_percent(
        self, interval: float | None, percpu: Literal[True]
    ) -> list[CpuTimesPercent]: ...
    @overload
    def cpu_times_percent(
        self, interval: float | None = None, *, percpu: Literal[True]
    ) -> list[CpuTimesPercent]: ...

    def cpu_times_percent(
        self, interval: float | None = None, percpu: bool = False
    ) -> CpuTimesPercent | list[CpuTimesPercent]:
        """The share of each mode, in percent rounded to one decimal (psutil's
        ``cpu_times_percent()``), over ``interval`` or since the previous call, as
        :meth:`cpu_percent` (whose state it does not share)."""
        pairs = self._since(percpu, interval, 1)
        if percpu:
            return [_rounded(cpu_mode_percents(old, new)) for old, new in pairs]
        return _rounded(cpu_mode_percents(*pairs[0]))

    def _since(
        self, percpu: bool, interval: float | None, kind: int
    ) -> list[tuple[CpuTime, CpuTime]]:
        """The two CPU readings a psutil-style call compares (each CPU's, in CPU order,
        with ``percpu``; else one pair): around a sleep of ``interval``, else the one the
        previous call of function ``kind`` (0: cpu_percent, 1: cpu_times_percent) kept
        for this thread and one now, kept for the next call. Those two functions are
        what :func:`procfs.delta` computes from two samples."""
        if interval is not None and interval < 0:
            raise ValueError(f"interval is negative: {interval!r}")
        if interval:
            before = self._cpu_reading(percpu)
            _time.sleep(interval)
        else:
            try:
                kept = self._last_call
            except AttributeError:
                kept = self._last_call = ({}, {})
            key = (percpu, _get_ident())
            now = self._cpu_reading(percpu)
            before = kept[kind].get(key, now)
            kept[kind][key] = now
            return _cpu_pairs(before, now)
        return _cpu_pairs(before, self._cpu_reading(percpu))

    def _cpu_reading(self, percpu: bool) -> dict[int, CpuTime]:
        """Each CPU's times (``percpu``), or the system's as CPU -1."""
        return self.kernel_stats().cpus if percpu else {-1: total_cpu_time(self)}

    def cpu_stats(self) -> CpuStats:
        """Context switches and interrupts since boot (psutil's ``cpu_stats()``)."""
        return cpu_stats_of(self.kernel_stats())

    def cpu_counts(self) -> CpuCounts:
        """The processors counted every way: online, present, possible, cores, sockets
        (see :class:`CpuCounts`). For another root than the live ``/proc``,
        ``online`` counts the ``cpuN`` lines of its ``stat`` and the rest comes from
        its ``cpuinfo``, ``present`` and ``possible`` being ``None``."""
        sysfs = self._sys_cpu()
        if sysfs is not None:
            online = _os.sysconf("SC_NPROCESSORS_ONLN")
            present = _count_list(sysfs, "present")
            possible = _count_list(sysfs, "possible")
            cores, sockets = _topology(sysfs)
        else:
            online = len(self.kernel_stats().cpus)
            present = possible = cores = sockets = None
        if cores is None:
            cores, sockets = _cpuinfo_topology(self)
        return CpuCounts(online, present, possible, cores, sockets)

    def cpu_count(self, logical: bool = True) -> int | None:
        """The number of logical CPUs online (psutil's ``cpu_count()``, ``os.cpu_count()``),
        or (``logical=False``) of physical cores, ``None`` when unknown (see
        :meth:`cpu_counts` for present and possible CPUs and sockets)."""
        if logical:
            if self._sys_cpu() is not None:
                return _os.sysconf("SC_NPROCESSORS_ONLN")
            return len(self.kernel_stats().cpus) or None
        return self.cpu_counts().cores

    @overload
    def cpu_freq(self, percpu: Literal[False] = False) -> CpuFreq | None: ...
    @overload
    def cpu_freq(self, percpu: Literal[True]) -> list[CpuFreq]: ...

    def cpu_freq(self, percpu: bool = False) -> CpuFreq | list[CpuFreq] | None:
        """CPU frequencies in MHz (psutil's ``cpu_freq()``): the mean over the CPUs
        (``None`` when there is none to read), or (``percpu``) one record per CPU.

        From sysfs ``cpufreq`` where the kernel has it (live ``/proc`` only: the
        ``policyN`` directories, else ``cpuN/cpufreq``), else from the ``cpu MHz``
        lines of ``cpuinfo`` (x86), with ``min`` and ``max`` then ``None``. A CPU
        whose policy gives no current frequency (offline) is 0.0, as in psutil.
        """
        sysfs = self._sys_cpu()
        freqs = None if sysfs is None else sysfs_freqs(sysfs)
        if freqs is None:
            cpuinfo = self.cpuinfo()
            freqs = []
            for cpu in cpuinfo.cpus:
                mhz = cpu.get("cpu MHz")
                if mhz is not None:
                    try:
                        freqs.append(CpuFreq(float(mhz), None, None))
                    except ValueError:
                        raise ParseError(f"cpu MHz: {mhz!r}", self.path("cpuinfo")) from None
        if percpu:
            return freqs
        if not freqs:
            return None
        count = len(freqs)
        current = sum(freq.current for freq in freqs) / count
        if any(freq.min is None or freq.max is None for freq in freqs):
            return CpuFreq(current, None, None)
        return CpuFreq(
            current,
            sum(freq.min or 0.0 for freq in freqs) / count,
            sum(freq.max or 0.0 for freq in freqs) / count,
        )

    def _sys_cpu(self) -> Root | None:
        """``/sys/devices/system/cpu`` for the live ``/proc`` when it is there, else None."""
        if self.root != DEFAULT_ROOT or not _os.path.isdir(_SYS_CPU):
            return None
        return Root(_SYS_CPU)

    # -- memory -----------------------------------------------------------------

    def virtual_memory(self) -> VirtualMemory:
        """System memory as ``free`` from procps-ng 4.x computes it (and psutil 7.1 onward):
        ``used = total - available``, ``cached = Cached + SReclaimable``; see
        :class:`VirtualMemory` for each field and for a kernel without
        ``MemAvailable`` (before 3.14): ``available`` is then ``MemFree``, as procps
        says, where psutil estimates it."""
        return memory_of(self.meminfo())

    def swap_memory(self) -> SwapMemory:
        """Swap space (``meminfo``) and the swap traffic since boot (``vmstat``), as
        psutil's ``swap_memory()`` (see :class:`SwapMemory`). ``sin`` and ``sout`` are
        0 on a kernel whose ``vmstat`` lacks ``pswpin``/``pswpout`` (no CONFIG_SWAP)."""
        return swap_of(self.meminfo(), paging_of(self))

    # -- disks ------------------------------------------------------------------

    def disk_usage(self, path: str | _os.PathLike[str]) -> DiskUsage:
        """The space of the filesystem that holds ``path`` (psutil's ``disk_usage()``,
        ``df -B1``'s columns), from ``statvfs``; see :class:`DiskUsage`. The path is
        a path of this machine, whatever the root. Raises
        :class:`~procfs.errors.NotFoundError` and the like for a path that cannot
        be looked up."""
        from procfs.errors import from_oserror

        try:
            st = _os.statvfs(path)
        except OSError as exc:
            raise from_oserror(exc, _os.fsdecode(_os.fspath(path))) from None
        total = st.f_blocks * st.f_frsize
        used = total - st.f_bfree * st.f_frsize
        free = st.f_bavail * st.f_frsize
        return DiskUsage(total, used, free, percent(used, used + free))

    def disk_partitions(self, all: bool = False) -> list[DiskPartition]:
        """The mounted filesystems of this process's mount namespace (psutil's
        ``disk_partitions()``), from ``self/mountinfo``, in mount order.

        Without ``all``, only those on a device: a mount source, and a type that
        ``filesystems`` does not mark ``nodev`` (or zfs), as psutil keeps them. A
        ``/dev/root`` source is resolved through ``/sys/dev/block`` (live root).
        """
        mounts = self.load(core.mountinfo.parse_mountinfo, "self/mountinfo")
        physical: set[str] | None = None
        if not all:
            physical = {fs.name for fs in self.filesystems() if not fs.nodev}
            physical |= _PHYSICAL_NODEV
        out: list[DiskPartition] = []
        for mount in mounts:
            device = mount.mount_source or ""
            if device == "none":
                device = ""
            if physical is not None and (not device or mount.fs_type not in physical):
                continue
            if device in ("/dev/root", "rootfs"):
                device = self._block_device(mount.major, mount.minor) or device
            out.append(DiskPartition(device, mount.mount_point, mount.fs_type, _mount_opts(mount)))
        return out

    def _block_device(self, major: int, minor: int) -> str | None:
        """``/dev/<name>`` of a block device by number, from sysfs (live root only)."""
        if self.root != DEFAULT_ROOT:
            return None
        try:
            text = _sysfs().read(f"dev/block/{major}:{minor}/uevent").decode()
        except (ProcError, UnicodeDecodeError):
            return None
        for line in text.splitlines():
            if line.startswith("DEVNAME="):
                return "/dev/" + line[8:]
        return None

    @overload
    def disk_io_counters(self, perdisk: Literal[False] = False) -> DiskIoCounters: ...
    @overload
    def disk_io_counters(self, perdisk: Literal[True]) -> dict[str, DiskIoCounters]: ...

    def disk_io_counters(self, perdisk: bool = False) -> DiskIoCounters | dict[str, DiskIoCounters]:
        """I/O counters of the block devices since boot (psutil's ``disk_io_counters()``),
        from ``diskstats``; bytes and milliseconds (see :class:`DiskIoCounters`).

        With ``perdisk``, every line of ``diskstats`` by device name, partitions
        included. Without, their sum over the whole devices only (a partition's
        I/O is already in its disk's): the devices listed in ``/sys/block``, as
        psutil counts (loop, dm, md and zram devices included). For a root other
        than the live one, or without sysfs, a device is taken for a partition
        when another device's name followed by digits (or ``p`` and digits) is its
        name (``sda1``, ``nvme0n1p2``, ``mmcblk0p1``).
        """
        counters = {stat.name: _disk_counters(stat) for stat in self.diskstats()}
        if perdisk:
            return counters
        return disk_total(self, counters)

    # -- network ---------------------------------------------------------------

    @overload
    def net_io_counters(self, pernic: Literal[False] = False) -> NetIoCounters: ...
    @overload
    def net_io_counters(self, pernic: Literal[True]) -> dict[str, NetIoCounters]: ...

    def net_io_counters(self, pernic: bool = False) -> NetIoCounters | dict[str, NetIoCounters]:
        """Traffic of the network interfaces of this network namespace (psutil's
        ``net_io_counters()``), from ``net/dev``: summed over every interface
        (loopback included, as psutil), or (``pernic``) by interface name."""
        nics = {name: _nic_counters(status) for name, status in self.net_dev().items()}
        if pernic:
            return nics
        return _sum_nics(list(nics.values()))

    # -- processes -------------------------------------------------------------

    def pid_exists(self, pid: int) -> bool:
        """Whether a process with this pid exists (psutil's ``pid_exists()``): a thread
        id that is not also a process id does not count (its ``status`` names
        another ``Tgid``), nor does 0 (the idle task has no directory; psutil
        agrees on Linux). A negative pid raises :class:`ValueError`."""
        if not isinstance(pid, int):
            raise TypeError(f"a pid is an int, not {type(pid).__name__}")
        if pid < 0:
            raise ValueError(f"a pid is not negative: {pid}")
        try:
            data = self.read(f"{pid}/status")
        except NotFoundError:
            return False
        start = data.find(b"\nTgid:")
        if start < 0:
            raise ParseError("no Tgid line", self.path(f"{pid}/status"))
        end = data.find(b"\n", start + 1)
        try:
            return int(data[start + 6 : end]) == pid
        except ValueError:
            raise ParseError("Tgid is not a number", self.path(f"{pid}/status")) from None

    # -- counters to rates ---------------------------------------------------

    def sample(
        self,
        include: tuple[str, ...] = ("cpu", "cpus"),
    ) -> Sample:
        """The counters of this moment, for :func:`procfs.delta` to turn two of them into
        rates: a :class:`~procfs.rates.Sample` with a monotonic timestamp.

        ``include`` names what to read, so that a cheap sample stays cheap:
        ``"cpu"`` (the system's CPU times), ``"cpus"`` (each CPU's), ``"cpu_stats"``
        (context switches and interrupts; these three from one read of ``stat``),
        ``"processes"`` (every process's CPU time and I/O bytes, one
        :meth:`~procfs.scan.ScanFiles.scan_fields` pass), ``"disks"``
        (``diskstats``), ``"nics"`` (``net/dev``), ``"paging"`` (``vmstat``'s paging
        and swapping). See :mod:`procfs.rates`.
        """
        from procfs.rates import take_sample

        return take_sample(self, include)


def cpu_stats_of(stats: KernelStats) -> CpuStats:
    """:class:`CpuStats` from a parsed ``stat``."""
    return CpuStats(
        stats.ctxt,
        stats.intr.total if stats.intr is not None else 0,
        stats.softirq.total if stats.softirq is not None else 0,
        0,
    )


_SYSFS: list[Root] = []


def _sysfs() -> Root:
    """``/sys``, made once (its trust is checked at the first read; a new root would
    check again at every call)."""
    if not _SYSFS:
        _SYSFS.append(Root(_SYS))
    return _SYSFS[0]


def total_cpu_time(fs: SystemFiles) -> CpuTime:
    """The ``cpu`` line of ``stat`` (all CPUs together), without parsing the rest of the
    file (measured: 35 µs against 50 µs for ``kernel_stats()``, the read included)."""
    data = fs.read("stat", single=True)
    end = data.find(b"\n")
    line = data[: end if end >= 0 else len(data)]
    fields = line.split()
    if fields[:1] != [b"cpu"]:
        return fs.kernel_stats().total  # (a stat of another layout: the whole reading)
    try:
        return core.kernel_stats._cpu_time(fields, line, 1)
    except ParseError as exc:
        exc.path = fs.path("stat")
        raise


def whole_disks(fs: Root, names: dict[str, DiskIoCounters]) -> set[str]:
    """Which of the devices ``names`` are whole devices, not partitions (see
    :meth:`UsageFiles.disk_io_counters`)."""
    if fs.root == DEFAULT_ROOT:
        try:
            return {name.replace("!", "/") for name in _sysfs().listdir("block")}
        except ProcError:
            pass
    return {name for name in names if not _is_partition_name(name, names)}


def disk_total(fs: Root, disks: dict[str, DiskIoCounters]) -> DiskIoCounters:
    """The sum of the counters ``disks`` (by device name) over the whole devices."""
    wholes = whole_disks(fs, disks)
    return _sum_disks([counters for name, counters in disks.items() if name in wholes])


def _in_seconds(time: CpuTime, ticks: float) -> CpuTimes:
    return _new_times([None if value is None else value / ticks for value in _cpu_values(time)])


def sysfs_freqs(sysfs: Root) -> list[CpuFreq] | None:
    """One :class:`CpuFreq` per cpufreq policy (or per CPU, before 4.3's ``policyN``),
    in CPU order, from ``sysfs`` (``/sys/devices/system/cpu`` or a copy); None when it
    has no cpufreq."""
    try:
        names = sysfs.listdir("cpufreq")
        dirs = [f"cpufreq/{name}" for name in names if name[:6] == "policy"]
        numbers = [int(name[6:]) for name in names if name[:6] == "policy"]
    except (ProcError, ValueError):
        dirs, numbers = [], []
    if not dirs:
        numbers = _cpu_numbers(sysfs)
        dirs = [f"cpu{cpu}/cpufreq" for cpu in numbers]
        present = [_exists(sysfs, path) for path in dirs]
        numbers = [cpu for cpu, there in zip(numbers, present, strict=True) if there]
        dirs = [path for path, there in zip(dirs, present, strict=True) if there]
    if not dirs:
        return None
    out: list[CpuFreq] = []
    for _, path in sorted(zip(numbers, dirs, strict=True)):
        current = _khz(sysfs, f"{path}/scaling_cur_freq")
        if current is None:
            current = _khz(sysfs, f"{path}/cpuinfo_cur_freq")
        out.append(
            CpuFreq(
                (current or 0.0) / 1000,
                _mhz(_khz(sysfs, f"{path}/scaling_min_freq")),
                _mhz(_khz(sysfs, f"{path}/scaling_max_freq")),
            )
        )
    return out


def _cpu_pairs(
    before: dict[int, CpuTime], after: dict[int, CpuTime]
) -> list[tuple[CpuTime, CpuTime]]:
    """The two readings of each CPU in ``after``, in its order (a CPU that came online
    meanwhile compares with itself: 0.0)."""
    return [(before.get(cpu, now), now) for cpu, now in after.items()]


def _count_list(sysfs: Root, name: str) -> int | None:
    """The number of CPUs of the sysfs CPU list ``name``, or None if unreadable."""
    try:
        return len(_cpu_list(sysfs.read(name).decode("ascii", "replace"), sysfs.path(name)))
    except ProcError:
        return None


def _cpu_numbers(sysfs: Root) -> list[int]:
    """The numbers of the ``cpuN`` directories of sysfs, sorted."""
    try:
        names = sysfs.listdir()
    except ProcError:
        return []
    return sorted(int(name[3:]) for name in names if name[:3] == "cpu" and name[3:].isdigit())


def _exists(sysfs: Root, relative: str) -> bool:
    return _os.path.exists(sysfs.path(relative))


def _topology(sysfs: Root) -> tuple[int | None, int | None]:
    """(cores, sockets) from the ``topology`` directories of sysfs; None for what none says."""
    cores: set[bytes] = set()
    sockets: set[bytes] = set()
    for cpu in _cpu_numbers(sysfs):
        base = f"cpu{cpu}/topology/"
        for name in ("core_cpus_list", "thread_siblings_list"):
            try:
                cores.add(sysfs.read(base + name).strip())
                break
            except ProcError:
                continue
        try:
            sockets.add(sysfs.read(base + "physical_package_id").strip())
        except ProcError:
            pass
    return len(cores) or None, len(sockets) or None


def _cpuinfo_topology(fs: SystemFiles) -> tuple[int | None, int | None]:
    """(cores, sockets) from the ``physical id`` and ``core id`` lines of ``cpuinfo``."""
    try:
        cpus = fs.cpuinfo().cpus
    except ProcError:
        return None, None
    pairs = {(cpu.get("physical id"), cpu.get("core id")) for cpu in cpus}
    pairs.discard((None, None))
    packages = {cpu.get("physical id") for cpu in cpus} - {None}
    return len(pairs) or None, len(packages) or None


def _khz(sysfs: Root, relative: str) -> float | None:
    """A frequency file of cpufreq, in kHz; None if missing or unreadable."""
    try:
        return float(sysfs.read(relative))
    except (ProcError, ValueError):
        return None


def _mhz(khz: float | None) -> float | None:
    return None if khz is None else khz / 1000


def _mount_opts(mount: core.mountinfo.MountInfo) -> str:
    """The options of a mount in the order ``/proc/mounts`` prints them: read-only or
    not, the superblock flags, the per-mount options, the filesystem's own."""
    mine = [_option(key, value) for key, value in mount.mount_options.items()]
    theirs = [_option(key, value) for key, value in mount.super_options.items()]
    readonly = (mine[:1] == ["ro"]) or (theirs[:1] == ["ro"])
    flags = [option for option in theirs[1:] if option in _SB_FLAGS]
    rest = [option for option in theirs[1:] if option not in _SB_FLAGS]
    return ",".join(["ro" if readonly else "rw", *flags, *mine[1:], *rest])


def _option(key: str, value: str | None) -> str:
    return key if value is None else f"{key}={value}"


#: The fields of a DiskStat that make a DiskIoCounters, in its order (sectors for bytes).
_DISK_FIELDS = core.diskstats.DiskStat.fields_getter(
    (
        "reads",
        "writes",
        "sectors_read",
        "sectors_written",
        "time_reading",
        "time_writing",
        "merged",
        "writes_merged",
        "time_in_progress",
    )
)
_new_disk = DiskIoCounters._make


def _disk_counters(stat: core.diskstats.DiskStat) -> DiskIoCounters:
    reads, writes, read, written, *times = _DISK_FIELDS(stat)
    sector = core.diskstats.SECTOR_SIZE
    return _new_disk((reads, writes, read * sector, written * sector, *(t or 0 for t in times)))


def _sum_disks(disks: list[DiskIoCounters]) -> DiskIoCounters:
    return DiskIoCounters._make(_column_sums(disks, len(DiskIoCounters._fields)))


def _column_sums(records: list[DiskIoCounters] | list[NetIoCounters], width: int) -> list[int]:
    """The sum of each field over ``records`` (records of ``width`` int fields)."""
    sums = [0] * width
    for record in records:
        sums = [total + value for total, value in zip(sums, record._astuple(), strict=True)]
    return sums


#: The fields of a DeviceStatus that make a NetIoCounters, in its order.
_NIC_FIELDS = core.net_dev.DeviceStatus.fields_getter(
    (
        "sent_bytes",
        "recv_bytes",
        "sent_packets",
        "recv_packets",
        "recv_errs",
        "sent_errs",
        "recv_drop",
        "sent_drop",
    )
)
_new_nic = NetIoCounters._make


def _nic_counters(status: core.net_dev.DeviceStatus) -> NetIoCounters:
    return _new_nic(_NIC_FIELDS(status))


def _sum_nics(nics: list[NetIoCounters]) -> NetIoCounters:
    return NetIoCounters._make(_column_sums(nics, len(NetIoCounters._fields)))


def _is_partition_name(name: str, names: dict[str, DiskIoCounters]) -> bool:
    """Whether ``name`` is another device's name followed by digits, or by ``p`` and
    digits (``sda1``, ``nvme0n1p2``)."""
    stem = name.rstrip("0123456789")
    if stem == name or not stem:
        return False
    if stem in names and stem != name:
        return True
    return stem.endswith("p") and stem[:-1] in names
